import Fluent

/// Password resets, the mail outbox and sign-in throttling.
struct CreateAccountSupport: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PasswordResetToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("token_hash", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(OutboxMail.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime)
            .field("sent_at", .datetime)
            .create()
        try await database.schema(LoginThrottleRecord.schema)
            .id()
            .field("key", .string, .required)
            .field("failures", .int, .required)
            .field("window_started_at", .datetime, .required)
            .field("locked_until", .datetime)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginThrottleRecord.schema).delete()
        try await database.schema(OutboxMail.schema).delete()
        try await database.schema(PasswordResetToken.schema).delete()
    }
}
