import Fluent
import Foundation
import SQLKit

/// Reads accreditation records in export order, within a partner's scope, in keyed pages: memory stays flat
/// whatever the number of records, and the first bytes leave after the first page. Plain SQL with row-value
/// keys ((xid, seq) > (?, ?)), which both databases answer from the export-position index; Fluent's
/// OR-expanded form made SQLite scan and sort the table for every page.
struct RecordExport: Sendable {
    struct Filters: Sendable, Codable, Equatable {
        var courseID: UUID?
        var body: String?
        /// Completion days, "YYYY-MM-DD", both inclusive.
        var from: String?
        var to: String?
    }

    struct Window: Sendable {
        /// Records after this cursor ...
        let after: ExportCursor
        /// ... up to and including this one; `nil` when there is nothing new.
        let last: ExportCursor?
        /// Only records of transactions below this id (PostgreSQL), so none can still commit behind `last`.
        let xidBelow: Int64?

        /// What the partner sends next time.
        var next: ExportCursor { last ?? after }
    }

    let database: any Database
    let scope: RecordScope
    var filters = Filters()
    var pageSize = 1_000

    init(database: any Database, scope: RecordScope, filters: Filters = Filters(), pageSize: Int = 1_000) {
        self.database = database
        self.scope = scope
        self.filters = filters
        self.pageSize = pageSize
    }

    static let columns = """
        id, kind, supersedes_id, reason, user_id, registration_number, learner_name, profession, organiser_number,
        activity_number, body, course_id, course_title, version_number, completed_on, completed_at, points, unit, rubric,
        valid_until, verification_code, created_at, export_xid, export_seq
        """

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database as? any SQLDatabase else { throw RecordExportError.needsSQLDatabase }
            return sql
        }
    }

    /// Fixes what this export will deliver: every record after `cursor` that is safe to hand out now, at most
    /// `limit` of them. Knowing the end first lets the response name the next cursor before streaming.
    func window(after cursor: ExportCursor, limit: Int?) async throws -> Window {
        let xidBelow = try await oldestRunningTransaction()
        let condition = self.condition(after: cursor, upTo: nil, xidBelow: xidBelow)
        struct Position: Decodable { let export_xid: Int64; let export_seq: Int64 }
        let query: SQLQueryString
        if let limit {
            // The limit-th record after the cursor, or else the newest one.
            query = "SELECT export_xid, export_seq FROM (SELECT export_xid, export_seq FROM accreditation_records WHERE "
                + condition + " ORDER BY export_xid, export_seq LIMIT \(literal: max(limit, 1))) AS page ORDER BY export_xid DESC, export_seq DESC LIMIT 1"
        } else {
            query = "SELECT export_xid, export_seq FROM accreditation_records WHERE " + condition
                + " ORDER BY export_xid DESC, export_seq DESC LIMIT 1"
        }
        let last = try await sql.raw(query).first(decoding: Position.self).map { ExportCursor(xid: $0.export_xid, seq: $0.export_seq) }
        return Window(after: cursor, last: last, xidBelow: xidBelow)
    }

    /// Hands every record of the window to `body`, in order; returns how many.
    @discardableResult
    func forEach(in window: Window, _ body: (RecordExportItem) async throws -> Void) async throws -> Int {
        guard let last = window.last else { return 0 }
        let sql = try self.sql
        var position = window.after
        var count = 0
        while true {
            let query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM accreditation_records WHERE "
                + condition(after: position, upTo: last, xidBelow: window.xidBelow)
                + " ORDER BY export_xid, export_seq LIMIT \(literal: pageSize)"
            let rows = try await sql.raw(query).all()
            let textUUIDs = sql.dialect.name == "sqlite"
            for row in rows {
                let item = try RecordExportItem(row: row, textUUIDs: textUUIDs)
                try await body(item)
                count += 1
                position = item.position
            }
            if rows.count < pageSize { return count }
        }
    }

    func condition(after cursor: ExportCursor, upTo last: ExportCursor?, xidBelow: Int64?) -> SQLQueryString {
        var parts: [SQLQueryString] = ["(export_xid, export_seq) > (\(bind: cursor.xid), \(bind: cursor.seq))"]
        if let last { parts.append("(export_xid, export_seq) <= (\(bind: last.xid), \(bind: last.seq))") }
        if let xidBelow { parts.append("export_xid < \(bind: xidBelow)") }
        let bodies = scope.bodies.sorted().map { $0 as any Encodable & Sendable }
        let courses = scope.courseIDs.sorted { $0.uuidString < $1.uuidString }.map { Self.uuid($0, for: database) }
        switch (bodies.isEmpty, courses.isEmpty) {
        // A partner without bodies or courses receives nothing.
        case (true, true): parts.append("1 = 0")
        case (false, true): parts.append("body IN (\(binds: bodies))")
        case (true, false): parts.append("course_id IN (\(binds: courses))")
        case (false, false): parts.append("(body IN (\(binds: bodies)) OR course_id IN (\(binds: courses)))")
        }
        if let courseID = filters.courseID { parts.append("course_id = \(bind: Self.uuid(courseID, for: database))") }
        if let body = filters.body { parts.append("body = \(bind: body)") }
        if let from = filters.from { parts.append("completed_on >= \(bind: from)") }
        if let to = filters.to { parts.append("completed_on <= \(bind: to)") }
        return parts.joined(separator: " AND ")
    }

    /// SQLite keeps Fluent's UUIDs as upper-case text; PostgreSQL has a uuid type.
    static func uuid(_ id: UUID, for database: any Database) -> any Encodable & Sendable {
        (database as? any SQLDatabase)?.dialect.name == "sqlite" ? id.uuidString : id
    }

    /// PostgreSQL: the id of the oldest transaction still running (every record of an older one is committed
    /// or gone). SQLite: no bound, since it has one writer at a time.
    private func oldestRunningTransaction() async throws -> Int64? {
        let sql = try self.sql
        guard sql.dialect.name != "sqlite" else { return nil }
        struct Row: Decodable { let xmin: Int64 }
        return try await sql.raw("SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin").first(decoding: Row.self)?.xmin
    }
}

enum RecordExportError: Error, CustomStringConvertible {
    case needsSQLDatabase
    var description: String { "Exports read with SQL; this database driver has none." }
}
