import Fluent
import Foundation

/// Opens a new round of a completed enrolment (a new accreditation cycle, `CycleRenewal` decides when): the
/// enrolment's `cycle` counts up, it becomes active again on the course's current version and resumes nowhere.
/// Nothing of the earlier round is changed: its module attempts keep their `cycle`, its completion and
/// accreditation records stay as they are (certificates, verification, points per year). The new round's
/// attempts and completion carry the new cycle; its completion earns records of its own.
///
/// Idempotent per round: the caller names the round it saw (`fromCycle`), and the enrolment's row is held for
/// the change, so two clicks, two tabs or two app instances asking for the next round open one.
struct EnrolmentRound: Sendable {
    enum Failure: Error, Equatable {
        case notFound
        case refused(CycleRenewal.Verdict)
    }

    struct Snapshot: Codable, Equatable, Sendable {
        var cycle: Int
        var status: String
        var versionID: UUID
        var completedAt: Date?
        var lastModuleKey: String?

        init(_ enrolment: Enrolment) {
            cycle = enrolment.cycle
            status = enrolment.status.rawValue
            versionID = enrolment.$version.id
            completedAt = enrolment.completedAt
            lastModuleKey = enrolment.lastModuleKey
        }
    }

    struct Opened: Sendable {
        let enrolment: Enrolment
        /// False when the round had already been opened (a second click): nothing was written.
        let changed: Bool
    }

    static let action = "enrolment.cycle.open"
    static let subjectType = "enrolment"

    let database: any Database
    var now: @Sendable () -> Date = { Date() }
    var windowDays = CycleRenewal.defaultWindowDays

    init(database: any Database) {
        self.database = database
    }

    /// What the rule knows of this enrolment now, from its stored rows.
    func renewal(of enrolment: Enrolment, on db: (any Database)? = nil) async throws -> CycleRenewal {
        let id = try enrolment.requireID()
        return try await renewals(of: [enrolment], on: db)[id]
            ?? CycleRenewal(round: .notEnrolled, courseOpen: false, validUntil: [])
    }

    /// The same for many enrolments in three queries (their courses, the current rounds' completions, and
    /// those completions' records), for "My learning".
    func renewals(of enrolments: [Enrolment], on db: (any Database)? = nil) async throws -> [UUID: CycleRenewal] {
        let db = db ?? database
        guard !enrolments.isEmpty else { return [:] }
        let courseIDs = Array(Set(enrolments.map { $0.$course.id }))
        let courses = Dictionary(try await Course.query(on: db).filter(\.$id ~~ courseIDs).all().compactMap { course in
            course.id.map { ($0, course) }
        }, uniquingKeysWith: { first, _ in first })
        let finished = enrolments.filter { $0.status == .completed }
        var completionOf: [UUID: UUID] = [:]
        var validUntil: [UUID: [CalendarDay]] = [:]
        if !finished.isEmpty {
            let cycles = Dictionary(finished.compactMap { enrolment in enrolment.id.map { ($0, enrolment.cycle) } },
                                    uniquingKeysWith: { first, _ in first })
            let completions = try await CourseCompletion.query(on: db).filter(\.$enrolment.$id ~~ Array(cycles.keys)).all()
            for completion in completions where cycles[completion.$enrolment.id] == completion.cycle {
                completionOf[try completion.requireID()] = completion.$enrolment.id
            }
            if !completionOf.isEmpty {
                let records = try await AccreditationRecord.query(on: db).filter(\.$completion.$id ~~ Array(completionOf.keys)).all()
                for record in CertificateController.current(records) {
                    guard let enrolmentID = completionOf[record.$completion.id],
                          let day = record.validUntil.flatMap(CalendarDay.init(iso:)) else { continue }
                    validUntil[enrolmentID, default: []].append(day)
                }
            }
        }
        var result: [UUID: CycleRenewal] = [:]
        for enrolment in enrolments {
            guard let id = enrolment.id else { continue }
            let round: CycleRenewal.RoundState = switch enrolment.status {
            case .completed: .finished
            case .active: .inProgress
            case .waiting, .withdrawn, .expired: .notEnrolled
            }
            let course = courses[enrolment.$course.id]
            result[id] = CycleRenewal(round: round,
                                      courseOpen: course?.status == .published && course?.$currentVersion.id != nil,
                                      validUntil: validUntil[id] ?? [])
        }
        return result
    }

    /// Opens round `fromCycle + 1` when the enrolment is still in round `fromCycle` and the rule allows it;
    /// when it is already past that round, answers the enrolment as it is (nothing written). Staff give a reason
    /// (`AttemptReset.validReason`: required, at most 500 characters; it throws `AttemptReset.Failure`).
    @discardableResult
    func open(enrolmentID: UUID, fromCycle: Int, by actor: User, as initiator: CycleRenewal.Initiator,
              reason text: String? = nil) async throws -> Opened {
        let reason: String? = initiator == .staff ? try AttemptReset.validReason(text ?? "") : nil
        let time = now()
        let window = windowDays
        return try await ProcessLocks.writes.withLock("completion:\(enrolmentID)") {
            try await database.transaction { db in
                // The lock the completion recorder and the runtimes hold: a round cannot open under a write.
                try await RowLock.hold(Enrolment.schema, enrolmentID, on: db)
                guard let enrolment = try await Enrolment.find(enrolmentID, on: db) else { throw Failure.notFound }
                if enrolment.cycle > fromCycle { return Opened(enrolment: enrolment, changed: false) }
                guard enrolment.cycle == fromCycle else { throw Failure.notFound }
                let renewal = try await renewal(of: enrolment, on: db)
                let verdict = renewal.decide(by: initiator, today: CalendarDay(time), window: window)
                guard verdict == .open else { throw Failure.refused(verdict) }
                guard let course = try await Course.find(enrolment.$course.id, on: db),
                      let currentVersion = course.$currentVersion.id else { throw Failure.refused(.courseClosed) }
                let before = Snapshot(enrolment)
                enrolment.cycle += 1
                enrolment.status = .active
                enrolment.completedAt = nil
                enrolment.$version.id = currentVersion
                enrolment.lastModuleKey = nil
                enrolment.lastActivityAt = nil
                try await enrolment.save(on: db)
                try await AuditTrail(database: db).record(
                    actor: actor, action: Self.action, subjectType: Self.subjectType,
                    subjectID: enrolmentID.uuidString.lowercased(), before: before, after: Snapshot(enrolment),
                    reason: reason, at: time)
                return Opened(enrolment: enrolment, changed: true)
            }
        }
    }
}

extension ModuleAttempt {
    /// The attempts of one round of an enrolment (the current one unless told otherwise).
    static func ofRound(_ enrolment: Enrolment, cycle: Int? = nil, on db: any Database) throws -> QueryBuilder<ModuleAttempt> {
        ModuleAttempt.query(on: db).filter(\.$enrolment.$id == (try enrolment.requireID()))
            .filter(\.$cycle == (cycle ?? enrolment.cycle))
    }

    /// The number a new attempt at `moduleKey` takes: one more than any of the enrolment's, whatever the round
    /// (the unique key is enrolment, module, number).
    static func nextNumber(enrolmentID: UUID, moduleKey: String, on db: any Database) async throws -> Int {
        let last = try await ModuleAttempt.query(on: db).filter(\.$enrolment.$id == enrolmentID)
            .filter(\.$moduleKey == moduleKey).sort(\.$number, .descending).first()
        return (last?.number ?? 0) + 1
    }
}
