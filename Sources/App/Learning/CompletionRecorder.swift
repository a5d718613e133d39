import Fluent
import Foundation
import SQLKit
import Vapor

/// Completes courses the moment their last required step is recorded, and issues the accreditation
/// records a completion earns. Call `attemptChanged(enrolmentID:)` after writing a module attempt; it is
/// idempotent and safe to call from concurrent requests and app instances: the completion's unique key
/// (learner, course, cycle) and each record's issue key make a second writer fail, re-read and find the
/// first one's rows.
///
/// One completion per round of the enrolment (`Enrolment.cycle`): a course taken again in a new accreditation
/// cycle (`EnrolmentRound`) is decided on that round's attempts and makes a completion of that cycle, with
/// records of its own; the earlier round's completion and records are never touched.
struct CompletionRecorder: Sendable {
    let database: any Database
    var organiserNumbers: [String: String] = [:]
    var now: @Sendable () -> Date = { Date() }
    var maxAttempts = 5
    /// The modules of the enrolment's version that a module rule hides from its learner: not required of
    /// them. Evaluated when completion is decided (an ended membership can hide a module later, and a
    /// learner who then finishes the rest completes). Without it every required module counts.
    var hiddenModules: (@Sendable (Enrolment, [CourseModule]) async throws -> Set<String>)?

    init(database: any Database, organiserNumbers: [String: String] = [:]) {
        self.database = database
        self.organiserNumbers = organiserNumbers
    }

    /// The completion of this enrolment, made now if its last required step was just recorded; `nil` while
    /// the course is not complete.
    @discardableResult
    func attemptChanged(enrolmentID: UUID) async throws -> CourseCompletion? {
        guard let enrolment = try await Enrolment.query(on: database).filter(\.$id == enrolmentID).with(\.$version).first(),
              enrolment.status == .active || enrolment.status == .completed else { return nil }
        if let existing = try await completion(of: enrolmentID, cycle: enrolment.cycle) {
            try await issueRecords(for: existing)
            return existing
        }
        let decision = try await progress(of: enrolment)
        guard decision.complete else { return nil }
        guard let written = try await ProcessLocks.writes.withLock("completion:\(enrolmentID)", {
            try await self.writeOnce(enrolment, decision: decision)
        }) else { return nil }
        try await issueRecords(for: written)
        return written
    }

    private func writeOnce(_ enrolment: Enrolment, decision: CourseCompletionRule.Decision) async throws -> CourseCompletion? {
        let enrolmentID = try enrolment.requireID()
        let cycle = enrolment.cycle
        return try await withRetry {
            if let existing = try await self.completion(of: enrolmentID, cycle: cycle) { return existing }
            return try await database.transaction { db in
                // Held until commit: a concurrent writer waits here, then finds this completion.
                try await RowLock.hold(Enrolment.schema, enrolmentID, on: db)
                if let existing = try await CourseCompletion.query(on: db).filter(\.$enrolment.$id == enrolmentID)
                    .filter(\.$cycle == cycle).first() {
                    return existing
                }
                // A new round opened since the decision was made on this one's attempts: it is not complete.
                guard let current = try await Enrolment.find(enrolmentID, on: db), current.cycle == cycle else {
                    return nil
                }
                return try await self.writeCompletion(current, decision: decision, on: db)
            }
        }
    }

    /// How far the learner is: required modules satisfied of all required.
    func progress(of enrolment: Enrolment) async throws -> CourseCompletionRule.Decision {
        let enrolmentID = try enrolment.requireID()
        let modules = try await CourseModule.query(on: database).filter(\.$version.$id == enrolment.$version.id)
            .sort(\.$position).all()
        let hidden = try await hiddenModules?(enrolment, modules) ?? []
        let rule = CourseCompletionRule(modules: modules.compactMap { module in
            guard let kind = module.moduleKind,
                  let requirement = CourseCompletionRule.requirement(kind: kind, runtime: module.runtime) else { return nil }
            return CourseCompletionRule.Module(key: module.key, required: module.required && !hidden.contains(module.key),
                                               requirement: requirement)
        })
        let attempts = try await ModuleAttempt.ofRound(enrolment, on: database).all()
        return rule.decide(try attempts.map { attempt in
            CourseCompletionRule.Attempt(id: try attempt.requireID(), moduleKey: attempt.moduleKey, number: attempt.number,
                                         completed: attempt.completion == .completed, passed: attempt.success == .passed,
                                         scoreScaled: attempt.scoreScaled, at: attempt.completedAt ?? attempt.updatedAt)
        })
    }

    /// Issues the records of every completion of this learner that still waits for them (after the
    /// learner gave a registration number).
    func issueWaitingRecords(userID: UUID) async throws {
        let completions = try await CourseCompletion.query(on: database).filter(\.$user.$id == userID).all()
        for completion in completions {
            try await issueRecords(for: completion)
        }
    }

