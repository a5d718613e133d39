import Fluent

/// Documents of the xAPI State API.
struct CreateXAPIState: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(XAPIStateDocument.schema)
            .id()
            .field("activity_id", .string, .required)
            .field("agent_key", .string, .required)
            .field("registration", .string, .required)
            .field("state_id", .string, .required)
            .field("content_type", .string, .required)
            .field("content", .data, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "activity_id", "agent_key", "registration", "state_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(XAPIStateDocument.schema).delete()
    }
}
