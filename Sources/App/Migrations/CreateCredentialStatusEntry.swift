import Fluent

/// The status list index of each record's Open Badges credential (one per record, one record per index).
struct CreateCredentialStatusEntry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CredentialStatusEntry.schema)
            .id()
            .field("record_id", .uuid, .required, .references(AccreditationRecord.schema, .id, onDelete: .restrict))
            .field("list_index", .int, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "record_id")
            .unique(on: "list_index")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CredentialStatusEntry.schema).delete()
    }
}
