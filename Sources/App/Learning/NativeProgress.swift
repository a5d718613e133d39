import Fluent
import Foundation
import SQLKit

/// Writes the progress of native modules (pages, video, PDF, links, quizzes) to their attempt: one per round
/// of the enrolment (number 1 in the first round, the next free number in a later one), only ever moving forward. Safe when two tabs post at once: the enrolment row is
/// locked for the write, and an insert that loses a race on the unique (enrolment, module, number) key
/// is retried, which then finds the other request's row and updates it.
struct NativeProgress: Sendable {
    struct Outcome: Sendable {
        let attempt: ModuleAttempt
        /// False when the event changed nothing (a page opened again, an older video position).
        let changed: Bool
    }

    let database: any Database
    var now: @Sendable () -> Date = { Date() }
    var maxTries = 5

    func record(_ event: ModuleEvent, moduleKey: String, kind: PackageModule.Kind, criterion: ModuleCriterion,
                enrolment: Enrolment) async throws -> Outcome {
        var tries = 0
        while true {
            tries += 1
            do {
                return try await ProcessLocks.writes.withLock("progress:\(try enrolment.requireID())") {
                    try await write(event, moduleKey: moduleKey, kind: kind, criterion: criterion, enrolment: enrolment)
                }
            } catch {
                guard tries < maxTries, PackageImporter.isLostRace(error) else { throw error }
                try await Task.sleep(nanoseconds: UInt64.random(in: 1_000_000...10_000_000) * UInt64(tries))
            }
        }
    }

    private func write(_ event: ModuleEvent, moduleKey: String, kind: PackageModule.Kind, criterion: ModuleCriterion,
                       enrolment: Enrolment) async throws -> Outcome {
        let enrolmentID = try enrolment.requireID()
        let now = self.now()
        return try await database.transaction { db in
            try await Self.lock(enrolmentID: enrolmentID, on: db)
            // Read under the lock: a new round may have opened since the request read the enrolment.
            let cycle = try await Enrolment.find(enrolmentID, on: db)?.cycle ?? enrolment.cycle
            let existing = try await ModuleAttempt.ofRound(enrolment, cycle: cycle, on: db)
                .filter(\.$moduleKey == moduleKey).sort(\.$number).first()
            let attempt: ModuleAttempt
            if let existing {
                attempt = existing
            } else {
                let number = try await ModuleAttempt.nextNumber(enrolmentID: enrolmentID, moduleKey: moduleKey, on: db)
                attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: moduleKey, kind: kind, number: number, now: now)
                attempt.cycle = cycle
            }
            let before = NativeAttemptProgress(attempt)
            let after = before.applying(event, criterion: criterion, at: now)
            if existing != nil, after == before { return Outcome(attempt: attempt, changed: false) }
            try after.write(to: attempt)
            attempt.updatedAt = now
            try await attempt.save(on: db)
            return Outcome(attempt: attempt, changed: true)
        }
    }

    /// Holds the enrolment row until the transaction ends, so one learner's progress writes take turns:
    /// `FOR UPDATE` on PostgreSQL; on SQLite a no-op write, which takes the write lock at once.
    static func lock(enrolmentID: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("UPDATE enrolments SET status = status WHERE id = \(bind: enrolmentID)").run()
        } else {
            try await sql.raw("SELECT id FROM enrolments WHERE id = \(bind: enrolmentID) FOR UPDATE").run()
        }
    }
}

extension NativeAttemptProgress {
    init(_ attempt: ModuleAttempt) {
        self.init(completion: attempt.completion, success: attempt.success, scoreScaled: attempt.scoreScaled,
                  progress: attempt.progress, quiz: attempt.state.flatMap(Self.decodeQuiz), completedAt: attempt.completedAt)
    }

    func write(to attempt: ModuleAttempt) throws {
        attempt.completion = completion
        attempt.success = success
        attempt.scoreScaled = scoreScaled
        attempt.progress = progress
        attempt.completedAt = completedAt
        if let quiz {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            attempt.state = String(decoding: try encoder.encode(quiz), as: UTF8.self)
        }
    }

    static func decodeQuiz(_ json: String) -> QuizAttemptState? {
        try? JSONDecoder().decode(QuizAttemptState.self, from: Data(json.utf8))
    }
}
