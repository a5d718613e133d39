import Fluent
import Foundation

/// Makes one version of a course the current one, for new learners: publishing a draft for the first time,
/// or restoring an earlier version. Nothing is deleted, and learners keep the version they enrolled in
/// (`LearnerMigration` moves them on when the owner asks).
struct CourseVersionSwitch: Sendable {
    enum Result: Sendable, Equatable {
        /// A draft, published for the first time.
        case published
        /// An earlier version, current again.
        case restored
        /// It was the current version already.
        case unchanged
    }

    enum Failure: Error, Equatable {
        case noSuchVersion
    }

    let database: any Database
    var now: @Sendable () -> Date = { Date() }

    init(database: any Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    func makeCurrent(courseID: UUID, number: Int) async throws -> Result {
        let now = self.now()
        return try await database.transaction { db in
            // Taken first: another switch or an import publishing at once waits for this one.
            try await RowLock.hold(Course.schema, courseID, on: db)
            guard let course = try await Course.find(courseID, on: db),
                  let version = try await CourseVersion.query(on: db).filter(\.$course.$id == courseID)
                    .filter(\.$number == number).first() else { throw Failure.noSuchVersion }
            if course.status == .published, course.$currentVersion.id == version.id { return .unchanged }
            let result: Result = version.publishedAt == nil ? .published : .restored
            if version.publishedAt == nil {
                version.publishedAt = now
                try await version.save(on: db)
            }
            course.$currentVersion.id = try version.requireID()
            course.status = .published
            try await course.save(on: db)
            return result
        }
    }
}
