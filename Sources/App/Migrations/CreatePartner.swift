import Fluent

/// Partner platforms and accreditation bodies that fetch records, their API tokens, and a log of every export.
struct CreatePartner: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Partner.schema)
            .id()
            .field("name", .string, .required)
            .field("contact", .string)
            .field("bodies", .array(of: .string), .required)
            .field("course_ids", .array(of: .uuid), .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema(APIToken.schema)
            .id()
            .field("partner_id", .uuid, .required, .references(Partner.schema, .id, onDelete: .cascade))
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
        try await database.schema(ExportLog.schema)
            .id()
            .field("partner_id", .uuid, .required, .references(Partner.schema, .id, onDelete: .cascade))
            .field("token_id", .uuid, .references(APIToken.schema, .id, onDelete: .setNull))
            .field("channel", .string, .required)
            .field("at", .datetime, .required)
            .field("format", .string, .required)
            .field("filters", .string, .required)
            .field("record_count", .int, .required)
            .field("cursor_from", .string)
            .field("cursor_to", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExportLog.schema).delete()
        try await database.schema(APIToken.schema).delete()
        try await database.schema(Partner.schema).delete()
    }
}
