import Fluent

struct CreateSiteProfile: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SiteProfileRow.schema)
            .id()
            .field("academy_name", .string, .required)
            .field("contact_email", .string)
            .field("contact_phone", .string)
            .field("contact_url", .string)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SiteProfileRow.schema).delete()
    }
}
