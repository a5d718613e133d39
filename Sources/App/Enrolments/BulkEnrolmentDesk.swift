import Fluent
import Foundation

/// Plans and applies a `BulkEnrolment` list for one course in one transaction, with the course locked
/// as `EnrolmentDesk` locks it, so that self-enrolments racing with the list never fill more seats than
/// the course has. The dry run and the real run compute the plan the same way, from the database as it
/// is at that moment; the real run writes only when no line is refused.
struct BulkEnrolmentDesk {
    /// Why the course's rules deny a person, in words (empty: allowed). Built by the caller from the
    /// course's policies, so this desk needs no request.
    typealias RuleCheck = @Sendable (AccessSubject) -> [String]

    let database: any Database
    let locks: CourseLocks
    var now: Date = Date()

    struct Result: Sendable {
        var plan: BulkEnrolment.Plan
        var applied: Bool
    }

    func run(_ lines: [BulkEnrolment.Line], courseID: UUID, slug: String, versionID: UUID, apply: Bool,
             rules check: @escaping RuleCheck) async throws -> Result {
        let now = self.now
        let enrolments = EnrolmentDesk(database: database, locks: locks, now: now)
        return try await enrolments.locked(courseID) { db in
            let emails = Set(lines.compactMap { EmailAddress($0.email)?.value })
            var users: [String: User] = [:]
            for slice in Array(emails).sorted().chunked(500) {
                for user in try await User.query(on: db).filter(\.$email ~~ slice).all() { users[user.email] = user }
            }
            let ids = users.values.compactMap(\.id)
            let facts = try await Self.facts(of: ids, courseID: courseID, on: db)
            let settings = try await EnrolmentSettings.find(courseID, on: db)
            let rules = settings?.rules ?? .open
            let today = CalendarDay(now)
            var people: [String: BulkEnrolment.Person] = [:]
            for (email, user) in users {
                guard let id = user.id else { continue }
                let memberships = facts.memberships[id] ?? []
                let subject = AccessSubject(userID: id, platformRoles: [PlatformRole(user.role.rawValue)],
                                            profession: ProfessionKey(user.profession),
                                            hasRegistrationNumber: user.registrationNumber != nil,
                                            memberships: memberships, groups: facts.groups[id] ?? [],
                                            completedCourses: facts.completed[id] ?? [],
                                            // A trainer's enrolment stands in for the key.
                                            enrolmentKeysGiven: (facts.completed[id] ?? []).union([slug]))
                people[email] = BulkEnrolment.Person(
                    standing: facts.standing[id] ?? .none,
                    boards: Set(memberships.filter { $0.isValid(on: today) }.map(\.board)),
                    deniedBecause: user.role == .admin ? [] : check(subject))
            }
            let knownBoards = Set(try await CareBoard.query(on: db).all().map(\.code))
            let counts = try await enrolments.counts(courseID, on: db)
            let waitingLine = try await Enrolment.query(on: db).filter(\.$course.$id == courseID).filter(\.$status == .waiting).all()
            let plan = BulkEnrolment.plan(lines, people: people, knownBoards: knownBoards, rules: rules, counts: counts,
                                          waitingCount: waitingLine.count)
            guard apply, plan.isAcceptable else { return Result(plan: plan, applied: false) }

            var queuedAt = Swift.max(now, (waitingLine.compactMap(\.queuedAt).max() ?? .distantPast).addingTimeInterval(0.001))
            for entry in plan.entries {
                guard let user = users[entry.email], let userID = user.id else { continue }
                let existing = facts.rows[userID]
                switch entry.outcome {
                case .enrol(let seat):
                    let enrolment = existing ?? Enrolment(userID: userID, courseID: courseID, versionID: versionID)
                    enrolment.status = .active
                    enrolment.seatBoard = seat.board
                    enrolment.queuedAt = nil
                    try await Self.save(enrolment, reused: existing != nil, versionID: versionID, asksKey: rules.asksKey, now: now, on: db)
                case .wait:
                    let enrolment = existing ?? Enrolment(userID: userID, courseID: courseID, versionID: versionID)
                    enrolment.status = .waiting
                    enrolment.seatBoard = nil
                    enrolment.queuedAt = queuedAt
                    queuedAt = queuedAt.addingTimeInterval(0.001)
                    try await Self.save(enrolment, reused: existing != nil, versionID: versionID, asksKey: rules.asksKey, now: now, on: db)
                case .already, .refused:
                    continue
                }
            }
            return Result(plan: plan, applied: plan.changes)
        }
    }

    private static func save(_ enrolment: Enrolment, reused: Bool, versionID: UUID, asksKey: Bool, now: Date,
                             on db: any Database) async throws {
        if reused {
            enrolment.$version.id = versionID
            enrolment.enrolledAt = now
            enrolment.completedAt = nil
        }
        if asksKey { enrolment.keyAccepted = true }
        try await enrolment.save(on: db)
    }

    struct Facts {
        var memberships: [UUID: [AccessSubject.Membership]] = [:]
        var groups: [UUID: Set<String>] = [:]
        var completed: [UUID: Set<String>] = [:]
        var standing: [UUID: BulkEnrolment.Standing] = [:]
        /// The person's enrolment row in this course, if any.
        var rows: [UUID: Enrolment] = [:]
    }

    /// Everything the rules and the plan need about these people, a few queries per 500 people.
    static func facts(of userIDs: [UUID], courseID: UUID, on db: any Database) async throws -> Facts {
        var facts = Facts()
        for slice in userIDs.chunked(500) {
            let memberships = try await BoardMembership.query(on: db).filter(\.$user.$id ~~ slice)
                .join(CareBoard.self, on: \BoardMembership.$board.$id == \CareBoard.$id).all()
            for membership in memberships {
                let board = try membership.joined(CareBoard.self)
                if let seat = membership.accessMembership(boardCode: board.code, province: board.province) {
                    facts.memberships[membership.$user.id, default: []].append(seat)
                }
            }
            let groups = try await GroupMembership.query(on: db).filter(\.$user.$id ~~ slice)
                .join(AccessGroup.self, on: \GroupMembership.$group.$id == \AccessGroup.$id).all()
            for row in groups { facts.groups[row.$user.id, default: []].insert(try row.joined(AccessGroup.self).key) }
            let completions = try await Enrolment.query(on: db).filter(\.$user.$id ~~ slice).filter(\.$status == .completed)
                .join(Course.self, on: \Enrolment.$course.$id == \Course.$id).all()
            for row in completions { facts.completed[row.$user.id, default: []].insert(try row.joined(Course.self).slug) }
            for row in try await Enrolment.query(on: db).filter(\.$course.$id == courseID).filter(\.$user.$id ~~ slice).all() {
                facts.rows[row.$user.id] = row
                facts.standing[row.$user.id] = switch row.status {
                case .active: .active
                case .completed: .completed
                case .waiting: .waiting
                case .withdrawn, .expired: .ended
                }
            }
        }
        return facts
    }
}
