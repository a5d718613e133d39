import Foundation

/// One accreditation record as partners receive it, in every format. Registration numbers are part of
/// what a body needs for its attendance list; this export goes only to partners within scope.
struct RecordExportItem: Sendable, Codable, Equatable {
    var id: UUID
    var kind: String
    var supersedes: UUID?
    var reason: String?
    var learnerID: UUID
    var registrationNumber: String
    var learnerName: String
    var profession: String?
    var organiserNumber: String?
    var activityNumber: String
    var body: String
    var courseID: UUID
    var courseTitle: String
    var courseVersion: Int
    var completedOn: String
    var completedAt: Date
    var points: Double
    var unit: String
    var rubric: String?
    var validUntil: String?
    var verificationCode: String
    var recordedAt: Date
    /// The cursor that points just after this record.
    var cursor: String

    init(_ record: AccreditationRecord) throws {
        id = try record.requireID()
        kind = record.kind.rawValue
        supersedes = record.$supersedes.id
        reason = record.reason
        learnerID = record.$user.id
        registrationNumber = record.registrationNumber
        learnerName = record.learnerName
        profession = record.profession
        organiserNumber = record.organiserNumber
        activityNumber = record.activityNumber
        body = record.body
        courseID = record.$course.id
        courseTitle = record.courseTitle
        courseVersion = record.versionNumber
        completedOn = record.completedOn
        completedAt = record.completedAt
        points = record.points
        unit = record.unit
        rubric = record.rubric
        validUntil = record.validUntil
        verificationCode = record.verificationCode
        recordedAt = record.createdAt
        cursor = ExportCursor(xid: record.exportXID ?? 0, seq: record.exportSeq ?? 0).description
    }
}
