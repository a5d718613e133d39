import Fluent

/// People's own API tokens (trainers publishing packages). A table of its own rather than a nullable
/// partner on `api_tokens`: SQLite cannot drop a NOT NULL without rebuilding the table, which export logs
/// reference.
struct CreateUserAPIToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserAPIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("label", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("scopes", .array(of: .string), .required)
            .field("expires_at", .datetime)
            .field("revoked_at", .datetime)
            .field("last_used_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserAPIToken.schema).delete()
    }
}
