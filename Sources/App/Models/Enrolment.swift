import Fluent
import Vapor

final class Enrolment: Model, @unchecked Sendable {
    static let schema = "enrolments"

    enum Status: String, Codable, CaseIterable, Sendable {
        case active, completed, withdrawn, expired
        /// The course was full; the learner moves up when a seat frees (oldest `queuedAt` first).
        case waiting
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "course_id") var course: Course
    @Parent(key: "version_id") var version: CourseVersion
    @Enum(key: "status") var status: Status
    @Timestamp(key: "enrolled_at", on: .create) var enrolledAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?
    /// The care board whose reserved seat this active enrolment holds; `nil` for a general seat.
    @OptionalField(key: "seat_board") var seatBoard: String?
    /// The learner gave the course's enrolment key, so the `enrolment-key` access rule passes from now on.
    @OptionalField(key: "key_accepted") var keyAccepted: Bool?
    /// When the learner joined the waiting list; orders it.
    @OptionalField(key: "queued_at") var queuedAt: Date?
    /// Where the learner left off, so the player resumes there (also on another device).
    @OptionalField(key: "last_module_key") var lastModuleKey: String?
    @OptionalField(key: "last_activity_at") var lastActivityAt: Date?
    /// The round the learner is in: 1 at first, one more for each new accreditation cycle (`CycleRenewal`).
    /// Module attempts and completions carry the round they belong to; earlier rounds' rows stay as they were.
    @Field(key: "cycle") var cycle: Int

    init() {}

    init(userID: UUID, courseID: UUID, versionID: UUID) {
        self.$user.id = userID
        self.$course.id = courseID
        self.$version.id = versionID
        self.status = .active
        self.cycle = 1
    }
}
