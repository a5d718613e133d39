@testable import App
import Fluent
import Foundation
import NIOCore
import Testing
import Vapor

/// The fast page path (`RecordExport.forEachPage`) against the reference path (`forEach` + `RecordExportFormat.line`):
/// the same bytes for the same records, on both databases, with values that stress quoting, escaping and numbers.
@Suite struct RecordPageExportTests {
    static let awkwardNames = [
        "An Peeters", "Jan; de \"Smid\"", "Line\nbreak\r\nand\rreturn", "Élodie Müller-Ørsted 😀 ŉ", "=SUM(A1:A9)", "+32 2 555 00 00",
        "-12.5", "-0x1p3", "-nan", "+inf", "-1e", "@home", "\tTabbed", "\rReturned", "back\\slash / slash", "\u{01}\u{07}\u{1B}\u{7F}",
        "Quote \" only", "comma, only", "", String(repeating: "Lang; \"naam\" é ", count: 700), "unit\u{1F}separator",
        "\u{2028}\u{2029}", "'already quoted'",
    ]

    static func seed(_ app: Application) async throws {
        let base = try await AccreditationRecordAPITests.base(app)
        var previous: AccreditationRecord?
        for (index, name) in awkwardNames.enumerated() {
            let record = try await AccreditationRecordAPITests.record(base, body: "riziv-inami", name: name, on: app.db)
            record.courseTitle = index % 3 == 0 ? "Wondzorg; \"thuis\"" : "Cours d'été, deel \(index)"
            record.points = [0, 1.5, 0.1 + 0.2, 2, -1.5, 1e16, 0.5, 12.25, 1e-5][index % 9]
            record.profession = [nil, "", "gp", "-nurse"][index % 4]
            record.organiserNumber = index % 2 == 0 ? nil : "ORG;\(index)"
            record.rubric = index % 5 == 0 ? nil : "=\(index)"
            record.unit = index % 7 == 0 ? "-CP" : "CP"
            record.reason = index % 4 == 1 ? "Correctie: \"naam\"\nfout" : nil
            record.validUntil = index % 6 == 2 ? "2031-12-31" : nil
            // Fractions of a second just below and above whole seconds, and one before 1970.
            record.completedAt = Date(timeIntervalSince1970: [1_795_000_000.999999, 1_795_000_000.000001, 1_795_000_000.5,
                                                              -1.25, 1_600_000_000][index % 5])
            record.createdAt = Date(timeIntervalSince1970: 1_763_900_000.999_999_6 + Double(index))
            if let previous, index % 4 == 3 {
                record.kind = .correction
                record.$supersedes.id = try previous.requireID()
            }
            try await record.save(on: app.db)
            previous = record
        }
    }

    static func reference(_ export: RecordExport, _ window: RecordExport.Window, _ format: RecordExportFormat) async throws -> String {
        var text = ""
        var first = true
        try await export.forEach(in: window) { item in
            text += try format.line(item, first: first)
            first = false
        }
        return text
    }

    static func paged(_ export: RecordExport, _ window: RecordExport.Window, _ format: RecordExportFormat, pageSize: Int) async throws -> (String, Int) {
        var bytes: [UInt8] = []
        let count = try await export.forEachPage(in: window, format: format, pageSize: pageSize) { page in
            bytes += page.readableBytesView
        }
        return (String(decoding: bytes, as: UTF8.self), count)
    }

    @Test(arguments: TestDatabase.all)
    func pagesAreByteForByteTheReferenceOutput(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            try await AccreditationRecordAPITests.settle(app)
            let export = RecordExport(database: app.db, scope: RecordScope(bodies: ["riziv-inami"], courseIDs: []))
            let window = try await export.window(after: .start, limit: nil)

            for format in [RecordExportFormat.csv, .csvExcel, .ndjson] {
                let expected = try await Self.reference(export, window, format)
                for pageSize in [1, 4, 10_000] {
                    let (actual, count) = try await Self.paged(export, window, format, pageSize: pageSize)
                    #expect(count == Self.awkwardNames.count, "\(format) page size \(pageSize)")
                    #expect(actual == expected, "\(format) page size \(pageSize): \(Self.firstDifference(actual, expected))")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWindowAfterACursorStartsAndEndsWhereTheReferenceDoes(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            try await AccreditationRecordAPITests.settle(app)
            let export = RecordExport(database: app.db, scope: RecordScope(bodies: ["riziv-inami"], courseIDs: []))
            let firstFive = try await export.window(after: .start, limit: 5)
            let rest = try await export.window(after: firstFive.next, limit: 7)
            let other = RecordExport(database: app.db, scope: RecordScope(bodies: ["apb"], courseIDs: []))
            let none = try await other.window(after: .start, limit: nil)

            let (text, count) = try await Self.paged(export, rest, .csv, pageSize: 3)
            let (nothing, zero) = try await Self.paged(other, none, .ndjson, pageSize: 3)

            #expect(count == 7)
            #expect(text == (try await Self.reference(export, rest, .csv)))
            #expect(nothing.isEmpty && zero == 0)
        }
    }

    /// Where two outputs part, with a little context, for a readable failure.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let a = Array(actual.utf8), e = Array(expected.utf8)
        guard let at = zip(a, e).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? (a.count == e.count ? nil : min(a.count, e.count))
        else { return "none" }
        func around(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[max(0, at - 60)..<min(bytes.count, at + 40)], as: UTF8.self).debugDescription
        }
        return "at byte \(at)\n  paged:     \(around(a))\n  reference: \(around(e))"
    }

    @Test func civilTimeAgreesWithJSONEncoder() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var seconds: [Int64] = [0, -1, -86_400, -86_401, 951_782_400, 4_107_542_399, 1_795_000_000, 253_402_300_799]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 { seconds.append(Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)) }
        for value in seconds {
            let expected = String(decoding: try encoder.encode(Date(timeIntervalSince1970: TimeInterval(value))), as: UTF8.self)
            #expect("\"" + CivilTime(seconds: value).iso8601 + "\"" == expected, "\(value)")
            #expect(CivilTime(seconds: value).withQuotedISO8601 { String(decoding: $0, as: UTF8.self) } == expected, "\(value)")
        }
    }
}
