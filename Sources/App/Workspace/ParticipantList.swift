import Fluent
import Foundation
import SQLKit

/// The participants of one course as trainers see them: one row per enrolment with the learner, status,
/// progress per module, last activity, completion and score. Plain SQL: the list filters and sorts in the
/// database and only one page (or, for the CSV, one keyed chunk) of rows is ever in memory.
struct ParticipantList: Sendable {
    struct Row: Sendable {
        var enrolmentID: UUID
        var userID: UUID
        var name: String
        var email: String
        var status: Enrolment.Status
        var versionID: UUID
        var enrolledAt: Date?
        var completedAt: Date?
        /// When the learner last opened the course in the player (what the status filters go by).
        var lastActivityAt: Date?
        /// The later of that and the last change to one of the attempts (a runtime writes those too): shown.
        var lastSeenAt: Date?
        var progress: LearnerProgress?
        /// The score of the learner's latest course completion (-1...1), when it had one.
        var scoreScaled: Double?
        /// The enrolment's round (`Enrolment.cycle`); progress and attempts are this round's.
        var cycle: Int = 1

        /// The status a filter would put this row under.
        var listStatus: ParticipantQuery.Status {
            switch status {
            case .active: lastActivityAt == nil ? .notStarted : .inProgress
            case .completed: .completed
            case .waiting: .waiting
            case .withdrawn: .withdrawn
            case .expired: .expired
            }
        }
    }

    /// One attempt as the lists need it (not the runtime's data).
    struct AttemptRow: Decodable, Sendable {
        let id: UUID
        let enrolment_id: UUID
        let module_key: String
        let number: Int
        let completion: String
        let success: String
        let score_scaled: Double?
        let updated_at: Date
    }

    let database: any Database
    let courseID: UUID

    private static let columns: SQLQueryString = """
        SELECT e.id AS enrolment_id, e.user_id, u.name, u.email, e.status, e.version_id, e.enrolled_at, e.completed_at, \
        e.last_activity_at, e.cycle FROM enrolments e JOIN users u ON u.id = e.user_id
        """

    private struct RowData: Decodable {
        let enrolment_id: UUID
        let user_id: UUID
        let name: String
        let email: String
        let status: String
        let version_id: UUID
        let enrolled_at: Date?
        let completed_at: Date?
        let last_activity_at: Date?
        let cycle: Int

        var row: Row {
            Row(enrolmentID: enrolment_id, userID: user_id, name: name, email: email,
                status: Enrolment.Status(rawValue: status) ?? .active, versionID: version_id, enrolledAt: enrolled_at,
                completedAt: completed_at, lastActivityAt: last_activity_at, cycle: cycle)
        }
    }

    private func condition(_ query: ParticipantQuery, sql: WorkspaceSQL) -> SQLQueryString {
        var parts: [SQLQueryString] = ["e.course_id = \(bind: sql.uuid(courseID))"]
        switch query.status {
        case .notStarted?: parts.append("e.status = 'active' AND e.last_activity_at IS NULL")
        case .inProgress?: parts.append("e.status = 'active' AND e.last_activity_at IS NOT NULL")
        case let status?: parts.append("e.status = \(bind: status.rawValue)")
        case nil: break
        }
        if let pattern = query.likePattern {
            parts.append("(LOWER(u.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(u.email) LIKE \(bind: pattern) ESCAPE '\\')")
        }
        return parts.joined(separator: " AND ")
    }

    func count(_ query: ParticipantQuery) async throws -> Int {
        let sql = try WorkspaceSQL(database)
        struct Count: Decodable { let n: Int }
        return try await sql.db.raw("SELECT COUNT(*) AS n FROM enrolments e JOIN users u ON u.id = e.user_id WHERE "
                                    + condition(query, sql: sql)).first(decoding: Count.self)?.n ?? 0
    }

    /// The query's page, by name, with progress and scores.
    func page(_ query: ParticipantQuery) async throws -> [Row] {
        let sql = try WorkspaceSQL(database)
        let offset = (query.page - 1) * ParticipantQuery.pageSize
        let rows = try await sql.db.raw(Self.columns + " WHERE " + condition(query, sql: sql)
                                        + " ORDER BY u.name, e.id LIMIT \(literal: ParticipantQuery.pageSize) OFFSET \(literal: offset)")
            .all(decoding: RowData.self).map(\.row)
        return try await completing(rows)
    }

