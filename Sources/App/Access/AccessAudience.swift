import Fluent
import Foundation
import SQLKit

/// Who passes an access rule, counted over everyone on the platform: "who can take this course" and, before
/// a trainer saves a changed rule, who gains and who loses access.
///
/// ```swift
/// let audience = try await AccessAudience.load(on: db, now: Date())      // a few set queries
/// let count = audience.measure(policy.rule, course: AccessCourse(slug: "wondzorg", enrolmentKey: key))
/// count.learners, count.members, count.boards, count.enrolledInProgress, count.perBoard, count.perProvince
/// let change = audience.compare(from: oldRule, to: newRule, course: course)
/// change.gained.learners, change.lost.members, change.perBoard        // boards where anyone gains or loses
/// audience.decision(for: userID, rule: rule, course: course)            // one person (why can't Jan see this?)
/// ```
///
/// Definitions, so that the numbers read the same everywhere:
/// - learners: people whose account is not deactivated (the loader leaves deactivated ones out);
/// - members: those of them with at least one care board membership valid today (Europe/Brussels);
/// - a board counts when at least one of its current members passes; per board, members are distinct people;
/// - enrolled in progress: people with an active enrolment (not completed, withdrawn, expired or waiting)
///   in `course.slug`;
/// - `nil` rule: everyone passes. Admins always pass, as they do on every page (`CourseAccess`).
/// - An enrolment key counts only for people who already gave it (nobody is presumed to know it).
///
/// The counting core is plain Swift over a snapshot (`people`, `boards`, `vocabulary`, `now`), so it can be
/// tested with truth tables; only `load(on:now:)` touches the database.
public struct AccessAudience: Sendable {
    public struct Person: Sendable, Hashable {
        public var subject: AccessSubject
        public var isAdmin: Bool
        /// Slugs of the courses the person is actively enrolled in.
        public var coursesInProgress: Set<String>

        public init(subject: AccessSubject, isAdmin: Bool = false, coursesInProgress: Set<String> = []) {
            self.subject = subject
            self.isAdmin = isAdmin
            self.coursesInProgress = coursesInProgress
        }
    }

    public struct Board: Sendable, Hashable {
        public var code: String
        public var name: String
        public var province: Province

        public init(code: String, name: String, province: Province) {
            self.code = code
            self.name = name
            self.province = province
        }
    }

    public let people: [Person]
    /// Every board the platform knows, by code, members or not.
    public let boards: [String: Board]
    public let vocabulary: AccessVocabulary
    public let now: Date
    private let evaluators: [AccessEvaluator]
    /// For each person (same index as `people`), the codes of the boards they are a current member of.
    private let currentBoards: [Set<String>]
    private let indexByUser: [UUID: Int]

