import Fluent
import Foundation

/// Who may manage a course: admins every course, trainers the courses they own or co-own, nobody else.
struct CourseOwnership: Sendable {
    let database: any Database

    func canManage(courseID: UUID, user: User) async throws -> Bool {
        switch user.role {
        case .admin: return true
        case .learner: return false
        case .trainer:
            guard let userID = user.id else { return false }
            return try await CourseOwner.query(on: database)
                .filter(\.$course.$id == courseID).filter(\.$user.$id == userID).first() != nil
        }
    }

    /// The courses the user manages; nil means all of them (admins).
    func managedCourseIDs(of user: User) async throws -> Set<UUID>? {
        switch user.role {
        case .admin: return nil
        case .learner: return []
        case .trainer:
            guard let userID = user.id else { return [] }
            let rows = try await CourseOwner.query(on: database).filter(\.$user.$id == userID).all()
            return Set(rows.map { $0.$course.id })
        }
    }

    /// Makes the user an owner of the course; adding an existing owner again changes nothing.
    func addOwner(courseID: UUID, userID: UUID, now: Date = Date()) async throws {
        let existing = try await CourseOwner.query(on: database)
            .filter(\.$course.$id == courseID).filter(\.$user.$id == userID).first()
        guard existing == nil else { return }
        try await CourseOwner(courseID: courseID, userID: userID, now: now).create(on: database)
    }

    func owners(of courseID: UUID) async throws -> [User] {
        try await CourseOwner.query(on: database).filter(\.$course.$id == courseID)
            .with(\.$user).sort(\.$createdAt).all().map { $0.user }
    }
}
