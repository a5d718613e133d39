import Fluent
import Foundation

/// A trainer exempts a learner from one module ("vrijstelling"): the learner showed the competence
/// elsewhere, took an equivalent module, or an administrative decision was made. The module's latest
/// attempt becomes completed and passed, an audit event keeps who, when, why and the attempt before and
/// after, and for a cmi5 AU the academy records the cmi5 "waived" statement (cmi5 9.3.7) with the reason,
/// then "satisfied" for blocks and the course where this was the last AU they waited for. The caller asks
/// the completion recorder afterwards: a waiver can complete the course.
struct ModuleWaiver: Sendable {
    /// cmi5 9.3.7's reasons for a waiver, as the statement's reason extension carries them.
    enum Reason: String, CaseIterable, Codable, Sendable {
        case testedOut = "Tested Out"
        case equivalentAU = "Equivalent AU"
        case equivalentOutsideActivity = "Equivalent Outside Activity"
        case administrative = "Administrative"

        /// The form's value and the message key's last part.
        var key: String {
            switch self {
            case .testedOut: "tested-out"
            case .equivalentAU: "equivalent-module"
            case .equivalentOutsideActivity: "equivalent-outside"
            case .administrative: "administrative"
            }
        }

        init?(key: String) {
            guard let found = Self.allCases.first(where: { $0.key == key }) else { return nil }
            self = found
        }
    }

    enum Failure: Error, Equatable {
        case reasonMissing
        case noteMissing
        case noteTooLong
        /// No such module with content in the learner's version (folders cannot be waived).
        case moduleNotFound
        /// The learner already satisfied the module: nothing to waive.
        case alreadySatisfied
        /// Only active or completed enrolments have modules to waive.
        case notEnrolled
    }

    static let action = "module-attempt.waive"
    static let reasonExtension = "https://w3id.org/xapi/cmi5/context/extensions/reason"

    let database: any Database
    /// Writes the cmi5 statements of waived AUs.
    let cmi5: Cmi5Runtime

    /// The waived attempt's id and the audit event.
    @discardableResult
    func waive(enrolmentID: UUID, moduleKey: String, reason: Reason?, note text: String, by actor: User,
               at now: Date = Date()) async throws -> (attempt: UUID, event: AuditEvent) {
        guard let reason else { throw Failure.reasonMissing }
        let note = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw Failure.noteMissing }
        guard note.count <= AttemptReset.maxReasonLength else { throw Failure.noteTooLong }
        return try await ProcessLocks.writes.withLock("cmi5:\(enrolmentID)") {
            try await database.transaction { db in
                try await RowLock.hold(Enrolment.schema, enrolmentID, on: db)
                guard let enrolment = try await Enrolment.find(enrolmentID, on: db),
                      enrolment.status == .active || enrolment.status == .completed else { throw Failure.notEnrolled }
                guard let module = try await CourseModule.query(on: db).filter(\.$version.$id == enrolment.$version.id)
                        .filter(\.$key == moduleKey).first(),
                      let kind = module.moduleKind, kind != .folder,
                      let requirement = CourseCompletionRule.requirement(kind: kind, runtime: module.runtime),
                      let course = try await Course.find(enrolment.$course.id, on: db) else { throw Failure.moduleNotFound }
                let attempt = try await Self.latestAttempt(enrolment: enrolment, module: module, kind: kind, on: db, now: now)
                let candidate = CourseCompletionRule.Attempt(
                    id: try attempt.requireID(), moduleKey: moduleKey, number: attempt.number,
                    completed: attempt.completion == .completed, passed: attempt.success == .passed,
                    scoreScaled: attempt.scoreScaled, at: attempt.updatedAt)
                if requirement != .none, CourseCompletionRule.satisfies(candidate, requirement) { throw Failure.alreadySatisfied }
                let before = AttemptReset.Snapshot(attempt)
                if kind == .au {
                    try await waiveAU(attempt, module: module, enrolment: enrolment, course: course, reason: reason, now: now, on: db)
                } else {
                    attempt.completion = .completed
                    attempt.success = .passed
                    attempt.progress = 1
                    attempt.completedAt = attempt.completedAt ?? now
                    attempt.updatedAt = now
                    try await attempt.save(on: db)
                }
                let attemptID = try attempt.requireID()
                let event = try await AuditTrail(database: db).record(
                    actor: actor, action: Self.action, subjectType: AttemptReset.subjectType,
                    subjectID: attemptID.uuidString.lowercased(), before: before, after: AttemptReset.Snapshot(attempt),
                    reason: "\(reason.rawValue): \(note)", at: now)
                return (attemptID, event)
            }
        }
    }

    private static func latestAttempt(enrolment: Enrolment, module: CourseModule, kind: PackageModule.Kind,
                                      on db: any Database, now: Date) async throws -> ModuleAttempt {
        if let existing = try await ModuleAttempt.ofRound(enrolment, on: db)
            .filter(\.$moduleKey == module.key).sort(\.$number, .descending).first() {
            return existing
        }
        let number = try await ModuleAttempt.nextNumber(enrolmentID: enrolment.requireID(), moduleKey: module.key, on: db)
        let attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: module.key, kind: kind, number: number, now: now)
        try await attempt.create(on: db)
        return attempt
    }

    /// cmi5 9.3.7: "waived" with success and completion, in a session of its own (no AU runs), and the AU's
    /// state as satisfied so that blocks and the course are judged as for any other AU.
    private func waiveAU(_ attempt: ModuleAttempt, module: CourseModule, enrolment: Enrolment, course: Course,
                         reason: Reason, now: Date, on db: any Database) async throws {
        let (registration, _) = try await Cmi5Runtime.registration(of: enrolment.requireID(), on: db, now: now)
        var state = Cmi5Runtime.auState(of: attempt, registration: registration)
        state.completed = true
        state.passed = true
        state.failed = false
        Cmi5Runtime.apply(state, initialized: true, to: attempt, now: now)
        attempt.success = .passed
        try await attempt.save(on: db)
        let launcher = cmi5.launcher
        let actor = launcher.actor(userID: enrolment.$user.id)
        let sessionID = UUID()
        let waived = launcher.statement(
            verb: .waived, actor: actor,
            object: .init(activityID: launcher.auActivityID(courseID: try course.requireID(), publisherID: module.key),
                          publisherID: module.key, title: module.title, type: module.runtime.cmi5?.activityType),
            registration: registration, sessionID: sessionID,
            extensions: [Self.reasonExtension: .string(reason.rawValue)],
            result: .object(["success": .bool(true), "completion": .bool(true)]), timestamp: now)
        try await Cmi5Runtime.store(waived, origin: "lms", registration: registration, session: sessionID, on: db, now: now)
        _ = try await cmi5.recordSatisfaction(enrolment: enrolment, course: course, registration: registration,
                                              sessionID: sessionID, actor: actor, on: db)
    }
}