    public init(people: [Person], boards: [Board], vocabulary: AccessVocabulary, now: Date) {
        self.people = people
        self.boards = Dictionary(boards.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.vocabulary = vocabulary
        self.now = now
        let context = AccessContext(now: now, vocabulary: vocabulary)
        // Evaluators are built once: each works out the memberships valid today.
        let evaluators = people.map { AccessEvaluator(subject: $0.subject, context: context) }
        self.evaluators = evaluators
        currentBoards = evaluators.map { Set($0.activeMemberships.map(\.board)) }
        var index: [UUID: Int] = [:]
        for (position, person) in people.enumerated() {
            if let id = person.subject.userID { index[id] = position }
        }
        indexByUser = index
    }

    /// The person with this account id, if active.
    public func person(_ userID: UUID) -> Person? {
        indexByUser[userID].map { people[$0] }
    }

    /// The rule's decision for one person (admins: always allowed); `nil` when the person is not active.
    public func decision(for userID: UUID, rule: AccessRule?, course: AccessCourse?) -> AccessDecision? {
        guard let position = indexByUser[userID] else { return nil }
        return decision(at: position, rule: rule, course: course)
    }

    private func decision(at position: Int, rule: AccessRule?, course: AccessCourse?) -> AccessDecision {
        guard let rule, !people[position].isAdmin else { return .allow }
        return evaluators[position].evaluate(rule, course: course)
    }

    private func passes(_ rule: AccessRule?, course: AccessCourse?) -> [Bool] {
        guard let rule else { return Array(repeating: true, count: people.count) }
        // A broken rule denies everyone but admins; no need to look at each person.
        let problems = AccessEvaluator(subject: .anonymous, context: AccessContext(now: now, vocabulary: vocabulary))
            .problems(in: rule, course: course)
        if !problems.isEmpty { return people.map(\.isAdmin) }
        return people.indices.map { people[$0].isAdmin || evaluators[$0].allows(rule, course: course) }
    }

    /// Who passes `rule` (the rule as a course or module policy holds it; `nil`: no rule).
    public func measure(_ rule: AccessRule?, course: AccessCourse?) -> AccessAudienceCount {
        let passing = passes(rule, course: course)
        var count = AccessAudienceCount()
        if let rule {
            count.problems = AccessEvaluator(subject: .anonymous, context: AccessContext(now: now, vocabulary: vocabulary))
                .problems(in: rule, course: course)
        }
        var perBoard: [String: AccessAudienceCount.BoardCount] = [:]
        for board in boards.values {
            perBoard[board.code] = .init(code: board.code, name: board.name, province: board.province)
        }
        for (position, person) in people.enumerated() {
            let passes = passing[position]
            let boardsOfPerson = currentBoards[position]
            count.learners.add(passes)
            if !boardsOfPerson.isEmpty { count.members.add(passes) }
            if let slug = course?.slug, person.coursesInProgress.contains(slug) { count.enrolledInProgress.add(passes) }
            for code in boardsOfPerson {
                // A membership of a board that is no longer listed still counts among members, not per board.
                perBoard[code]?.members.add(passes)
            }
        }
        count.perBoard = perBoard.values.sorted { ($0.province.rawValue, $0.name, $0.code) < ($1.province.rawValue, $1.name, $1.code) }
        count.boards = .init(passing: count.perBoard.filter { $0.members.passing > 0 }.count, of: count.perBoard.count)
        var perProvince: [Province: AccessAudienceCount.ProvinceCount] = [:]
        for board in count.perBoard {
            var entry = perProvince[board.province] ?? .init(province: board.province)
            entry.boards.add(board.members.passing > 0)
            entry.members.passing += board.members.passing
            entry.members.of += board.members.of
            perProvince[board.province] = entry
        }
        count.perProvince = perProvince.values.sorted { $0.province.rawValue < $1.province.rawValue }
        return count
    }

    /// Who gains and who loses access when `old` is replaced by `new`.
    public func compare(from old: AccessRule?, to new: AccessRule?, course: AccessCourse?) -> AccessAudienceChange {
        let before = passes(old, course: course)
        let after = passes(new, course: course)
        var change = AccessAudienceChange()
        var perBoard: [String: AccessAudienceChange.BoardChange] = [:]
        for (position, person) in people.enumerated() where before[position] != after[position] {
            let gains = after[position]
            let boardsOfPerson = currentBoards[position]
            let inProgress = course.map { person.coursesInProgress.contains($0.slug) } ?? false
            change.gained.add(gains, member: !boardsOfPerson.isEmpty, inProgress: inProgress)
            change.lost.add(!gains, member: !boardsOfPerson.isEmpty, inProgress: inProgress)
            for code in boardsOfPerson {
                guard let board = boards[code] else { continue }
                var entry = perBoard[code] ?? .init(code: code, name: board.name, province: board.province)
                if gains { entry.gained += 1 } else { entry.lost += 1 }
                perBoard[code] = entry
            }
        }
        change.perBoard = perBoard.values.sorted { ($0.province.rawValue, $0.name, $0.code) < ($1.province.rawValue, $1.name, $1.code) }
        change.gained.boards = change.perBoard.filter { $0.gained > 0 }.count
        change.lost.boards = change.perBoard.filter { $0.lost > 0 }.count
        return change
    }
}

/// How many pass a rule, each figure with its total ("312 of 1,204").
public struct AccessAudienceCount: Sendable, Hashable, Codable {
    public struct Tally: Sendable, Hashable, Codable {
        public var passing = 0
        public var of = 0

