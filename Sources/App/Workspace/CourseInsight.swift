import Fluent
import Foundation
import SQLKit

/// The figures behind a course's insight page, each from one aggregate query (GROUP BY, COUNT DISTINCT,
/// ORDER BY ... LIMIT for the median) that SQLite and PostgreSQL both answer: nothing is loaded row by row.
struct CourseInsight: Sendable, Equatable {
    struct Week: Sendable, Equatable {
        /// Monday 00:00 (Brussels winter time) that starts the week.
        var start: Date
        var enrolled: Int
        var completed: Int
    }

    struct Step: Sendable, Equatable {
        var key: String
        var title: [String: String]
        var required: Bool
        /// Learners with an attempt that did something (opened, answered, reported).
        var reached: Int
        /// Learners whose attempts satisfy what the completion rule asks of the module.
        var done: Int
    }

    struct Group: Sendable, Equatable {
        /// A board code or a province key.
        var key: String
        var name: String
        var enrolled: Int
        var completed: Int
    }

    static let weekCount = 26
    static let secondsPerWeek = 604_800.0
    /// 1970-01-05 00:00 CET, a Monday: weeks are counted from it (an hour off during summer time, which
    /// moves a Monday-midnight enrolment to the week before; acceptable for a weekly chart).
    static let weekOrigin = 345_600.0 - 3_600

    /// Active and completed enrolments (the learners holding a seat).
    var enrolled = 0
    var completed = 0
    var weeks: [Week] = []
    var funnel: [Step] = []
    var medianSecondsToComplete: Double?
    /// Completed enrolments with both dates, which the median is taken over.
    var timedCompletions = 0
    /// Ten buckets of the completions' scores: 0-10 %, ..., 90-100 % (100 % falls in the last).
    var scoreBuckets: [Int] = Array(repeating: 0, count: 10)
    var boards: [Group] = []
    var provinces: [Group] = []
    /// Enrolled learners without a valid care board membership today.
    var withoutBoard = 0
    var withoutBoardCompleted = 0

    var scored: Int { scoreBuckets.reduce(0, +) }

    static func weekIndex(_ date: Date) -> Int {
        Int(((date.timeIntervalSince1970 - weekOrigin) / secondsPerWeek).rounded(.down))
    }

    static func weekStart(_ index: Int) -> Date {
        Date(timeIntervalSince1970: weekOrigin + Double(index) * secondsPerWeek)
    }

