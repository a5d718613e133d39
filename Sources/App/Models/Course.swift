import Fluent
import Vapor

/// A course's identity across package versions; what learners see comes from its current version.
final class Course: Model, @unchecked Sendable {
    static let schema = "courses"

    enum Status: String, Codable, CaseIterable, Sendable {
        case draft, published, archived
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "slug") var slug: String
    /// The package identifier that makes a re-import a new version of this course.
    @Field(key: "package_identifier") var packageIdentifier: String
    @Enum(key: "status") var status: Status
    @OptionalParent(key: "current_version_id") var currentVersion: CourseVersion?
    @Children(for: \.$course) var versions: [CourseVersion]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, slug: String, packageIdentifier: String, status: Status) {
        self.id = id
        self.slug = slug
        self.packageIdentifier = packageIdentifier
        self.status = status
    }
}