        public init(passing: Int = 0, of: Int = 0) {
            self.passing = passing
            self.of = of
        }

        mutating func add(_ passes: Bool) {
            of += 1
            if passes { passing += 1 }
        }
    }

    public struct BoardCount: Sendable, Hashable, Codable {
        public var code: String
        public var name: String
        public var province: Province
        /// Current members (distinct people) who pass, of all current members.
        public var members = Tally()
    }

    public struct ProvinceCount: Sendable, Hashable, Codable {
        public var province: Province
        /// Boards with at least one passing member, of the province's boards.
        public var boards = Tally()
        public var members = Tally()
    }

    public var learners = Tally()
    public var members = Tally()
    public var boards = Tally()
    public var enrolledInProgress = Tally()
    /// Every board, ordered by province, then name.
    public var perBoard: [BoardCount] = []
    public var perProvince: [ProvinceCount] = []
    /// What makes the rule unusable as written (it then denies everyone but admins).
    public var problems: [AccessReason] = []

    public init() {}
}

/// The effect of replacing one rule by another.
public struct AccessAudienceChange: Sendable, Hashable, Codable {
    public struct Side: Sendable, Hashable, Codable {
        public var learners = 0
        public var members = 0
        /// Boards with at least one member on this side.
        public var boards = 0
        public var enrolledInProgress = 0

        mutating func add(_ applies: Bool, member: Bool, inProgress: Bool) {
            guard applies else { return }
            learners += 1
            if member { members += 1 }
            if inProgress { enrolledInProgress += 1 }
        }
    }

    public struct BoardChange: Sendable, Hashable, Codable {
        public var code: String
        public var name: String
        public var province: Province
        public var gained = 0
        public var lost = 0
    }

    public var gained = Side()
    public var lost = Side()
    /// Only the boards where someone gains or loses, ordered by province, then name.
    public var perBoard: [BoardChange] = []

    public var isEmpty: Bool { gained.learners == 0 && lost.learners == 0 }

