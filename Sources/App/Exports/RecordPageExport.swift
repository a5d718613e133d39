import Fluent
import Foundation
import NIOCore
import SQLKit

/// The fast path of the CSV, CSV (Excel) and NDJSON exports. The database joins the fields of each record with
/// the unit separator (0x1F) and a whole page of records into one text value (string_agg / group_concat), so the
/// driver hands over one value per page instead of 24 decoded columns per record (PostgresKit's generic
/// `Decodable` path was most of the time). Swift then writes the output bytes from that text with the same rules
/// as `RecordExportFormat.line`: byte for byte the same output, which a test checks on awkward values.
///
/// A record whose text holds 0x1F itself is sent as "!", its id and position, and written through the reference
/// path (`RecordExportItem`); anything else unexpected in a page makes the rest of the export take that path.
extension RecordExport {
    /// Formats that `forEachPage` writes.
    static func writesPages(_ format: RecordExportFormat) -> Bool {
        format == .csv || format == .csvExcel || format == .ndjson
    }

    /// Hands the output bytes of the window's records to `body`, a page at a time, in order; returns how many
    /// records. Only for formats where `writesPages` is true.
    @discardableResult
    func forEachPage(in window: Window, format: RecordExportFormat, pageSize: Int = 10_000,
                     _ body: (ByteBuffer) async throws -> Void) async throws -> Int {
        guard let last = window.last else { return 0 }
        guard Self.writesPages(format) else { throw RecordExportFormatError.notPaged(format) }
        let sql = try self.sql
        let layout = RecordPageLayout(format: format, sqlite: sql.dialect.name == "sqlite")
        var position = window.after
        var count = 0
        while position < last {
            let query: SQLQueryString = "SELECT \(unsafeRaw: layout.aggregate) AS page FROM (SELECT export_xid, export_seq, "
                + "\(unsafeRaw: layout.row) AS line FROM accreditation_records WHERE "
                + condition(after: position, upTo: last, xidBelow: window.xidBelow)
                + " ORDER BY export_xid, export_seq LIMIT \(literal: max(pageSize, 1))) AS page_rows"
            guard let row = try await sql.raw(query).first(), !(try row.decodeNil(column: "page")) else { break }
            let text = try row.decode(column: "page", as: String.self)
            var decoder = RecordPageDecoder(format: format, sqlite: layout.sqlite, after: position)
            let pieces: [RecordPageDecoder.Piece]
            do {
                pieces = try decoder.decode(text)
            } catch {
                // Not what the layout promised: the reference path writes the rest.
                return count + (try await referenceLines(in: Window(after: position, last: last, xidBelow: window.xidBelow),
                                                          format: format, body))
            }
            for piece in pieces {
                switch piece {
                case .bytes(let buffer):
                    try await body(buffer)
                case .record(let id):
                    guard let item = try await item(id: id, textUUIDs: layout.sqlite) else { continue }
                    try await body(ByteBuffer(string: try format.line(item, first: count == 0)))
                }
            }
            count += decoder.count
            guard decoder.last > position else { break }
            position = decoder.last
        }
        return count
    }

    /// The reference path, for what the page layout cannot carry.
    private func referenceLines(in window: Window, format: RecordExportFormat,
                                _ body: (ByteBuffer) async throws -> Void) async throws -> Int {
        var buffer = ByteBuffer()
        let count = try await forEach(in: window) { item in
            buffer.writeString(try format.line(item, first: false))
            if buffer.readableBytes >= 64 * 1024 {
                try await body(buffer)
                buffer.clear()
            }
        }
        if buffer.readableBytes > 0 { try await body(buffer) }
        return count
    }

    private func item(id: String, textUUIDs: Bool) async throws -> RecordExportItem? {
        let sql = try self.sql
        let key: any Encodable & Sendable = textUUIDs ? id : (UUID(uuidString: id) ?? UUID())
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM accreditation_records WHERE id = \(bind: key)").first()
        else { return nil }
        return try RecordExportItem(row: row, textUUIDs: textUUIDs)
    }
}

/// The SQL that lays out one record as fields joined by 0x1F (each field ended by one), and a page as one text.
struct RecordPageLayout: Sendable {
    let format: RecordExportFormat
    let sqlite: Bool

    /// The page: the records' texts in export order.
    var aggregate: String {
        sqlite ? "group_concat(line, '' ORDER BY export_xid, export_seq)" : "string_agg(line, '' ORDER BY export_xid, export_seq)"
    }

    private var separator: String { sqlite ? "char(31)" : "chr(31)" }

