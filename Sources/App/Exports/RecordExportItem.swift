import Foundation
import SQLKit

/// One accreditation record as partners receive it, in every format. Registration numbers are part of
/// what a body needs for its attendance list; this export goes only to partners within scope.
struct RecordExportItem: Sendable, Encodable, Equatable {
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

    /// Where this record stands in the export order (for the reader; `cursor` is what partners see).
    var position: ExportCursor

    enum CodingKeys: String, CodingKey {
        case id, kind, supersedes, reason, learnerID, registrationNumber, learnerName, profession, organiserNumber,
             activityNumber, body, courseID, courseTitle, courseVersion, completedOn, completedAt, points, unit, rubric,
             validUntil, verificationCode, recordedAt, cursor
    }

    /// From a row of `RecordExport.columns`.
    /// `textUUIDs`: SQLite keeps UUIDs as text; PostgreSQL has a uuid type (decoding it as text would
    /// throw, and throwing for every row is slow).
    init(row: any SQLRow, textUUIDs: Bool) throws {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optional(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        func uuid(_ column: String) throws -> UUID {
            // SQLite hands UUIDs over as text; Foundation's parser (sscanf) was a tenth of the export's time.
            if textUUIDs, let fast = UUID(hexText: try row.decode(column: column, as: String.self)) { return fast }
            return try row.decode(column: column, as: UUID.self)
        }
        id = try uuid("id")
        kind = try text("kind")
        supersedes = try row.decodeNil(column: "supersedes_id") ? nil : try uuid("supersedes_id")
        reason = try optional("reason")
        learnerID = try uuid("user_id")
        registrationNumber = try text("registration_number")
        learnerName = try text("learner_name")
        profession = try optional("profession")
        organiserNumber = try optional("organiser_number")
        activityNumber = try text("activity_number")
        body = try text("body")
        courseID = try uuid("course_id")
        courseTitle = try text("course_title")
        courseVersion = try row.decode(column: "version_number", as: Int.self)
        completedOn = try text("completed_on")
        completedAt = try row.decode(column: "completed_at", as: Date.self)
        points = try row.decode(column: "points", as: Double.self)
        unit = try text("unit")
        rubric = try optional("rubric")
        validUntil = try optional("valid_until")
        verificationCode = try text("verification_code")
        recordedAt = try row.decode(column: "created_at", as: Date.self)
        position = ExportCursor(xid: try row.decode(column: "export_xid", as: Int64.self),
                                seq: try row.decode(column: "export_seq", as: Int64.self))
        cursor = position.description
    }

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
        position = ExportCursor(xid: record.exportXID ?? 0, seq: record.exportSeq ?? 0)
        cursor = position.description
    }
}

extension UUID {
    /// "1904D6C5-C94A-46AE-9180-0C73D643B966" in either case, parsed without Foundation's scanner.
    init?(hexText text: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        var high: UInt8?
        var count = 0
        for character in text.utf8 {
            count += 1
            if character == UInt8(ascii: "-") { continue }
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard count == 36, bytes.count == 16, high == nil else { return nil }
        self = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
