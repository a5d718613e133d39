import Fluent

/// Who uploaded each version, for the course's version history. Earlier versions have none.
struct UpdateCourseVersionAddImportedBy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CourseVersion.schema).field("imported_by", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CourseVersion.schema).deleteField("imported_by").update()
    }
}
