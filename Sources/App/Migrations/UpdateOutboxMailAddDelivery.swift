import Fluent

/// The outbox becomes a delivery queue: attempts, the last error, when to try next, and the claim of the
/// instance delivering a mail right now.
struct UpdateOutboxMailAddDelivery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        try await database.schema(OutboxMail.schema).field("attempts", .int, .required, .sql(.default(0))).update()
        try await database.schema(OutboxMail.schema).field("last_error", .string).update()
        try await database.schema(OutboxMail.schema).field("next_attempt_at", .datetime).update()
        try await database.schema(OutboxMail.schema).field("claim", .string).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["attempts", "last_error", "next_attempt_at", "claim"] {
            try await database.schema(OutboxMail.schema).deleteField(.string(field)).update()
        }
    }
}
