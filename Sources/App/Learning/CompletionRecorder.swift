import Fluent
import Foundation

/// Completes courses the moment their last required step is recorded, and issues the accreditation
/// records a completion earns. Call `attemptChanged(enrolmentID:)` after writing a module attempt; it is
/// idempotent and safe to call from concurrent requests.
struct CompletionRecorder: Sendable {
    let database: any Database
    var organiserNumber: String? = nil
    var now: @Sendable () -> Date = { Date() }

    /// UNFINISHED: the completion rule and record issuing land next; this signature stays.
    @discardableResult
    func attemptChanged(enrolmentID: UUID) async throws -> CourseCompletion? {
        nil
    }
}
