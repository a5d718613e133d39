import Fluent
import Foundation

/// Every version of one course, newest first, with what its history page shows: when it came, in which
/// standard, its content hash, whether it is the current one, a draft never published, or an earlier one,
/// who imported it and how many learners play it.
struct CourseVersionHistory: Sendable {
    enum State: String, Sendable, Equatable {
        /// What new learners get.
        case current
        /// Never published.
        case draft
        /// Published once, replaced since; it can be restored.
        case earlier
    }

    struct Entry: Sendable, Equatable {
        var number: Int
        var title: [String: String]
        var language: String
        var standard: String
        var contentHash: String
        var importedAt: Date?
        var publishedAt: Date?
        var state: State
        var importedBy: (name: String, email: String)?
        /// Learners with an active, waiting or completed enrolment on this version.
        var learners: Int
        /// Of those, active or waiting (not completed): the ones a migration would move.
        var learnersInProgress: Int

        static func == (a: Entry, b: Entry) -> Bool {
            a.number == b.number && a.contentHash == b.contentHash && a.state == b.state && a.learners == b.learners
                && a.learnersInProgress == b.learnersInProgress && a.importedBy?.email == b.importedBy?.email
        }

        /// The first twelve characters, enough to tell versions apart at a glance.
        var shortHash: String { String(contentHash.prefix(12)) }
    }

    let database: any Database

    func entries(of course: Course) async throws -> [Entry] {
        let courseID = try course.requireID()
        let versions = try await CourseVersion.query(on: database).filter(\.$course.$id == courseID)
            .sort(\.$number, .descending).all()
        let importerIDs = Set(versions.compactMap(\.importedByID))
        let importers = importerIDs.isEmpty ? [] : try await User.query(on: database).filter(\.$id ~~ importerIDs).all()
        let byID = Dictionary(importers.compactMap { user in user.id.map { ($0, user) } }, uniquingKeysWith: { first, _ in first })
        let enrolments = try await Enrolment.query(on: database).filter(\.$course.$id == courseID)
            .filter(\.$status ~~ [.active, .waiting, .completed]).all()
        var learners: [UUID: (all: Int, inProgress: Int)] = [:]
        for enrolment in enrolments {
            var counts = learners[enrolment.$version.id] ?? (0, 0)
            counts.all += 1
            if enrolment.status != .completed { counts.inProgress += 1 }
            learners[enrolment.$version.id] = counts
        }
        let currentID = course.status == .published ? course.$currentVersion.id : nil
        return versions.map { version in
            let state: State = version.id == currentID ? .current : (version.publishedAt == nil ? .draft : .earlier)
            let importer = version.importedByID.flatMap { byID[$0] }
            let counts = version.id.flatMap { learners[$0] } ?? (0, 0)
            return Entry(number: version.number, title: version.title, language: version.language, standard: version.standard,
                         contentHash: version.contentHash, importedAt: version.createdAt, publishedAt: version.publishedAt,
                         state: state, importedBy: importer.map { ($0.name, $0.email) },
                         learners: counts.all, learnersInProgress: counts.inProgress)
        }
    }
}
