import Fluent

struct CreateEnrolment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Enrolment.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, .id, onDelete: .cascade))
            .field("version_id", .uuid, .required, .references(CourseVersion.schema, .id))
            .field("status", .string, .required)
            .field("enrolled_at", .datetime)
            .field("completed_at", .datetime)
            .unique(on: "user_id", "course_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).delete()
    }
}
