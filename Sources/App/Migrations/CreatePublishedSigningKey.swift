import Fluent

/// Public keys of the credential signing keys, current and earlier (see `PublishedSigningKey`).
struct CreatePublishedSigningKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PublishedSigningKey.schema)
            .id()
            .field("thumbprint", .string, .required)
            .field("x", .string, .required)
            .field("y", .string, .required)
            .field("created_at", .datetime, .required)
            .field("retire_after", .datetime)
            .unique(on: "thumbprint")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PublishedSigningKey.schema).delete()
    }
}
