import Fluent

struct CreateSignInSession: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInSession.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("browser", .string)
            .field("system", .string)
            .field("user_agent", .string)
            .field("address", .string)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("ended_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignInSession.schema).delete()
    }
}
