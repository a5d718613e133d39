import Fluent

/// cmi5 registrations (one per enrolment) and launch sessions.
struct CreateCmi5Session: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Cmi5Registration.schema)
            .id()
            .field("enrolment_id", .uuid, .required, .references(Enrolment.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "enrolment_id")
            .create()
        try await database.schema(Cmi5Session.schema)
            .id()
            .field("registration_id", .uuid, .required, .references(Cmi5Registration.schema, .id, onDelete: .cascade))
            .field("enrolment_id", .uuid, .required, .references(Enrolment.schema, .id, onDelete: .cascade))
            .field("module_key", .string, .required)
            .field("activity_id", .string, .required)
            .field("actor", .string, .required)
            .field("fetch_token_hash", .string, .required)
            .field("fetched_at", .datetime)
            .field("auth_token_hash", .string)
            .field("state", .string, .required)
            .field("launched_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("terminated_at", .datetime)
            .field("abandoned_at", .datetime)
            .unique(on: "fetch_token_hash")
            .unique(on: "auth_token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Cmi5Session.schema).delete()
        try await database.schema(Cmi5Registration.schema).delete()
    }
}
