import Fluent

struct CreateModuleAttempt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ModuleAttempt.schema)
            .id()
            .field("enrolment_id", .uuid, .required, .references(Enrolment.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("course_id", .uuid, .required, .references(Course.schema, .id, onDelete: .cascade))
            .field("version_id", .uuid, .required, .references(CourseVersion.schema, .id, onDelete: .cascade))
            .field("module_key", .string, .required)
            .field("number", .int, .required)
            .field("kind", .string, .required)
            .field("completion", .string, .required)
            .field("success", .string, .required)
            .field("score_scaled", .double)
            .field("progress", .double)
            .field("state", .string)
            .field("last_sequence", .int)
            .field("started_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("completed_at", .datetime)
            .unique(on: "enrolment_id", "module_key", "number")
            .create()
        // Resume: the module the learner last opened, and when.
        try await database.schema(Enrolment.schema).field("last_module_key", .string).update()
        try await database.schema(Enrolment.schema).field("last_activity_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).deleteField("last_activity_at").update()
        try await database.schema(Enrolment.schema).deleteField("last_module_key").update()
        try await database.schema(ModuleAttempt.schema).delete()
    }
}
