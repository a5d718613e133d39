import Fluent
import Foundation

/// What an accreditation body is told of one completion: the learner, the activity and its points, as
/// they were when the record was made. Append-only: a correction or revocation is a new row naming the
/// one it supersedes.
final class AccreditationRecord: Model, @unchecked Sendable {
    static let schema = "accreditation_records"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case issued, correction, revocation
    }

    @ID(key: .id) var id: UUID?
    /// "completion-id/accreditation-index" for issued records, so issuing twice makes one row; unique.
    @Field(key: "issue_key") var issueKey: String
    @Enum(key: "kind") var kind: Kind
    @OptionalParent(key: "supersedes_id") var supersedes: AccreditationRecord?
    @OptionalField(key: "reason") var reason: String?
    @OptionalParent(key: "recorded_by_id") var recordedBy: User?
    @Parent(key: "completion_id") var completion: CourseCompletion
    @Parent(key: "user_id") var user: User
    @Field(key: "learner_name") var learnerName: String
    @OptionalField(key: "profession") var profession: String?
    @Field(key: "registration_number") var registrationNumber: String
    @Parent(key: "course_id") var course: Course
    @Parent(key: "version_id") var version: CourseVersion
    @Field(key: "version_number") var versionNumber: Int
    /// In the course's own language.
    @Field(key: "course_title") var courseTitle: String
    @Field(key: "body") var body: String
    @Field(key: "activity_number") var activityNumber: String
    @OptionalField(key: "organiser_number") var organiserNumber: String?
    @Field(key: "points") var points: Double
    @Field(key: "unit") var unit: String
    @OptionalField(key: "rubric") var rubric: String?
    @Field(key: "completed_at") var completedAt: Date
    /// The calendar day of completion in Europe/Brussels, "YYYY-MM-DD".
    @Field(key: "completed_on") var completedOn: String
    /// The last day ("YYYY-MM-DD") the record counts, when the accreditation has a validity period.
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "verification_code") var verificationCode: String
    @Field(key: "created_at") var createdAt: Date
    /// The export order (see `UpdateAccreditationRecordAddExportPosition`); filled by the database, never by us.
    @OptionalField(key: "export_xid") var exportXID: Int64?
    @OptionalField(key: "export_seq") var exportSeq: Int64?

    init() {}
}
