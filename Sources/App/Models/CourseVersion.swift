import Fluent
import Vapor

/// One imported version of a course: its metadata as the package gave it, and its modules.
final class CourseVersion: Model, @unchecked Sendable {
    static let schema = "course_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "course_id") var course: Course
    @Field(key: "number") var number: Int
    @Field(key: "standard") var standard: String
    @Field(key: "language") var language: String
    @Field(key: "title") var title: [String: String]
    @Field(key: "summary") var summary: [String: String]
    @Field(key: "description") var description: [String: String]
    @Field(key: "learning_goals") var learningGoalsJSON: String
    @Field(key: "keywords") var keywords: [String]
    @Field(key: "themes") var themes: [String]
    @Field(key: "professions") var professions: [String]
    @OptionalField(key: "duration_minutes") var durationMinutes: Int?
    /// Every accreditation of this version (JSON of [PackageAccreditation]), the first being the main one.
    @Field(key: "accreditations") var accreditationsJSON: String
    /// The access rules as the package carried them (JSON of [PackageAccessRule]).
    @Field(key: "access_rules") var accessRules: String
    /// SHA-256 of the manifest and content, so that loading the same package twice changes nothing.
    @Field(key: "content_hash") var contentHash: String
    @Children(for: \.$version) var modules: [CourseModule]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "published_at") var publishedAt: Date?
    /// The person who uploaded this version (a user id; nil for the command line without --owner and for
    /// versions imported before this was kept). No foreign key: the history outlives deleted accounts.
    @OptionalField(key: "imported_by") var importedByID: UUID?

    init() {}
}

extension CourseVersion {
    var accreditations: [PackageAccreditation] {
        (try? JSONDecoder().decode([PackageAccreditation].self, from: Data(accreditationsJSON.utf8))) ?? []
    }

    var accreditation: PackageAccreditation? { accreditations.first }

    var learningGoals: [LocalizedText] {
        (try? JSONDecoder().decode([LocalizedText].self, from: Data(learningGoalsJSON.utf8))) ?? []
    }

    var packageAccessRules: [PackageAccessRule] {
        (try? JSONDecoder().decode([PackageAccessRule].self, from: Data(accessRules.utf8))) ?? []
    }
}
