import Fluent
import Foundation

/// Applies a membership file (`MembershipCSV`) in one transaction: each line adds a membership or
/// updates the cluster and validity of the existing one for the same person, board and role. Lines
/// are never half-applied: when any line is refused, nothing is written. Memberships the file does not
/// mention are left as they are; a membership ends by giving it a `valid_until`.
struct MembershipImport {
    enum Outcome: Sendable, Equatable {
        case added
        /// What changed, e.g. "valid_until 2026-12-31 → 2027-06-30".
        case changed([String])
        case unchanged
        case refused([MembershipCSV.Refusal])
    }

    struct Entry: Sendable, Equatable {
        var line: Int
        var record: MembershipCSV.Record?
        var outcome: Outcome
    }

    struct Report: Sendable {
        var entries: [Entry]
        var dryRun: Bool
        /// Whether the changes were written.
        var applied: Bool

        var added: Int { entries.filter { $0.outcome == .added }.count }
        var changed: Int { entries.filter { if case .changed = $0.outcome { true } else { false } }.count }
        var unchanged: Int { entries.filter { $0.outcome == .unchanged }.count }
        var refused: Int { entries.filter { if case .refused = $0.outcome { true } else { false } }.count }

        /// One line per file line, then the summary.
        var text: [String] {
            entries.map(Self.describe) + [summary]
        }

        var summary: String {
            var text = "\(added) added, \(changed) changed, \(unchanged) unchanged, \(refused) refused"
            if refused > 0 {
                text += ": nothing was written; correct the refused lines and import the whole file again"
            } else if dryRun {
                text += " (dry run: nothing was written)"
            }
            return text
        }

        static func describe(_ entry: Entry) -> String {
            let what = entry.record.map { record in
                var text = "\(record.email) \(record.board) \(record.role.rawValue)"
                if let cluster = record.cluster { text += " (\(cluster.rawValue))" }
                if record.validFrom != nil || record.validUntil != nil {
                    text += " \(record.validFrom?.iso ?? "…")..\(record.validUntil?.iso ?? "…")"
                }
                return text
            } ?? ""
            let prefix = "line \(entry.line)".padding(toLength: 10, withPad: " ", startingAt: 0)
            switch entry.outcome {
            case .added: return "\(prefix)added      \(what)"
            case .unchanged: return "\(prefix)unchanged  \(what)"
            case .changed(let changes): return "\(prefix)changed    \(what): \(changes.joined(separator: ", "))"
            case .refused(let refusals):
                return "\(prefix)refused    \(what.isEmpty ? "" : what + ": ")\(refusals.map(\.description).joined(separator: "; "))"
            }
        }
    }

    var dryRun = false
    /// Who imports, for the audit trail (nil: the system, as on the command line).
    var actor: User?
    /// Named in the audit event, e.g. the uploaded file's name.
    var source = "csv"

    /// Throws `CSVTable.Failure` when the file cannot be read at all.
    func run(_ data: Data, on database: any Database) async throws -> Report {
        let document = try MembershipCSV.read(data)
        return try await database.transaction { [dryRun] database in
            var document = document
            let users = try await Self.users(document.emails, on: database)
            let boards = try await Self.boards(document.boards, on: database)
            document.refuseUnknown(users: Set(users.keys), boards: Set(boards.keys))
            let existing = try await Self.memberships(of: Array(users.values), on: database)

            var entries: [Entry] = []
            var writes: [() async throws -> Void] = []
            for line in document.lines {
                guard !line.isRefused, let record = line.record, let userID = users[record.email],
                      let boardID = boards[record.board] else {
                    entries.append(Entry(line: line.number, record: line.record, outcome: .refused(line.refusals)))
                    continue
                }
                let key = MembershipKey(user: userID, board: boardID, role: record.role.rawValue)
                guard let membership = existing[key] else {
                    entries.append(Entry(line: line.number, record: record, outcome: .added))
                    writes.append {
                        try await BoardMembership(userID: userID, boardID: boardID, role: record.role, cluster: record.cluster,
                                                  validFrom: record.validFrom, validUntil: record.validUntil).create(on: database)
                    }
                    continue
                }
                let changes = Self.changes(from: membership, to: record)
                if changes.isEmpty {
                    entries.append(Entry(line: line.number, record: record, outcome: .unchanged))
                } else {
                    entries.append(Entry(line: line.number, record: record, outcome: .changed(changes)))
                    writes.append {
                        membership.cluster = record.cluster?.rawValue
                        membership.validFrom = record.validFrom?.iso
                        membership.validUntil = record.validUntil?.iso
                        try await membership.update(on: database)
                    }
                }
            }
            let apply = document.isAcceptable && !dryRun
            if apply {
                for write in writes { try await write() }
                // One event per import, listing every line that changed a right (a file can hold thousands).
                let report = Report(entries: entries, dryRun: false, applied: true)
                if report.added + report.changed > 0 {
                    struct Applied: Encodable { var added: Int; var changed: Int; var lines: [String] }
                    let lines = entries.filter { $0.outcome != .unchanged }.map(Report.describe)
                    try await AuditTrail(database: database).record(
                        actor: actor, action: "board-membership.import", subjectType: "board-membership",
                        subjectID: source, before: Optional<Applied>.none,
                        after: Applied(added: report.added, changed: report.changed, lines: lines), reason: nil)
                }
            }
            return Report(entries: entries, dryRun: dryRun, applied: apply)
        }
    }

