import Fluent

/// What the player needs to run a module (completion criterion, quiz, SCORM and cmi5 data, its files),
/// kept on the module row as JSON of `ModuleRuntime`. Versions imported before have none; the player
/// then falls back to the module's kind.
struct UpdateCourseModuleAddRuntime: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CourseModule.schema).field("runtime", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CourseModule.schema).deleteField("runtime").update()
    }
}
