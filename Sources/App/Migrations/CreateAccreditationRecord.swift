import Fluent

/// Append-only: rows are inserted, never updated or deleted. `issue_key` is unique, so issuing the
/// record of one accreditation of one completion twice yields one row.
struct CreateAccreditationRecord: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccreditationRecord.schema)
            .id()
            .field("issue_key", .string, .required)
            .field("kind", .string, .required)
            .field("supersedes_id", .uuid, .references(AccreditationRecord.schema, .id, onDelete: .restrict))
            .field("reason", .string)
            .field("recorded_by_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("completion_id", .uuid, .required, .references(CourseCompletion.schema, .id, onDelete: .restrict))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .restrict))
            .field("learner_name", .string, .required)
            .field("profession", .string)
            .field("registration_number", .string, .required)
            .field("course_id", .uuid, .required, .references(Course.schema, .id, onDelete: .restrict))
            .field("version_id", .uuid, .required, .references(CourseVersion.schema, .id, onDelete: .restrict))
            .field("version_number", .int, .required)
            .field("course_title", .string, .required)
            .field("body", .string, .required)
            .field("activity_number", .string, .required)
            .field("organiser_number", .string)
            .field("points", .double, .required)
            .field("unit", .string, .required)
            .field("rubric", .string)
            .field("completed_at", .datetime, .required)
            .field("completed_on", .string, .required)
            .field("valid_until", .string)
            .field("verification_code", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "issue_key")
            .unique(on: "verification_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccreditationRecord.schema).delete()
    }
}