    struct MembershipKey: Hashable {
        var user: UUID
        var board: UUID
        var role: String
    }

    static func changes(from membership: BoardMembership, to record: MembershipCSV.Record) -> [String] {
        var changes: [String] = []
        func compare(_ name: String, _ old: String?, _ new: String?) {
            if old != new { changes.append("\(name) \(old ?? "(none)") → \(new ?? "(none)")") }
        }
        compare("cluster", membership.cluster, record.cluster?.rawValue)
        compare("valid_from", membership.validFrom, record.validFrom?.iso)
        compare("valid_until", membership.validUntil, record.validUntil?.iso)
        return changes
    }

    /// Ids by e-mail address, looked up in slices to stay under the databases' parameter limits.
    static func users(_ emails: Set<String>, on database: any Database) async throws -> [String: UUID] {
        var found: [String: UUID] = [:]
        for slice in Array(emails).sorted().chunked(500) {
            for user in try await User.query(on: database).filter(\.$email ~~ slice).all() {
                if let id = user.id { found[user.email] = id }
            }
        }
        return found
    }

    static func boards(_ codes: Set<String>, on database: any Database) async throws -> [String: UUID] {
        var found: [String: UUID] = [:]
        for slice in Array(codes).sorted().chunked(500) {
            for board in try await CareBoard.query(on: database).filter(\.$code ~~ slice).all() {
                if let id = board.id { found[board.code] = id }
            }
        }
        return found
    }

    static func memberships(of users: [UUID], on database: any Database) async throws -> [MembershipKey: BoardMembership] {
        var found: [MembershipKey: BoardMembership] = [:]
        for slice in users.chunked(500) {
            for membership in try await BoardMembership.query(on: database).filter(\.$user.$id ~~ slice).all() {
                found[MembershipKey(user: membership.$user.id, board: membership.$board.id, role: membership.role)] = membership
            }
        }
        return found
    }
}

/// Every membership with its person's e-mail address and its board's code, for `members export`.
struct MembershipExport {
    static func records(on database: any Database) async throws -> [MembershipCSV.Record] {
        let rows = try await BoardMembership.query(on: database)
            .join(User.self, on: \BoardMembership.$user.$id == \User.$id)
            .join(CareBoard.self, on: \BoardMembership.$board.$id == \CareBoard.$id)
            .all()
        return try rows.map { membership in
            MembershipCSV.Record(
                email: try membership.joined(User.self).email, board: try membership.joined(CareBoard.self).code,
                role: BoardRole(membership.role), cluster: membership.cluster.map(CareBoardCluster.init),
                validFrom: membership.validFrom.flatMap(CalendarDay.init(iso:)),
                validUntil: membership.validUntil.flatMap(CalendarDay.init(iso:)))
        }
        .sorted { ($0.board, $0.email, $0.role.rawValue) < ($1.board, $1.email, $1.role.rawValue) }
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
