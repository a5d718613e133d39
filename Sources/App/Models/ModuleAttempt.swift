import Fluent
import Foundation

/// One attempt of one learner at one module of the course version they are enrolled in. Native modules
/// have one attempt that only ever moves forward; SCORM SCOs and cmi5 AUs may start new ones.
final class ModuleAttempt: Model, @unchecked Sendable {
    static let schema = "module_attempts"

    enum Completion: String, Codable, Sendable { case notAttempted = "not-attempted", incomplete, completed }
    enum Success: String, Codable, Sendable { case unknown, passed, failed }

    @ID(key: .id) var id: UUID?
    @Parent(key: "enrolment_id") var enrolment: Enrolment
    @Parent(key: "user_id") var user: User
    @Parent(key: "course_id") var course: Course
    @Parent(key: "version_id") var version: CourseVersion
    @Field(key: "module_key") var moduleKey: String
    @Field(key: "number") var number: Int
    /// The module's kind (`PackageModule.Kind` raw value) when the attempt began.
    @Field(key: "kind") var kind: String
    @Enum(key: "completion") var completion: Completion
    @Enum(key: "success") var success: Success
    /// -1...1, as SCORM 2004's cmi.score.scaled and xAPI's result.score.scaled.
    @OptionalField(key: "score_scaled") var scoreScaled: Double?
    /// 0...1: the share of a video watched, or SCORM 2004's progress_measure.
    @OptionalField(key: "progress") var progress: Double?
    /// The runtime's own data as JSON: a `ScormAttemptState` for SCOs, the given answers for a quiz.
    @OptionalField(key: "state") var state: String?
    /// The last runtime batch applied (SCORM commits are idempotent by sequence number).
    @OptionalField(key: "last_sequence") var lastSequence: Int?
    @Field(key: "started_at") var startedAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "completed_at") var completedAt: Date?
    /// The enrolment's round this attempt belongs to (`Enrolment.cycle`). Attempt numbers go on counting
    /// across rounds (the unique key is enrolment, module, number), so a new round starts at the next number.
    @Field(key: "cycle") var cycle: Int

    init() {}

    init(enrolment: Enrolment, moduleKey: String, kind: PackageModule.Kind, number: Int = 1, now: Date = Date()) throws {
        self.$enrolment.id = try enrolment.requireID()
        self.$user.id = enrolment.$user.id
        self.$course.id = enrolment.$course.id
        self.$version.id = enrolment.$version.id
        self.cycle = enrolment.cycle
        self.moduleKey = moduleKey
        self.number = number
        self.kind = kind.rawValue
        self.completion = .notAttempted
        self.success = .unknown
        self.startedAt = now
        self.updatedAt = now
    }
}
