import Fluent

struct CreateTwoFactorCredential: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TwoFactorCredential.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("secret", .string, .required)
            .field("confirmed_at", .datetime)
            .field("last_step", .int64)
            .field("recovery_hashes", .array(of: .string), .required)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TwoFactorCredential.schema).delete()
    }
}