    private func text(_ column: String) -> String { column }
    private func optional(_ column: String) -> String {
        // CSV writes nil as ""; JSON leaves the key out, so it needs nil told apart from "" ('=' marks a value).
        format == .ndjson ? "coalesce('=' || \(column), '')" : "coalesce(\(column), '')"
    }
    private func uuid(_ column: String) -> String { sqlite ? column : "\(column)::text" }
    private func optionalUUID(_ column: String) -> String { optional(uuid(column)) }
    /// Every digit the stored double has: PostgreSQL's shortest exact text, SQLite's 17 significant digits
    /// (its printf stops at 16 without the '!' flag).
    private var points: String { sqlite ? "printf('%!.17g', points)" : "points::text" }
    /// Seconds since 1970 as text: exact decimal (PostgreSQL), or the stored double with all its digits (SQLite).
    private func epoch(_ column: String) -> String {
        sqlite ? "printf('%!.17g', \(column))" : "extract(epoch from \(column))::text"
    }

    /// Text columns a 0x1F could hide in (SQLite keeps UUIDs as text too).
    private var guarded: [String] {
        var columns = ["registration_number", "learner_name", "profession", "organiser_number", "activity_number", "body",
                       "course_title", "completed_on", "unit", "rubric", "kind", "verification_code"]
        if format == .ndjson { columns += ["reason", "valid_until"] }
        if sqlite { columns += ["id", "supersedes_id"] + (format == .ndjson ? ["user_id", "course_id"] : []) }
        return columns
    }

    /// The fields, in the order `RecordPageDecoder` reads them; the position comes last.
    var fields: [String] {
        switch format {
        case .ndjson:
            return [uuid("id"), text("kind"), optionalUUID("supersedes_id"), optional("reason"), uuid("user_id"),
                    text("registration_number"), text("learner_name"), optional("profession"), optional("organiser_number"),
                    text("activity_number"), text("body"), uuid("course_id"), text("course_title"), "version_number",
                    text("completed_on"), epoch("completed_at"), points, text("unit"), optional("rubric"), optional("valid_until"),
                    text("verification_code"), epoch("created_at"), "export_xid", "export_seq"]
        default:
            return [text("registration_number"), text("learner_name"), optional("profession"), optional("organiser_number"),
                    text("activity_number"), text("body"), text("course_title"), text("completed_on"), points, text("unit"),
                    optional("rubric"), text("kind"), optionalUUID("supersedes_id"), text("verification_code"), uuid("id"),
                    "export_xid", "export_seq"]
        }
    }

    /// One record: "" and its fields, or "!", its id and position when one of its texts holds 0x1F.
    var row: String {
        let check = sqlite ? "instr(concat(\(guarded.joined(separator: ", "))), char(31)) > 0"
                           : "strpos(concat(\(guarded.joined(separator: ", "))), chr(31)) > 0"
        return "CASE WHEN \(check) THEN concat_ws(\(separator), '!', \(uuid("id")), export_xid, export_seq) || \(separator) "
            + "ELSE concat_ws(\(separator), '', \(fields.joined(separator: ", "))) || \(separator) END"
    }
}

/// Writes the output of one page laid out by `RecordPageLayout`, with the rules of `RecordExportFormat.line`.
struct RecordPageDecoder {
    enum Piece {
        case bytes(ByteBuffer)
        /// A record to write through the reference path, by id.
        case record(String)
    }

    struct Malformed: Error {}

    let format: RecordExportFormat
    let sqlite: Bool
    /// Records decoded so far and the position of the last one.
    private(set) var count = 0
    private(set) var last: ExportCursor
    private var pointsCache: [String: [UInt8]] = [:]

    init(format: RecordExportFormat, sqlite: Bool, after: ExportCursor) {
        self.format = format
        self.sqlite = sqlite
        self.last = after
    }

    private static let unit: UInt8 = 0x1F

