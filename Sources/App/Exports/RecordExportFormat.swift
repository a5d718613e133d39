import Foundation

/// How records are written out. CSV has the columns of an attendance list; "csv-excel" is the variant
/// that Excel in Belgium opens directly (semicolons, decimal commas, a byte order mark).
enum RecordExportFormat: String, Sendable, CaseIterable {
    case json, ndjson, csv
    case csvExcel = "csv-excel"
    /// xAPI 1.0.3 statements, one JSON document with a "statements" array.
    case xapi
    /// Open Badges 3.0: per record its signed OpenBadgeCredential (VC-JWT) in a JSON document, or one per line.
    case ob3
    case ob3NDJSON = "ob3-ndjson"

    /// Written through `RecordLineWriter` with a `CredentialIssuance`, a page of records at a time.
    var isSigned: Bool { self == .ob3 || self == .ob3NDJSON }

    var contentType: String {
        switch self {
        case .json, .xapi, .ob3: "application/json; charset=utf-8"
        case .ndjson, .ob3NDJSON: "application/x-ndjson; charset=utf-8"
        case .csv, .csvExcel: "text/csv; charset=utf-8"
        }
    }

    var fileExtension: String {
        switch self {
        case .json: "json"
        case .xapi: "xapi.json"
        case .ob3: "ob3.json"
        case .ob3NDJSON: "ob3.ndjson"
        case .ndjson: "ndjson"
        case .csv, .csvExcel: "csv"
        }
    }

    /// From ?format=, else from the Accept header, else JSON.
    static func negotiate(query: String?, accept: String?) -> RecordExportFormat? {
        if let query { return RecordExportFormat(rawValue: query.lowercased()) }
        let accept = (accept ?? "").lowercased()
        if accept.contains("text/csv") { return .csv }
        if accept.contains("application/x-ndjson") || accept.contains("application/ndjson") { return .ndjson }
        if accept.contains("xapi") { return .xapi }
        return .json
    }

    static let columns = ["registration_number", "name", "profession", "organiser_number", "activity_number", "body",
                          "course", "completed_on", "points", "unit", "rubric", "kind", "supersedes", "verification_code",
                          "record_id", "cursor"]

    /// What goes before the first record.
    func header() -> String {
        switch self {
        case .json: "{\"records\":["
        case .xapi: "{\"statements\":["
        case .ob3: "{\"credentials\":["
        case .ndjson, .ob3NDJSON: ""
        case .csv: Self.columns.joined(separator: ",") + "\r\n"
        case .csvExcel: "\u{FEFF}" + Self.columns.joined(separator: ";") + "\r\n"
        }
    }

    /// One record; `first` tells JSON whether a comma goes before it.
    func line(_ item: RecordExportItem, first: Bool, site: ExportSite = ExportSite()) throws -> String {
        switch self {
        case .json: return (first ? "" : ",") + (try Self.encode(item))
        case .xapi: return (first ? "" : ",") + (try Self.encode(XAPIStatement(item, site: site)))
        case .ndjson: return try Self.encode(item) + "\n"
        case .ob3, .ob3NDJSON: throw RecordExportFormatError.needsSigning(self)
        case .csv, .csvExcel:
            let separator: Character = self == .csv ? "," : ";"
            let points = self == .csv ? Self.number(item.points) : Self.number(item.points).replacingOccurrences(of: ".", with: ",")
            let fields = [item.registrationNumber, item.learnerName, item.profession ?? "", item.organiserNumber ?? "",
                          item.activityNumber, item.body, item.courseTitle, item.completedOn, points, item.unit, item.rubric ?? "",
                          item.kind, item.supersedes?.uuidString.lowercased() ?? "", item.verificationCode,
                          item.id.uuidString.lowercased(), item.cursor]
            return fields.map { Self.csvField($0, separator: separator) }.joined(separator: String(separator)) + "\r\n"
        }
    }

    /// What goes after the last record.
    func footer(next: String) throws -> String {
        switch self {
        case .json, .xapi, .ob3: return "],\"next\":" + String(decoding: try JSONEncoder().encode(next), as: UTF8.self) + "}"
        case .ndjson, .csv, .csvExcel, .ob3NDJSON: return ""
        }
    }

    /// RFC 4180: quote a field that holds the separator, a quote or a line break; double the quotes inside.
    /// A field that starts with =, +, - or @ is prefixed with ' so that a spreadsheet does not run it as a formula.
    static func csvField(_ value: String, separator: Character) -> String {
        // Byte checks: this runs for every field of every record, and walking Characters is slow.
        let separatorByte = separator.asciiValue ?? UInt8(ascii: ",")
        var value = value
        if let first = value.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13].contains(first),
           Double(value) == nil {
            value = "'" + value
        }
        guard value.utf8.contains(where: { $0 == separatorByte || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }

    /// One record of a signed format; `first` as in `line`.
    func line(_ issued: CredentialIssuance.Issued, first: Bool) throws -> String {
        switch self {
        case .ob3: return (first ? "" : ",") + (try Self.encode(issued))
        case .ob3NDJSON: return try Self.encode(issued) + "\n"
        default: throw RecordExportFormatError.notSigned(self)
        }
    }

    static func encode(_ item: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(item), as: UTF8.self)
    }
}

enum RecordExportFormatError: Error, CustomStringConvertible {
    case needsSigning(RecordExportFormat)
    case notSigned(RecordExportFormat)
    case notPaged(RecordExportFormat)

    var description: String {
        switch self {
        case .needsSigning(let format): "The \(format.rawValue) format is signed: write it through RecordLineWriter with a CredentialIssuance."
        case .notSigned(let format): "The \(format.rawValue) format carries no signed credentials."
        case .notPaged(let format): "The \(format.rawValue) format is written record by record (RecordLineWriter), not by pages."
        }
    }
}
