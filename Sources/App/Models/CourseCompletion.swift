import Fluent
import Foundation

/// A course completed by a learner, written once when the last required step was recorded.
final class CourseCompletion: Model, @unchecked Sendable {
    static let schema = "course_completions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "enrolment_id") var enrolment: Enrolment
    @Parent(key: "user_id") var user: User
    @Parent(key: "course_id") var course: Course
    @Parent(key: "version_id") var version: CourseVersion
    /// 1 for the first completion of a course; a course taken again in a new accreditation cycle counts up.
    @Field(key: "cycle") var cycle: Int
    /// Stored in UTC, shown in Europe/Brussels.
    @Field(key: "completed_at") var completedAt: Date
    @OptionalField(key: "score_scaled") var scoreScaled: Double?
    /// JSON of `CompletionEvidence`: which modules and attempts made the course complete.
    @Field(key: "evidence") var evidenceJSON: String
    /// Printed on the certificate; /verify/CODE confirms it.
    @OptionalField(key: "verification_code") var verificationCode: String?

    init() {}
}