    mutating func decode(_ text: String) throws -> [Piece] {
        var text = text
        return try text.withUTF8 { bytes in try decode(bytes) }
    }

    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [Piece] {
        var pieces: [Piece] = []
        var output = ByteBuffer()
        output.reserveCapacity(bytes.count + bytes.count / 4)
        var index = 0
        func field() throws -> UnsafeBufferPointer<UInt8> {
            var end = index
            while end < bytes.count, bytes[end] != Self.unit { end += 1 }
            guard end < bytes.count else { throw Malformed() }
            defer { index = end + 1 }
            return UnsafeBufferPointer(rebasing: bytes[index..<end])
        }
        let fieldCount = format == .ndjson ? 24 : 17
        var values = [UnsafeBufferPointer<UInt8>](repeating: UnsafeBufferPointer(start: nil, count: 0), count: fieldCount)
        while index < bytes.count {
            let flag = try field()
            if flag.count == 1, flag[0] == UInt8(ascii: "!") {
                let id = try field()
                let position = ExportCursor(xid: try Self.integer(try field()), seq: try Self.integer(try field()))
                try advance(to: position)
                if output.readableBytes > 0 { pieces.append(.bytes(output)); output = ByteBuffer() }
                pieces.append(.record(String(decoding: id, as: UTF8.self)))
                continue
            }
            guard flag.isEmpty else { throw Malformed() }
            for slot in 0..<fieldCount { values[slot] = try field() }
            let position = ExportCursor(xid: try Self.integer(values[fieldCount - 2]), seq: try Self.integer(values[fieldCount - 1]))
            try advance(to: position)
            if format == .ndjson {
                try writeJSON(values, position: position, into: &output)
            } else {
                try writeCSV(values, position: position, into: &output)
            }
        }
        if output.readableBytes > 0 { pieces.append(.bytes(output)) }
        return pieces
    }

    private mutating func advance(to position: ExportCursor) throws {
        // The export order is what makes cursors exactly-once: a page out of order is refused.
        guard position > last else { throw Malformed() }
        last = position
        count += 1
    }

    // MARK: CSV