    /// Every row of the query in keyed chunks of `chunkSize` (by enrolment id), for exports: memory holds one chunk.
    func forEachChunk(_ query: ParticipantQuery, chunkSize: Int = 500, _ body: ([Row]) async throws -> Void) async throws {
        let sql = try WorkspaceSQL(database)
        var after: UUID?
        while true {
            var where_ = condition(query, sql: sql)
            if let after { where_ = where_ + " AND e.id > \(bind: sql.uuid(after))" }
            let rows = try await sql.db.raw(Self.columns + " WHERE " + where_ + " ORDER BY e.id LIMIT \(literal: chunkSize)")
                .all(decoding: RowData.self).map(\.row)
            if rows.isEmpty { return }
            try await body(try await completing(rows))
            if rows.count < chunkSize { return }
            after = rows.last?.enrolmentID
        }
    }

    /// One enrolment of this course, with progress.
    func row(enrolmentID: UUID) async throws -> Row? {
        let sql = try WorkspaceSQL(database)
        let rows = try await sql.db.raw(Self.columns + " WHERE e.course_id = \(bind: sql.uuid(courseID)) AND e.id = \(bind: sql.uuid(enrolmentID))")
            .all(decoding: RowData.self).map(\.row)
        return try await completing(rows).first
    }

    /// The attempts of these enrolments, in module and attempt order.
    func attempts(of enrolmentIDs: [UUID]) async throws -> [AttemptRow] {
        guard !enrolmentIDs.isEmpty else { return [] }
        let sql = try WorkspaceSQL(database)
        // The enrolment's current round only: earlier accreditation cycles' attempts are their completions' evidence.
        return try await sql.db.raw("""
            SELECT a.id, a.enrolment_id, a.module_key, a.number, a.completion, a.success, a.score_scaled, a.updated_at
            FROM module_attempts a JOIN enrolments e ON e.id = a.enrolment_id AND e.cycle = a.cycle
            WHERE a.enrolment_id IN (\(binds: enrolmentIDs.map(sql.uuid))) ORDER BY a.module_key, a.number
            """).all(decoding: AttemptRow.self)
    }

    /// The modules of these versions, in outline order.
    func modules(of versionIDs: Set<UUID>) async throws -> [UUID: [CourseModule]] {
        guard !versionIDs.isEmpty else { return [:] }
        return Dictionary(grouping: try await CourseModule.query(on: database).filter(\.$version.$id ~~ Array(versionIDs))
            .sort(\.$position).all(), by: { $0.$version.id })
    }

    /// Adds progress, last activity and score: two queries for the whole chunk, whatever its size.
    private func completing(_ rows: [Row]) async throws -> [Row] {
        guard !rows.isEmpty else { return rows }
        let ids = rows.map(\.enrolmentID)
        let modules = try await self.modules(of: Set(rows.map(\.versionID)))
        let attempts = Dictionary(grouping: try await attempts(of: ids), by: \.enrolment_id)
        let sql = try WorkspaceSQL(database)
        struct Score: Decodable { let enrolment_id: UUID; let score_scaled: Double?; let completed_at: Date }
        var scores: [UUID: Score] = [:]
        for score in try await sql.db.raw("""
            SELECT enrolment_id, score_scaled, completed_at FROM course_completions WHERE enrolment_id IN (\(binds: ids.map(sql.uuid)))
            """).all(decoding: Score.self) where scores[score.enrolment_id].map({ $0.completed_at < score.completed_at }) ?? true {
            scores[score.enrolment_id] = score
        }
        return rows.map { row in
            var row = row
            let own = attempts[row.enrolmentID] ?? []
            row.progress = LearnerProgress(modules: Self.progressModules(modules[row.versionID] ?? []), attempts: own.map {
                LearnerProgress.Attempt(moduleKey: $0.module_key, number: $0.number,
                                        completion: ModuleAttempt.Completion(rawValue: $0.completion) ?? .notAttempted,
                                        success: ModuleAttempt.Success(rawValue: $0.success) ?? .unknown)
            })
            row.lastSeenAt = ([row.lastActivityAt].compactMap { $0 } + own.map(\.updated_at)).max()
            row.scoreScaled = scores[row.enrolmentID]?.score_scaled
            return row
        }
    }

    static func progressModules(_ modules: [CourseModule]) -> [LearnerProgress.Module] {
        modules.map { module in
            LearnerProgress.Module(key: module.key, parentKey: module.parentKey, required: module.required,
                                   requirement: module.moduleKind.flatMap { CourseCompletionRule.requirement(kind: $0, runtime: module.runtime) })
        }
    }
}
