import Fluent
import Foundation

/// A trainer who owns or co-owns a course: owners publish versions, edit the course and follow its participants.
final class CourseOwner: Model, @unchecked Sendable {
    static let schema = "course_owners"

    @ID(key: .id) var id: UUID?
    @Parent(key: "course_id") var course: Course
    @Parent(key: "user_id") var user: User
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(courseID: UUID, userID: UUID, now: Date = Date()) {
        self.$course.id = courseID
        self.$user.id = userID
        self.createdAt = now
    }
}