    private mutating func writeCSV(_ values: [UnsafeBufferPointer<UInt8>], position: ExportCursor, into output: inout ByteBuffer) throws {
        let separator: UInt8 = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: ";")
        // registration, name, profession, organiser, activity, body, course, completed_on
        for slot in 0..<8 {
            writeCSVField(values[slot], separator: separator, into: &output)
            output.writeInteger(separator)
        }
        output.writeBytes(try csvPoints(values[8], separator: separator))
        output.writeInteger(separator)
        for slot in 9...11 { // unit, rubric, kind
            writeCSVField(values[slot], separator: separator, into: &output)
            output.writeInteger(separator)
        }
        if !values[12].isEmpty { try writeUUID(values[12], upper: false, into: &output) }
        output.writeInteger(separator)
        writeCSVField(values[13], separator: separator, into: &output)
        output.writeInteger(separator)
        try writeUUID(values[14], upper: false, into: &output)
        output.writeInteger(separator)
        position.withText { output.writeBytes($0) }
        output.writeStaticString("\r\n")
    }

    /// `RecordExportFormat.csvField` on bytes; a field that may need the formula guard goes through it.
    private func writeCSVField(_ value: UnsafeBufferPointer<UInt8>, separator: UInt8, into output: inout ByteBuffer) {
        guard let first = value.first else { return }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13:
            output.writeString(RecordExportFormat.csvField(String(decoding: value, as: UTF8.self), separator: Character(UnicodeScalar(separator))))
            return
        default: break
        }
        guard value.contains(where: { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
            output.writeBytes(value)
            return
        }
        output.writeInteger(UInt8(ascii: "\""))
        var start = 0
        for (offset, byte) in value.enumerated() where byte == UInt8(ascii: "\"") {
            output.writeBytes(UnsafeBufferPointer(rebasing: value[start...offset]))
            output.writeInteger(UInt8(ascii: "\""))
            start = offset + 1
        }
        output.writeBytes(UnsafeBufferPointer(rebasing: value[start...]))
        output.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func csvPoints(_ text: UnsafeBufferPointer<UInt8>, separator: UInt8) throws -> [UInt8] {
        let key = String(decoding: text, as: UTF8.self)
        if let known = pointsCache[key] { return known }
        guard let value = Double(key) else { throw Malformed() }
        let number = format == .csv ? RecordExportFormat.number(value)
                                    : RecordExportFormat.number(value).replacingOccurrences(of: ".", with: ",")
        let bytes = Array(RecordExportFormat.csvField(number, separator: Character(UnicodeScalar(separator))).utf8)
        pointsCache[key] = bytes
        return bytes
    }

    // MARK: JSON

    /// The keys in the order JSONEncoder's `.sortedKeys` writes them (a test compares with it).
    private mutating func writeJSON(_ values: [UnsafeBufferPointer<UInt8>], position: ExportCursor, into output: inout ByteBuffer) throws {
        // 0 id, 1 kind, 2 supersedes?, 3 reason?, 4 user, 5 registration, 6 name, 7 profession?, 8 organiser?,
        // 9 activity, 10 body, 11 course, 12 course title, 13 version, 14 completed_on, 15 completed_at,
        // 16 points, 17 unit, 18 rubric?, 19 valid_until?, 20 verification, 21 created_at
        output.writeStaticString("{\"activityNumber\":")
        writeJSONString(values[9], into: &output)
        output.writeStaticString(",\"body\":")
        writeJSONString(values[10], into: &output)
        output.writeStaticString(",\"completedAt\":")
        try writeDate(values[15], into: &output)
        output.writeStaticString(",\"completedOn\":")
        writeJSONString(values[14], into: &output)
        output.writeStaticString(",\"courseID\":\"")
        try writeUUID(values[11], upper: true, into: &output)
        output.writeStaticString("\",\"courseTitle\":")
        writeJSONString(values[12], into: &output)
        output.writeStaticString(",\"courseVersion\":")
        output.writeString(String(try Self.integer(values[13])))
        output.writeStaticString(",\"cursor\":\"")
        position.withText { output.writeBytes($0) }
        output.writeStaticString("\",\"id\":\"")
        try writeUUID(values[0], upper: true, into: &output)
        output.writeStaticString("\",\"kind\":")
        writeJSONString(values[1], into: &output)
        output.writeStaticString(",\"learnerID\":\"")
        try writeUUID(values[4], upper: true, into: &output)
        output.writeStaticString("\",\"learnerName\":")
        writeJSONString(values[6], into: &output)
        try writeOptional("organiserNumber", values[8], into: &output)
        output.writeStaticString(",\"points\":")
        output.writeBytes(try jsonPoints(values[16]))
        try writeOptional("profession", values[7], into: &output)
        try writeOptional("reason", values[3], into: &output)
        output.writeStaticString(",\"recordedAt\":")
        try writeDate(values[21], into: &output)
        output.writeStaticString(",\"registrationNumber\":")
        writeJSONString(values[5], into: &output)
        try writeOptional("rubric", values[18], into: &output)
        if !values[2].isEmpty {
            guard values[2][0] == UInt8(ascii: "=") else { throw Malformed() }
            output.writeStaticString(",\"supersedes\":\"")
            try writeUUID(UnsafeBufferPointer(rebasing: values[2][1...]), upper: true, into: &output)
            output.writeStaticString("\"")
        }
        output.writeStaticString(",\"unit\":")
        writeJSONString(values[17], into: &output)
        try writeOptional("validUntil", values[19], into: &output)
        output.writeStaticString(",\"verificationCode\":")
        writeJSONString(values[20], into: &output)
        output.writeStaticString("}\n")
    }

    /// "" is nil (the key is left out); "=" and the text is a value.
    private func writeOptional(_ key: StaticString, _ value: UnsafeBufferPointer<UInt8>, into output: inout ByteBuffer) throws {
        guard let marker = value.first else { return }
        guard marker == UInt8(ascii: "=") else { throw Malformed() }
        output.writeStaticString(",\"")
        output.writeStaticString(key)
        output.writeStaticString("\":")
        writeJSONString(UnsafeBufferPointer(rebasing: value[1...]), into: &output)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// As JSONEncoder writes strings: `"` and `\` escaped, control characters as \b \t \n \f \r or \u00xx.
    private func writeJSONString(_ value: UnsafeBufferPointer<UInt8>, into output: inout ByteBuffer) {
        output.writeInteger(UInt8(ascii: "\""))
        var start = 0
        for (offset, byte) in value.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            output.writeBytes(UnsafeBufferPointer(rebasing: value[start..<offset]))
            switch byte {
            case UInt8(ascii: "\""): output.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): output.writeStaticString("\\\\")
            case 8: output.writeStaticString("\\b")
            case 9: output.writeStaticString("\\t")
            case 10: output.writeStaticString("\\n")
            case 12: output.writeStaticString("\\f")
            case 13: output.writeStaticString("\\r")
            default:
                output.writeStaticString("\\u00")
                output.writeInteger(Self.hex[Int(byte >> 4)])
                output.writeInteger(Self.hex[Int(byte & 15)])
            }
            start = offset + 1
        }
        output.writeBytes(UnsafeBufferPointer(rebasing: value[start...]))
        output.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func jsonPoints(_ text: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        let key = String(decoding: text, as: UTF8.self)
        if let known = pointsCache[key] { return known }
        guard let value = Double(key) else { throw Malformed() }
        let bytes = Array(try RecordExportFormat.encode(value).utf8)
        pointsCache[key] = bytes
        return bytes
    }

    /// An ISO 8601 instant in UTC to the second, rounded down, as JSONEncoder's `.iso8601` writes a `Date`.
    private func writeDate(_ text: UnsafeBufferPointer<UInt8>, into output: inout ByteBuffer) throws {
        let seconds: Int64
        if sqlite {
            // What sqlite-nio makes of the stored double: rounded to microseconds after 2001-01-01.
            guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { throw Malformed() }
            let sinceReference = (value - Date.timeIntervalBetween1970AndReferenceDate)
            let rounded = (sinceReference * 1e6).rounded() / 1e6
            seconds = Int64(rounded.rounded(.down)) + Int64(Date.timeIntervalBetween1970AndReferenceDate)
        } else {
            // PostgreSQL's exact decimal: whole seconds, and a fraction that only matters below zero.
            let dot = text.firstIndex(of: UInt8(ascii: ".")) ?? text.endIndex
            let whole = try Self.integer(UnsafeBufferPointer(rebasing: text[..<dot]))
            let fraction = text[dot...].dropFirst().contains { $0 != UInt8(ascii: "0") }
            seconds = whole < 0 && fraction ? whole - 1 : whole
        }
        CivilTime(seconds: seconds).withQuotedISO8601 { output.writeBytes($0) }
    }

    // MARK: Shared

    /// A UUID in its canonical 8-4-4-4-12 form, in the case the format writes; anything else is refused.
    private func writeUUID(_ text: UnsafeBufferPointer<UInt8>, upper: Bool, into output: inout ByteBuffer) throws {
        guard text.count == 36 else { throw Malformed() }
        // Checked and case-mapped on the stack, then written at once: a write per byte into the ByteBuffer
        // (with its uniqueness and exclusivity checks) was the export's hottest spot.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { bytes in
            for offset in 0..<36 {
                let byte = text[offset]
                let dash = offset == 8 || offset == 13 || offset == 18 || offset == 23
                switch byte {
                case UInt8(ascii: "-") where dash: bytes[offset] = byte
                case UInt8(ascii: "0")...UInt8(ascii: "9") where !dash: bytes[offset] = byte
                case UInt8(ascii: "a")...UInt8(ascii: "f") where !dash: bytes[offset] = upper ? byte - 32 : byte
                case UInt8(ascii: "A")...UInt8(ascii: "F") where !dash: bytes[offset] = upper ? byte : byte + 32
                default: throw Malformed()
                }
            }
            output.writeBytes(UnsafeRawBufferPointer(bytes))
        }
    }

    static func integer(_ text: UnsafeBufferPointer<UInt8>) throws -> Int64 {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18 else { throw Malformed() }
        var value: Int64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw Malformed() }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return negative ? -value : value
    }
}

