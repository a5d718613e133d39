import Fluent
import Foundation
import SQLKit

/// Reads accreditation records in export order, within a partner's scope, in keyed pages: memory stays flat
/// whatever the number of records, and the first bytes leave after the first page.
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

    /// Fixes what this export will deliver: every record after `cursor` that is safe to hand out now, at most
    /// `limit` of them. Knowing the end first lets the response name the next cursor before streaming.
    func window(after cursor: ExportCursor, limit: Int?) async throws -> Window {
        let xidBelow = try await oldestRunningTransaction()
        var query = base(after: cursor, xidBelow: xidBelow)
        if let limit {
            query = query.sort(\.$exportXID).sort(\.$exportSeq).offset(max(limit, 1) - 1)
        } else {
            query = query.sort(\.$exportXID, .descending).sort(\.$exportSeq, .descending)
        }
        var last: ExportCursor?
        if let record = try await query.first() {
            last = ExportCursor(xid: record.exportXID ?? 0, seq: record.exportSeq ?? 0)
        } else if let limit, limit > 1 {
            // Fewer than `limit` records: the window ends at the newest one.
            if let record = try await base(after: cursor, xidBelow: xidBelow)
                .sort(\.$exportXID, .descending).sort(\.$exportSeq, .descending).first() {
                last = ExportCursor(xid: record.exportXID ?? 0, seq: record.exportSeq ?? 0)
            }
        }
        return Window(after: cursor, last: last, xidBelow: xidBelow)
    }

    /// Hands every record of the window to `body`, in order; returns how many.
    @discardableResult
    func forEach(in window: Window, _ body: (RecordExportItem) async throws -> Void) async throws -> Int {
        guard let last = window.last else { return 0 }
        var position = window.after
        var count = 0
        while true {
            let page = try await base(after: position, xidBelow: window.xidBelow)
                .group(.or) { or in
                    or.filter(\.$exportXID < last.xid)
                    or.group(.and) { $0.filter(\.$exportXID == last.xid).filter(\.$exportSeq <= last.seq) }
                }
                .sort(\.$exportXID).sort(\.$exportSeq).limit(pageSize).all()
            for record in page {
                try await body(try RecordExportItem(record))
                count += 1
            }
            guard let end = page.last, page.count == pageSize else { return count }
            position = ExportCursor(xid: end.exportXID ?? 0, seq: end.exportSeq ?? 0)
        }
    }

    private func base(after cursor: ExportCursor, xidBelow: Int64?) -> QueryBuilder<AccreditationRecord> {
        var query = AccreditationRecord.query(on: database)
            .group(.or) { or in
                or.filter(\.$exportXID > cursor.xid)
                or.group(.and) { $0.filter(\.$exportXID == cursor.xid).filter(\.$exportSeq > cursor.seq) }
            }
        if let xidBelow { query = query.filter(\.$exportXID < xidBelow) }
        let bodies = Array(scope.bodies), courses = Array(scope.courseIDs)
        if scope.isEmpty {
            // A partner without bodies or courses receives nothing; no record has an empty issue key.
            query = query.filter(\.$issueKey == "")
        } else {
            query = query.group(.or) { or in
                if !bodies.isEmpty { or.filter(\.$body ~~ bodies) }
                if !courses.isEmpty { or.filter(\.$course.$id ~~ courses) }
            }
        }
        if let courseID = filters.courseID { query = query.filter(\.$course.$id == courseID) }
        if let body = filters.body { query = query.filter(\.$body == body) }
        if let from = filters.from { query = query.filter(\.$completedOn >= from) }
        if let to = filters.to { query = query.filter(\.$completedOn <= to) }
        return query
    }

    /// PostgreSQL: the id of the oldest transaction still running (every record of an older one is committed
    /// or gone). SQLite: no bound, since it has one writer at a time.
    private func oldestRunningTransaction() async throws -> Int64? {
        guard let sql = database as? any SQLDatabase, sql.dialect.name != "sqlite" else { return nil }
        struct Row: Decodable { let xmin: Int64 }
        return try await sql.raw("SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin").first(decoding: Row.self)?.xmin
    }
}
