import Fluent

struct CreateCourseOwner: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CourseOwner.schema)
            .id()
            .field("course_id", .uuid, .required, .references(Course.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "course_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CourseOwner.schema).delete()
    }
}
