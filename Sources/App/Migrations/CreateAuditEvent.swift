import Fluent
import SQLKit

struct CreateAuditEvent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("actor_id", .uuid, .references(User.schema, .id, onDelete: .setNull))
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("subject_type", .string, .required)
            .field("subject_id", .string, .required)
            .field("before_json", .string)
            .field("after_json", .string)
            .field("reason", .string)
            .field("created_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The log is read newest first, per subject ("what happened to this attempt") and per person.
        try await sql.raw("CREATE INDEX audit_events_created ON audit_events (created_at)").run()
        try await sql.raw("CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id, created_at)").run()
        try await sql.raw("CREATE INDEX audit_events_actor ON audit_events (actor_id, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}
