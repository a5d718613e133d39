import Fluent
import SQLKit

struct CreateCourse: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Course.schema)
            .id()
            .field("slug", .string, .required)
            .field("package_identifier", .string, .required)
            .field("status", .string, .required)
            .field("current_version_id", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "slug")
            .unique(on: "package_identifier")
            .create()
        try await database.schema(CourseVersion.schema)
            .id()
            .field("course_id", .uuid, .required, .references(Course.schema, .id, onDelete: .cascade))
            .field("number", .int, .required)
            .field("standard", .string, .required)
            .field("language", .string, .required)
            .field("title", .dictionary(of: .string), .required)
            .field("summary", .dictionary(of: .string), .required)
            .field("description", .dictionary(of: .string), .required)
            .field("learning_goals", .string, .required)
            .field("keywords", .array(of: .string), .required)
            .field("themes", .array(of: .string), .required)
            .field("professions", .array(of: .string), .required)
            .field("duration_minutes", .int)
            .field("accreditations", .string, .required)
            .field("access_rules", .string, .required)
            .field("content_hash", .string, .required)
            .field("created_at", .datetime)
            .field("published_at", .datetime)
            .unique(on: "course_id", "number")
            .create()
        try await database.schema(CourseModule.schema)
            .id()
            .field("version_id", .uuid, .required, .references(CourseVersion.schema, .id, onDelete: .cascade))
            .field("key", .string, .required)
            .field("parent_key", .string)
            .field("position", .int, .required)
            .field("depth", .int, .required)
            .field("title", .dictionary(of: .string), .required)
            .field("kind", .string, .required)
            .field("duration_minutes", .int)
            .field("required", .bool, .required)
            .field("launch", .string)
            .unique(on: "version_id", "key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "course_modules_version_position").on(CourseModule.schema)
                .column("version_id").column("position").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CourseModule.schema).delete()
        try await database.schema(CourseVersion.schema).delete()
        try await database.schema(Course.schema).delete()
    }
}
