import Fluent
import Foundation
import SQLKit

/// Holds one row until the transaction ends, so that a read-then-write cannot interleave with another
/// writer's: `SELECT ... FOR UPDATE` on PostgreSQL; on SQLite a no-op write, which takes the database's
/// write lock at once (waiting through busy_timeout) instead of failing later on a stale snapshot.
enum RowLock {
    static func hold(_ table: String, column: String = "id", _ id: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("UPDATE \(ident: table) SET \(ident: column) = \(ident: column) WHERE \(ident: column) = \(bind: id)").run()
        } else {
            try await sql.raw("SELECT \(ident: column) FROM \(ident: table) WHERE \(ident: column) = \(bind: id) FOR UPDATE").run()
        }
    }
}
