import Fluent
import Foundation
import SQLKit

/// The figures of "My courses", one GROUP BY per table for all the listed courses together: no rows are
/// loaded to be counted.
struct CourseFigures: Sendable, Equatable {
    var enrolled = 0
    var notStarted = 0
    var inProgress = 0
    var completed = 0
    var waiting = 0
    var withdrawn = 0
    var expired = 0
    var recordsIssued = 0

    /// The count a participants filter shows.
    func count(_ status: ParticipantQuery.Status) -> Int {
        switch status {
        case .notStarted: notStarted
        case .inProgress: inProgress
        case .completed: completed
        case .waiting: waiting
        case .withdrawn: withdrawn
        case .expired: expired
        }
    }

    /// `courseIDs` nil: every course.
    static func load(courseIDs: [UUID]?, on database: any Database) async throws -> [UUID: CourseFigures] {
        let sql = try WorkspaceSQL(database)
        if let courseIDs, courseIDs.isEmpty { return [:] }
        let scope: SQLQueryString = courseIDs.map { "WHERE course_id IN (\(binds: $0.map(sql.uuid)))" } ?? ""
        struct EnrolmentRow: Decodable {
            let course_id: UUID
            let status: String
            let began: Int
            let n: Int
        }
        var figures: [UUID: CourseFigures] = [:]
        // "In progress": active and the learner opened the course at least once.
        let enrolments = try await sql.db.raw("""
            SELECT course_id, status, CASE WHEN last_activity_at IS NULL THEN 0 ELSE 1 END AS began, COUNT(*) AS n
            FROM enrolments \(scope) GROUP BY course_id, status, CASE WHEN last_activity_at IS NULL THEN 0 ELSE 1 END
            """).all(decoding: EnrolmentRow.self)
        for row in enrolments {
            var entry = figures[row.course_id] ?? CourseFigures()
            switch Enrolment.Status(rawValue: row.status) {
            case .active?:
                entry.enrolled += row.n
                if row.began == 1 { entry.inProgress += row.n } else { entry.notStarted += row.n }
            case .completed?:
                entry.enrolled += row.n
                entry.completed += row.n
            case .waiting?: entry.waiting += row.n
            case .withdrawn?: entry.withdrawn += row.n
            case .expired?: entry.expired += row.n
            case nil: break
            }
            figures[row.course_id] = entry
        }
        struct RecordRow: Decodable {
            let course_id: UUID
            let n: Int
        }
        let recordScope: SQLQueryString = courseIDs.map { "AND course_id IN (\(binds: $0.map(sql.uuid)))" } ?? ""
        let records = try await sql.db.raw("""
            SELECT course_id, COUNT(*) AS n FROM accreditation_records WHERE kind = 'issued' \(recordScope) GROUP BY course_id
            """).all(decoding: RecordRow.self)
        for row in records {
            figures[row.course_id, default: CourseFigures()].recordsIssued = row.n
        }
        return figures
    }
}

/// What differs between SQLite and PostgreSQL in the workspace's plain SQL.
struct WorkspaceSQL: Sendable {
    let db: any SQLDatabase
    let isSQLite: Bool

    init(_ database: any Database) throws {
        guard let sql = database as? any SQLDatabase else { throw RecordExportError.needsSQLDatabase }
        db = sql
        isSQLite = sql.dialect.name == "sqlite"
    }

    /// Fluent keeps UUIDs as upper-case text in SQLite; PostgreSQL has a uuid type.
    func uuid(_ id: UUID) -> any Encodable & Sendable {
        isSQLite ? id.uuidString : id
    }

    /// A timestamp column as seconds since 1970 (Fluent stores dates as such in SQLite).
    func seconds(_ column: String) -> SQLQueryString {
        isSQLite ? "\(unsafeRaw: column)" : "CAST(EXTRACT(EPOCH FROM \(unsafeRaw: column)) AS DOUBLE PRECISION)"
    }

    /// A date bound as the column stores it.
    func date(_ date: Date) -> any Encodable & Sendable {
        isSQLite ? date.timeIntervalSince1970 : date
    }

    /// Rounds toward minus infinity to a whole number, as BIGINT.
    func floor(_ expression: SQLQueryString) -> SQLQueryString {
        // SQLite has no FLOOR before 3.35 and CAST truncates toward zero; the values here are never negative.
        isSQLite ? "CAST(" + expression + " AS INTEGER)" : "CAST(FLOOR(" + expression + ") AS BIGINT)"
    }
}