    /// The records this completion earns and does not have yet; none while the learner's registration
    /// number is missing.
    func issueRecords(for completion: CourseCompletion) async throws {
        let completionID = try completion.requireID()
        guard let version = try await CourseVersion.find(completion.$version.id, on: database),
              !version.accreditations.isEmpty,
              let user = try await User.find(completion.$user.id, on: database) else { return }
        let issue = AccreditationIssue.decide(accreditations: version.accreditations, completedAt: completion.completedAt,
                                              registrationNumber: user.registrationNumber, organiserNumbers: organiserNumbers)
        guard issue.waiting == nil, !issue.drafts.isEmpty else { return }
        let existing = Set(try await AccreditationRecord.query(on: database).filter(\.$completion.$id == completionID)
            .all().map(\.issueKey))
        let missing = issue.drafts.filter { !existing.contains(Self.issueKey(completionID, $0.index)) }
        guard !missing.isEmpty else { return }
        let created = now()
        try await ProcessLocks.writes.withLock("records:\(completionID)") { try await withRetry {
            try await database.transaction { db in
                for draft in missing {
                    let key = Self.issueKey(completionID, draft.index)
                    if try await AccreditationRecord.query(on: db).filter(\.$issueKey == key).count() > 0 { continue }
                    let record = AccreditationRecord()
                    record.issueKey = key
                    record.kind = .issued
                    record.$completion.id = completionID
                    record.$user.id = try user.requireID()
                    record.learnerName = user.name
                    record.profession = user.profession
                    record.registrationNumber = user.registrationNumber ?? ""
                    record.$course.id = completion.$course.id
                    record.$version.id = try version.requireID()
                    record.versionNumber = version.number
                    record.courseTitle = version.title.text(in: version.language) ?? version.title.values.sorted().first ?? ""
                    record.body = draft.body
                    record.activityNumber = draft.activityNumber
                    record.organiserNumber = draft.organiserNumber
                    record.points = draft.points
                    record.unit = draft.unit
                    record.rubric = draft.rubric
                    record.completedAt = completion.completedAt
                    record.completedOn = draft.completedOn.description
                    record.validUntil = draft.validUntil
                    record.verificationCode = VerificationCode.make()
                    record.createdAt = created
                    try await record.create(on: db)
                }
            }
        } }
    }

    static func issueKey(_ completionID: UUID, _ index: Int) -> String {
        "\(completionID.uuidString.lowercased())/\(index)"
    }

    private func completion(of enrolmentID: UUID, cycle: Int) async throws -> CourseCompletion? {
        try await CourseCompletion.query(on: database).filter(\.$enrolment.$id == enrolmentID).filter(\.$cycle == cycle).first()
    }

    private func writeCompletion(_ enrolment: Enrolment, decision: CourseCompletionRule.Decision,
                                 on db: any Database) async throws -> CourseCompletion {
        let userID = enrolment.$user.id, courseID = enrolment.$course.id
        let completion = CourseCompletion()
        completion.$enrolment.id = try enrolment.requireID()
        completion.$user.id = userID
        completion.$course.id = courseID
        completion.$version.id = enrolment.$version.id
        completion.cycle = enrolment.cycle
        completion.completedAt = decision.completedAt ?? now()
        completion.scoreScaled = decision.scoreScaled
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        completion.evidenceJSON = String(decoding: try encoder.encode(decision.evidence), as: UTF8.self)
        completion.verificationCode = VerificationCode.make()
        try await completion.create(on: db)
        enrolment.status = .completed
        enrolment.completedAt = completion.completedAt
        try await enrolment.save(on: db)
        return completion
    }

    /// Runs `body` again when a concurrent writer won a race on a unique key (or SQLite's write lock).
    private func withRetry<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body()
            } catch {
                guard attempt < maxAttempts, PackageImporter.isLostRace(error) else { throw error }
                try await Task.sleep(nanoseconds: UInt64.random(in: 2_000_000...20_000_000) * UInt64(attempt))
            }
        }
    }
}

extension Request {
    /// The recorder with this academy's settings, on `db` (a transaction's database, or the request's).
    func completionRecorder(on db: (any Database)? = nil) -> CompletionRecorder {
        application.completionRecorder(on: db ?? self.db)
    }
}

extension Application {
    /// The recorder with this academy's settings and its module rules: the learner of each enrolment is
    /// evaluated as they are now (not as whoever makes the request: a trainer moving learners, a command).
    func completionRecorder(on db: any Database) -> CompletionRecorder {
        var recorder = CompletionRecorder(database: db, organiserNumbers: academySettings.organiserNumbers)
        let application = self
        recorder.hiddenModules = { enrolment, modules in
            guard let version = try await CourseVersion.find(enrolment.$version.id, on: db) else { return [] }
            let rules = version.packageAccessRules.filter { $0.scope == .module && $0.moduleKey != nil }
            guard !rules.isEmpty,
                  let user = try await User.find(enrolment.$user.id, on: db),
                  let course = try await Course.find(enrolment.$course.id, on: db) else { return [] }
            let access = try await CourseAccess.load(user: user, language: .nl, application: application, on: db)
            let verdicts = access.moduleAccess(rules: rules, modules: modules, courseSlug: course.slug)
            return Set(verdicts.filter { $0.value == .hidden }.keys)
        }
        return recorder
    }
}