/// A moment in UTC split into calendar fields, without Foundation's calendar (2.5 µs per call in an export).
struct CivilTime: Equatable {
    let year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64

    init(seconds: Int64) {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        hour = rest / 3_600
        minute = rest % 3_600 / 60
        second = rest % 60
        // Days to a proleptic Gregorian date (the civil-from-days algorithm, eras of 400 years).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `"` + `iso8601` + `"` as bytes made on the stack (an export writes two per record).
    func withQuotedISO8601<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard (0...9_999).contains(year) else {
            return try Array(("\"" + iso8601 + "\"").utf8).withUnsafeBufferPointer(body)
        }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 22) { text in
            func put(_ value: Int64, digits: Int, at position: Int) {
                var value = value
                for index in stride(from: position + digits - 1, through: position, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            text[0] = UInt8(ascii: "\""); text[5] = UInt8(ascii: "-"); text[8] = UInt8(ascii: "-"); text[11] = UInt8(ascii: "T")
            text[14] = UInt8(ascii: ":"); text[17] = UInt8(ascii: ":"); text[20] = UInt8(ascii: "Z"); text[21] = UInt8(ascii: "\"")
            put(year, digits: 4, at: 1); put(month, digits: 2, at: 6); put(day, digits: 2, at: 9)
            put(hour, digits: 2, at: 12); put(minute, digits: 2, at: 15); put(second, digits: 2, at: 18)
            return try body(UnsafeBufferPointer(text))
        }
    }

    /// Seconds since 1970 of exactly "YYYY-MM-DDTHH:MM:SSZ" (years 0000-9999), or nil.
    static func seconds(utc text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        // Days from a proleptic Gregorian date (the days-from-civil algorithm, eras of 400 years).
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
        // A day that does not exist in its month (2026-02-30) does not come back the same.
        return CivilTime(seconds: seconds).day == day ? seconds : nil
    }

    /// "2026-11-23T09:05:00Z".
    var iso8601: String {
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText
        return "\(paddedYear)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z"
    }
}