    public init() {}
}

// MARK: - Loading

extension AccessAudience {
    /// Builds the snapshot in six set queries whatever the number of people (users, memberships with their
    /// boards, groups, enrolments that matter to rules, boards, group keys, published course slugs), reading
    /// only the columns rules need through SQL rather than Fluent models (tens of thousands of rows).
    public static func load(on database: any Database, now: Date) async throws -> AccessAudience {
        guard let sql = database as? any SQLDatabase else { throw AccessAudienceError.needsSQLDatabase }

        struct UserRow: Decodable {
            let id: UUID
            let role: String
            let profession: String
            let registration_number: String?
        }
        struct MembershipRow: Decodable {
            let user_id: UUID
            let code: String
            let province: String
            let cluster: String?
            let role: String
            let valid_from: String?
            let valid_until: String?
        }
        struct GroupRow: Decodable {
            let user_id: UUID
            let key: String
        }
        struct EnrolmentRow: Decodable {
            let user_id: UUID
            let slug: String
            let status: String
            let key_accepted: Bool?
            let cycle: Int
        }
        struct BoardRow: Decodable {
            let code: String
            let name: String
            let province: String
        }
        struct KeyRow: Decodable {
            let key: String
        }
        struct SlugRow: Decodable {
            let slug: String
        }

        let users = try await sql.raw("""
            SELECT id, role, profession, registration_number FROM users WHERE deactivated_at IS NULL
            """).all(decoding: UserRow.self)
        let memberships = try await sql.raw("""
            SELECT m.user_id, b.code, b.province, m.cluster, m.role, m.valid_from, m.valid_until
            FROM board_memberships m JOIN care_boards b ON b.id = m.board_id
            """).all(decoding: MembershipRow.self)
        let groups = try await sql.raw("""
            SELECT gm.user_id, g."key" AS "key" FROM group_memberships gm JOIN access_groups g ON g.id = gm.group_id
            """).all(decoding: GroupRow.self)
        let enrolments = try await sql.raw("""
            SELECT e.user_id, c.slug, e.status, e.key_accepted, e.cycle FROM enrolments e JOIN courses c ON c.id = e.course_id
            WHERE e.status IN ('active', 'completed') OR e.key_accepted = \(bind: true) OR e.cycle > 1
            """).all(decoding: EnrolmentRow.self)
        let boards = try await sql.raw("SELECT code, name, province FROM care_boards").all(decoding: BoardRow.self)
        let groupKeys = try await sql.raw(#"SELECT "key" AS "key" FROM access_groups"#).all(decoding: KeyRow.self)
        let slugs = try await sql.raw("""
            SELECT slug FROM courses WHERE status = 'published' AND current_version_id IS NOT NULL
            """).all(decoding: SlugRow.self)

        var membershipsByUser: [UUID: [AccessSubject.Membership]] = [:]
        for row in memberships {
            // An unreadable validity must not become an open-ended one: such a row is left out, as on pages.
            var from: CalendarDay?
            var until: CalendarDay?
            if let text = row.valid_from {
                guard let day = CalendarDay(iso: text) else { continue }
                from = day
            }
            if let text = row.valid_until {
                guard let day = CalendarDay(iso: text) else { continue }
                until = day
            }
            membershipsByUser[row.user_id, default: []].append(.init(
                board: row.code, province: Province(row.province), cluster: row.cluster.map(CareBoardCluster.init),
                role: BoardRole(row.role), validFrom: from, validUntil: until))
        }
        var groupsByUser: [UUID: Set<String>] = [:]
        for row in groups { groupsByUser[row.user_id, default: []].insert(row.key) }
        var completed: [UUID: Set<String>] = [:]
        var keysGiven: [UUID: Set<String>] = [:]
        var inProgress: [UUID: Set<String>] = [:]
        for row in enrolments {
            // In a new accreditation cycle (cycle > 1) the course was completed before, and that still counts.
            if row.status == Enrolment.Status.completed.rawValue || row.cycle > 1 { completed[row.user_id, default: []].insert(row.slug) }
            if row.status == Enrolment.Status.active.rawValue { inProgress[row.user_id, default: []].insert(row.slug) }
            if row.key_accepted == true { keysGiven[row.user_id, default: []].insert(row.slug) }
        }
        let people = users.map { row in
            Person(subject: AccessSubject(userID: row.id, platformRoles: [PlatformRole(row.role)],
                                          profession: ProfessionKey(row.profession),
                                          hasRegistrationNumber: row.registration_number != nil,
                                          memberships: membershipsByUser[row.id] ?? [],
                                          groups: groupsByUser[row.id] ?? [],
                                          completedCourses: completed[row.id] ?? [],
                                          enrolmentKeysGiven: keysGiven[row.id] ?? []),
                   isAdmin: row.role == User.Role.admin.rawValue,
                   coursesInProgress: inProgress[row.id] ?? [])
        }
        let vocabulary = AccessVocabulary(boards: Set(boards.map(\.code)), groups: Set(groupKeys.map(\.key)),
                                          courses: Set(slugs.map(\.slug)))
        return AccessAudience(people: people,
                              boards: boards.map { Board(code: $0.code, name: $0.name, province: Province($0.province)) },
                              vocabulary: vocabulary, now: now)
    }
}

enum AccessAudienceError: Error, CustomStringConvertible {
    case needsSQLDatabase

    var description: String { "The audience of a rule is counted with SQL; this database driver does not offer it." }
}
