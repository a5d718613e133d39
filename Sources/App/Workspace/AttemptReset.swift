import Fluent
import Foundation

/// A trainer sends one module attempt of a learner back to "not attempted": completion, success, score,
/// progress and the runtime's data are cleared in place (the row and its id stay, so references to it hold),
/// and an audit event keeps who, when, why and the attempt before and after. A course already completed
/// stays completed and its records are not touched: they are corrected or revoked on their own page.
struct AttemptReset: Sendable {
    /// What the audit event keeps of an attempt.
    struct Snapshot: Codable, Equatable, Sendable {
        var enrolment: UUID
        var moduleKey: String
        var number: Int
        var completion: String
        var success: String
        var scoreScaled: Double?
        var progress: Double?
        var state: String?
        var lastSequence: Int?
        var completedAt: Date?

        init(_ attempt: ModuleAttempt) {
            enrolment = attempt.$enrolment.id
            moduleKey = attempt.moduleKey
            number = attempt.number
            completion = attempt.completion.rawValue
            success = attempt.success.rawValue
            scoreScaled = attempt.scoreScaled
            progress = attempt.progress
            state = attempt.state
            lastSequence = attempt.lastSequence
            completedAt = attempt.completedAt
        }
    }

    enum Failure: Error, Equatable {
        /// The reason is mandatory (and at most `maxReasonLength` characters).
        case reasonMissing
        case reasonTooLong
        /// No such attempt in this enrolment.
        case notFound
    }

    static let action = "module-attempt.reset"
    static let subjectType = "module-attempt"
    static let maxReasonLength = 500

    let database: any Database

    static func validReason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Failure.reasonMissing }
        guard reason.count <= maxReasonLength else { throw Failure.reasonTooLong }
        return reason
    }

    @discardableResult
    func reset(attemptID: UUID, enrolmentID: UUID, by actor: User, reason text: String, at now: Date = Date()) async throws -> AuditEvent {
        let reason = try Self.validReason(text)
        return try await database.transaction { db in
            // Write before reading: SQLite refuses a transaction that read first and then writes after another
            // connection committed (the SCORM runtime met it under load); PostgreSQL takes the row lock here.
            try await ModuleAttempt.query(on: db).filter(\.$id == attemptID).filter(\.$enrolment.$id == enrolmentID)
                .set(\.$updatedAt, to: now).update()
            // Only the current round's attempts: an earlier accreditation cycle's are its completion's evidence.
            guard let attempt = try await ModuleAttempt.find(attemptID, on: db), attempt.$enrolment.id == enrolmentID,
                  let enrolment = try await Enrolment.find(enrolmentID, on: db), attempt.cycle == enrolment.cycle else {
                throw Failure.notFound
            }
            let before = Snapshot(attempt)
            attempt.completion = .notAttempted
            attempt.success = .unknown
            attempt.scoreScaled = nil
            attempt.progress = nil
            attempt.state = nil
            attempt.lastSequence = nil
            attempt.completedAt = nil
            attempt.updatedAt = now
            try await attempt.save(on: db)
            return try await AuditTrail(database: db).record(
                actor: actor, action: Self.action, subjectType: Self.subjectType, subjectID: attemptID.uuidString.lowercased(),
                before: before, after: Snapshot(attempt), reason: reason, at: now)
        }
    }
}
