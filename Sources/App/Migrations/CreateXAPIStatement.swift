import Fluent
import SQLKit

/// Statements of the academy's xAPI endpoint (cmi5 AUs and the academy's own cmi5 statements).
struct CreateXAPIStatement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(XAPIStatementRecord.schema)
            .id()
            .field("registration_id", .uuid)
            .field("session_id", .uuid)
            .field("verb_id", .string, .required)
            .field("object_id", .string, .required)
            .field("agent_key", .string, .required)
            .field("body", .string, .required)
            .field("origin", .string, .required)
            .field("stored_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "xapi_statements_registration").on(XAPIStatementRecord.schema)
                .column("registration_id").column("verb_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(XAPIStatementRecord.schema).delete()
    }
}
