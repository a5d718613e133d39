import Fluent
import Foundation

/// The person on whose behalf a package is imported (upload page, API, `academy import --owner`). They
/// become an owner of a course the package creates; a new version of an existing course is theirs to add
/// only when they own the course, or are an admin.
struct PackagePublisher: Sendable, Equatable {
    var userID: UUID
    var isAdmin: Bool
    /// The command line acts with the operator's rights whoever it names as owner.
    var bypassesOwnership = false

    init(userID: UUID, isAdmin: Bool, bypassesOwnership: Bool = false) {
        self.userID = userID
        self.isAdmin = isAdmin
        self.bypassesOwnership = bypassesOwnership
    }

    init(_ user: User) throws {
        self.init(userID: try user.requireID(), isAdmin: user.role == .admin)
    }

    /// Nil when the publisher may add a version to the course with this package identifier (or no such
    /// course exists yet); otherwise the report's error naming the owners to ask.
    func refusal(packageIdentifier: String, file: String?, on database: any Database) async throws -> PackageIssue? {
        guard !isAdmin, !bypassesOwnership,
              let course = try await Course.query(on: database).filter(\.$packageIdentifier == packageIdentifier).first(),
              let courseID = course.id else { return nil }
        let ownership = CourseOwnership(database: database)
        let owners = try await ownership.owners(of: courseID)
        if owners.contains(where: { $0.id == userID }) { return nil }
        return Self.notOwner(slug: course.slug, identifier: packageIdentifier,
                             owners: owners.map { (name: $0.name, email: $0.email) }, file: file)
    }

    static func notOwner(slug: String, identifier: String, owners: [(name: String, email: String)], file: String?) -> PackageIssue {
        guard !owners.isEmpty else {
            return PackageIssue(.error, code: "course.not.owner", file: file,
                                text: "A course with the identifier '\(identifier)' exists already ('\(slug)') and has no owner, so only admins may add a version to it",
                                hint: "Ask an admin to import this package, or to make you an owner of '\(slug)'; to start a separate course instead, give the package another identifier")
        }
        let names = owners.map { "\($0.name) <\($0.email)>" }.joined(separator: ", ")
        return PackageIssue(.error, code: "course.not.owner", file: file,
                            text: "A course with the identifier '\(identifier)' exists already ('\(slug)'); only its owners (\(names)) and admins may add a version to it",
                            hint: "Ask \(owners[0].name) to make you a co-owner, or an admin to import this package; to start a separate course instead, give the package another identifier",
                            wording: "course.not.owner.owners")
    }
}
