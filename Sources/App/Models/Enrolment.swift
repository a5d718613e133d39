import Fluent
import Vapor

final class Enrolment: Model, @unchecked Sendable {
    static let schema = "enrolments"

    enum Status: String, Codable, CaseIterable, Sendable {
        case active, completed, withdrawn, expired
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "course_id") var course: Course
    @Parent(key: "version_id") var version: CourseVersion
    @Enum(key: "status") var status: Status
    @Timestamp(key: "enrolled_at", on: .create) var enrolledAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?

    init() {}

    init(userID: UUID, courseID: UUID, versionID: UUID) {
        self.$user.id = userID
        self.$course.id = courseID
        self.$version.id = versionID
        self.status = .active
    }
}