    static func load(courseID: UUID, modules: [CourseModule], now: Date = Date(), on database: any Database) async throws -> CourseInsight {
        let sql = try WorkspaceSQL(database)
        let course = sql.uuid(courseID)
        var insight = CourseInsight()
        struct Count: Decodable { let n: Int }
        struct Pair: Decodable { let enrolled: Int?; let completed: Int? }

        let totals = try await sql.db.raw("""
            SELECT SUM(CASE WHEN status IN ('active', 'completed') THEN 1 ELSE 0 END) AS enrolled,
              SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed
            FROM enrolments WHERE course_id = \(bind: course)
            """).first(decoding: Pair.self)
        insight.enrolled = totals?.enrolled ?? 0
        insight.completed = totals?.completed ?? 0

        // Enrolments and completions per week, the last `weekCount` weeks up to this one.
        let thisWeek = weekIndex(now)
        let firstWeek = thisWeek - weekCount + 1
        let since = sql.date(weekStart(firstWeek))
        struct WeekRow: Decodable { let week: Int; let n: Int }
        let weekOf = { (column: String) -> SQLQueryString in
            sql.floor("(" + sql.seconds(column) + " - \(unsafeRaw: String(weekOrigin))) / \(unsafeRaw: String(secondsPerWeek))")
        }
        let enrolledWeeks = try await sql.db.raw("""
            SELECT \(weekOf("enrolled_at")) AS week, COUNT(*) AS n FROM enrolments
            WHERE course_id = \(bind: course) AND enrolled_at >= \(bind: since) GROUP BY \(weekOf("enrolled_at"))
            """).all(decoding: WeekRow.self)
        let completedWeeks = try await sql.db.raw("""
            SELECT \(weekOf("completed_at")) AS week, COUNT(*) AS n FROM enrolments
            WHERE course_id = \(bind: course) AND status = 'completed' AND completed_at >= \(bind: since) GROUP BY \(weekOf("completed_at"))
            """).all(decoding: WeekRow.self)
        let enrolledBy = Dictionary(enrolledWeeks.map { ($0.week, $0.n) }, uniquingKeysWith: +)
        let completedBy = Dictionary(completedWeeks.map { ($0.week, $0.n) }, uniquingKeysWith: +)
        insight.weeks = (firstWeek...thisWeek).map {
            Week(start: weekStart($0), enrolled: enrolledBy[$0] ?? 0, completed: completedBy[$0] ?? 0)
        }

        // The funnel: per module, how many learners reached it and how many satisfied it. Learners who left
        // (withdrawn, expired) or wait are not counted, as in `enrolled`.
        struct StepRow: Decodable {
            let module_key: String
            let reached: Int
            let c: Int
            let p: Int
            let cp: Int
            let cop: Int
        }
        // One row per learner and module first (a learner may have several attempts), then plain sums: the
        // inner grouping follows the (course, module, enrolment, completion, success) index, so neither database
        // sorts or keeps the DISTINCT sets COUNT(DISTINCT ...) would need.
        let flag = { (condition: String) -> SQLQueryString in "MAX(CASE WHEN \(unsafeRaw: condition) THEN 1 ELSE 0 END)" }
        let steps = try await sql.db.raw("""
            SELECT module_key, SUM(reached) AS reached, SUM(c) AS c, SUM(p) AS p, SUM(cp) AS cp, SUM(cop) AS cop FROM (
              SELECT module_key, enrolment_id,
                \(flag("completion <> 'not-attempted' OR success <> 'unknown'")) AS reached,
                \(flag("completion = 'completed'")) AS c,
                \(flag("success = 'passed'")) AS p,
                \(flag("completion = 'completed' AND success = 'passed'")) AS cp,
                \(flag("completion = 'completed' OR success = 'passed'")) AS cop
              FROM module_attempts WHERE course_id = \(bind: course) AND enrolment_id NOT IN
                (SELECT id FROM enrolments WHERE course_id = \(bind: course) AND status NOT IN ('active', 'completed'))
              GROUP BY module_key, enrolment_id
            ) AS learners GROUP BY module_key
            """).all(decoding: StepRow.self)
        let stepBy = Dictionary(steps.map { ($0.module_key, $0) }, uniquingKeysWith: { first, _ in first })
        for module in modules {
            guard let kind = module.moduleKind, let requirement = CourseCompletionRule.requirement(kind: kind, runtime: module.runtime) else {
                continue // folders
            }
            let row = stepBy[module.key]
            let done: Int
            switch requirement {
            case .completed: done = row?.c ?? 0
            case .passed: done = row?.p ?? 0
            case .completedAndPassed: done = row?.cp ?? 0
            case .completedOrPassed: done = row?.cop ?? 0
            case .none: done = insight.enrolled
            }
            insight.funnel.append(Step(key: module.key, title: module.title, required: module.required,
                                       reached: max(row?.reached ?? 0, done), done: done))
        }

        // Median time from enrolment to completion: count, then read the middle one or two in order.
        let duration = "(" + sql.seconds("completed_at") + " - " + sql.seconds("enrolled_at") + ")"
        let timed: SQLQueryString = "FROM enrolments WHERE course_id = \(bind: course) AND status = 'completed' AND completed_at IS NOT NULL AND enrolled_at IS NOT NULL"
        insight.timedCompletions = try await sql.db.raw("SELECT COUNT(*) AS n " + timed).first(decoding: Count.self)?.n ?? 0
        if insight.timedCompletions > 0 {
            struct Seconds: Decodable { let d: Double }
            let n = insight.timedCompletions
            let middle = try await sql.db.raw("SELECT " + duration + " AS d " + timed
                                              + " ORDER BY d LIMIT \(literal: n % 2 == 0 ? 2 : 1) OFFSET \(literal: (n - 1) / 2)")
                .all(decoding: Seconds.self).map(\.d)
            insight.medianSecondsToComplete = middle.isEmpty ? nil : middle.reduce(0, +) / Double(middle.count)
        }

        // Scores of the completions, in tenths.
        struct BucketRow: Decodable { let bucket: Int; let n: Int }
        let bucket: SQLQueryString = "CASE WHEN score_scaled >= 1 THEN 9 WHEN score_scaled <= 0 THEN 0 ELSE "
            + sql.floor("score_scaled * 10") + " END"
        for row in try await sql.db.raw("SELECT " + bucket + " AS bucket, COUNT(*) AS n FROM course_completions WHERE course_id = \(bind: course) AND score_scaled IS NOT NULL GROUP BY " + bucket)
            .all(decoding: BucketRow.self) where (0..<10).contains(row.bucket) {
            insight.scoreBuckets[row.bucket] += row.n
        }

        // Participation per care board and per province: memberships valid today. A learner in two boards
        // counts in both; per province once.
        let today = CalendarDay(now).description
        let valid: SQLQueryString = "(m.valid_from IS NULL OR m.valid_from <= \(bind: today)) AND (m.valid_until IS NULL OR m.valid_until >= \(bind: today))"
        let seated: SQLQueryString = "e.course_id = \(bind: course) AND e.status IN ('active', 'completed')"
        struct GroupRow: Decodable { let key: String; let name: String; let enrolled: Int; let completed: Int }
        let counts: SQLQueryString = "COUNT(DISTINCT e.id) AS enrolled, COUNT(DISTINCT CASE WHEN e.status = 'completed' THEN e.id END) AS completed"
        let joined: SQLQueryString = "FROM enrolments e JOIN board_memberships m ON m.user_id = e.user_id JOIN care_boards b ON b.id = m.board_id WHERE "
        insight.boards = try await sql.db.raw("SELECT b.code AS key, b.name AS name, " + counts + " " + joined + seated + " AND " + valid
                                              + " GROUP BY b.code, b.name ORDER BY enrolled DESC, b.name")
            .all(decoding: GroupRow.self).map { Group(key: $0.key, name: $0.name, enrolled: $0.enrolled, completed: $0.completed) }
        insight.provinces = try await sql.db.raw("SELECT b.province AS key, b.province AS name, " + counts + " " + joined + seated + " AND " + valid
                                                 + " GROUP BY b.province ORDER BY enrolled DESC, b.province")
            .all(decoding: GroupRow.self).map { Group(key: $0.key, name: $0.name, enrolled: $0.enrolled, completed: $0.completed) }
        let unboarded = try await sql.db.raw("SELECT COUNT(*) AS enrolled, SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END) AS completed FROM enrolments e WHERE "
                                             + seated + " AND NOT EXISTS (SELECT 1 FROM board_memberships m WHERE m.user_id = e.user_id AND " + valid + ")")
            .first(decoding: Pair.self)
        insight.withoutBoard = unboarded?.enrolled ?? 0
        insight.withoutBoardCompleted = unboarded?.completed ?? 0
        return insight
    }
}
