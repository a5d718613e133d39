import Fluent

/// One row per course completed per cycle; the unique key makes a completion that arrives twice (two
/// tabs, a retried commit, two app instances) one row.
struct CreateCourseCompletion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CourseCompletion.schema)
            .id()
            .field("enrolment_id", .uuid, .required, .references(Enrolment.schema, .id, onDelete: .restrict))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .restrict))
            .field("course_id", .uuid, .required, .references(Course.schema, .id, onDelete: .restrict))
            .field("version_id", .uuid, .required, .references(CourseVersion.schema, .id, onDelete: .restrict))
            .field("cycle", .int, .required)
            .field("completed_at", .datetime, .required)
            .field("score_scaled", .double)
            .field("evidence", .string, .required)
            .unique(on: "user_id", "course_id", "cycle")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CourseCompletion.schema).delete()
    }
}
