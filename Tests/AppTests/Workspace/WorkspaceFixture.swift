@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Courses, learners, enrolments and attempts for the workspace's tests, written straight into the database.
enum WorkspaceFixture {
    struct Seeded {
        let courseID: UUID
        let versionID: UUID
        let slug: String
    }

    static func course(_ app: Application, slug: String, title: String, modules: Int = 3) async throws -> Seeded {
        let outcome = try await TestCourses.publish(TestCourses.package(slug: slug, title: title, modules: modules), on: app.db)
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == outcome.courseID).first())
        return Seeded(courseID: outcome.courseID, versionID: try version.requireID(), slug: slug)
    }

    static func user(_ app: Application, name: String, email: String, role: User.Role = .learner) async throws -> User {
        let user = User(email: email, name: name, passwordHash: "-", role: role, profession: "gp")
        try await user.create(on: app.db)
        return user
    }

    /// Signs a new person in and returns the browser and the person.
    static func signIn(_ app: Application, role: User.Role, email: String) async throws -> (Browser, User) {
        let browser = try await TrainerUploadTests.signIn(app, role: role, email: email)
        let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
        return (browser, user)
    }

    static func own(_ app: Application, _ course: Seeded, by user: User) async throws {
        try await CourseOwnership(database: app.db).addOwner(courseID: course.courseID, userID: try user.requireID())
    }

    @discardableResult
    static func enrol(_ app: Application, _ user: User, in course: Seeded, status: Enrolment.Status = .active,
                      enrolledAt: Date? = nil, lastActivity: Date? = nil, completedAt: Date? = nil) async throws -> Enrolment {
        let enrolment = Enrolment(userID: try user.requireID(), courseID: course.courseID, versionID: course.versionID)
        enrolment.status = status
        enrolment.lastActivityAt = lastActivity
        enrolment.completedAt = completedAt
        if status == .waiting { enrolment.queuedAt = Date() }
        try await enrolment.create(on: app.db)
        if let enrolledAt {
            try await Enrolment.query(on: app.db).filter(\.$id == enrolment.requireID()).set(\.$enrolledAt, to: enrolledAt).update()
            enrolment.enrolledAt = enrolledAt
        }
        return enrolment
    }

    @discardableResult
    static func attempt(_ app: Application, _ enrolment: Enrolment, module: String, number: Int = 1,
                        completion: ModuleAttempt.Completion, success: ModuleAttempt.Success = .unknown,
                        score: Double? = nil, state: String? = nil) async throws -> ModuleAttempt {
        let attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: module, kind: .page, number: number)
        attempt.completion = completion
        attempt.success = success
        attempt.scoreScaled = score
        attempt.state = state
        if completion == .completed { attempt.completedAt = Date() }
        try await attempt.create(on: app.db)
        return attempt
    }

    @discardableResult
    static func completion(_ app: Application, _ enrolment: Enrolment, score: Double?, at date: Date = Date()) async throws -> CourseCompletion {
        let completion = CourseCompletion()
        completion.$enrolment.id = try enrolment.requireID()
        completion.$user.id = enrolment.$user.id
        completion.$course.id = enrolment.$course.id
        completion.$version.id = enrolment.$version.id
        completion.cycle = 1
        completion.completedAt = date
        completion.scoreScaled = score
        completion.evidenceJSON = "{}"
        try await completion.create(on: app.db)
        return completion
    }

    static func record(_ app: Application, _ completion: CourseCompletion, kind: AccreditationRecord.Kind = .issued) async throws {
        let record = AccreditationRecord()
        record.issueKey = "\(try completion.requireID())/\(kind.rawValue)"
        record.kind = kind
        record.$completion.id = try completion.requireID()
        record.$user.id = completion.$user.id
        record.learnerName = "Learner"
        record.registrationNumber = "10000000000"
        record.$course.id = completion.$course.id
        record.$version.id = completion.$version.id
        record.versionNumber = 1
        record.courseTitle = "Course"
        record.body = "riziv-inami"
        record.activityNumber = "A-1"
        record.points = 1
        record.unit = "CP"
        record.completedAt = completion.completedAt
        record.completedOn = CalendarDay(completion.completedAt).iso
        record.verificationCode = UUID().uuidString
        record.createdAt = Date()
        try await record.create(on: app.db)
    }
}
