@testable import App
import Foundation
import Testing

@Suite struct RecordExportFormatTests {
    static func item(name: String = "An Peeters", points: Double = 1.5) -> RecordExportItem {
        let record = AccreditationRecord()
        record.id = UUID(uuidString: "6F1C2E0A-1111-4222-8333-944455556666")
        record.kind = .issued
        record.$user.id = UUID(uuidString: "0B0C2E0A-1111-4222-8333-944455550000")!
        record.learnerName = name
        record.registrationNumber = "12345625003"
        record.profession = "gp"
        record.organiserNumber = "ORG-7"
        record.activityNumber = "ACC-1"
        record.body = "riziv-inami"
        record.$course.id = UUID()
        record.courseTitle = "Wondzorg; thuis"
        record.versionNumber = 1
        record.completedOn = "2026-11-23"
        record.completedAt = Date(timeIntervalSince1970: 1_795_000_000)
        record.points = points
        record.unit = "CP"
        record.rubric = "6"
        record.verificationCode = "7K3QD-M9XW2"
        record.createdAt = record.completedAt
        record.exportXID = 0
        record.exportSeq = 12
        return try! RecordExportItem(record)
    }

    @Test func cursorsRoundTripAndRefuseAnythingElse() {
        let cursor = ExportCursor(xid: 771, seq: 12)
        #expect(ExportCursor(cursor.description) == cursor)
        #expect(cursor.description.hasPrefix("v1.") && !cursor.description.contains("771"))
        #expect(ExportCursor("12") == nil && ExportCursor("v1.!!") == nil && ExportCursor("v1.LTEuMw") == nil)
        #expect(ExportCursor(xid: 1, seq: 900) < ExportCursor(xid: 2, seq: 1))
    }

    @Test func cursorTextIsBase64URLOfXIDDotSeq() {
        let cases: [(Int64, Int64)] = [(0, 0), (0, 1), (771, 12), (9, 99), (1_234_567, 89), (Int64.max, Int64.max)]
        for (xid, seq) in cases {
            let cursor = ExportCursor(xid: xid, seq: seq)
            let foundation = Data("\(xid).\(seq)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(cursor.description == "v1." + foundation)
            #expect(ExportCursor(cursor.description) == cursor)
        }
        #expect(ExportCursor(xid: 0, seq: 1).description == "v1.MC4x", "partners keep cursors across releases")
    }

    @Test func csvQuotesWhatNeedsQuotingAndDisarmsFormulas() {
        #expect(RecordExportFormat.csvField("plain", separator: ",") == "plain")
        #expect(RecordExportFormat.csvField("Wondzorg; thuis", separator: ";") == "\"Wondzorg; thuis\"")
        #expect(RecordExportFormat.csvField("Wondzorg; thuis", separator: ",") == "Wondzorg; thuis")
        #expect(RecordExportFormat.csvField("Jan \"Sjakie\" Peeters", separator: ",") == "\"Jan \"\"Sjakie\"\" Peeters\"")
        #expect(RecordExportFormat.csvField("twee\nregels", separator: ",") == "\"twee\nregels\"")
        #expect(RecordExportFormat.csvField("=HYPERLINK(\"x\")", separator: ",") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(RecordExportFormat.csvField("-1.5", separator: ",") == "-1.5", "numbers stay numbers")
        #expect(RecordExportFormat.csvField("Ève Dupré-Lemaître", separator: ";") == "Ève Dupré-Lemaître")
    }

    @Test func excelVariantHasABOMSemicolonsAndDecimalCommas() throws {
        let plain = try RecordExportFormat.csv.line(Self.item(), first: true)
        let excel = try RecordExportFormat.csvExcel.line(Self.item(), first: true)

        #expect(RecordExportFormat.csvExcel.header().hasPrefix("\u{FEFF}registration_number;name;"))
        #expect(plain.hasPrefix("12345625003,An Peeters,gp,ORG-7,ACC-1,riziv-inami,Wondzorg; thuis,2026-11-23,1.5,CP,6,issued,"))
        #expect(excel.hasPrefix("12345625003;An Peeters;gp;ORG-7;ACC-1;riziv-inami;\"Wondzorg; thuis\";2026-11-23;1,5;CP;6;issued;"))
        #expect(plain.hasSuffix("\r\n"))
    }

    @Test func jsonIsOneDocumentAndNDJSONOneRecordPerLine() throws {
        let json = RecordExportFormat.json.header() + (try RecordExportFormat.json.line(Self.item(), first: true))
            + (try RecordExportFormat.json.line(Self.item(name: "Jan"), first: false)) + (try RecordExportFormat.json.footer(next: "v1.x"))
        let ndjson = try RecordExportFormat.ndjson.line(Self.item(), first: true) + (try RecordExportFormat.ndjson.line(Self.item(), first: false))

        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect((document["records"] as? [[String: Any]])?.map { $0["learnerName"] as? String } == ["An Peeters", "Jan"])
        #expect(document["next"] as? String == "v1.x")
        #expect(ndjson.split(separator: "\n").count == 2)
        #expect(RecordExportFormat.negotiate(query: nil, accept: "text/csv") == .csv)
        #expect(RecordExportFormat.negotiate(query: "csv-excel", accept: "application/json") == .csvExcel)
        #expect(RecordExportFormat.negotiate(query: "xml", accept: nil) == nil)
    }
}

@Suite struct ExportEncodingTests {
    @Test func base64URLAndUUIDTextAgreeWithFoundation() {
        for text in ["", "0.1", "12.345", "771.12", "9223372036854775807.9223372036854775807"] {
            let foundation = Data(text.utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(ExportCursor.base64URL(Array(text.utf8)) == foundation)
        }
        let id = UUID()
        #expect(UUID(hexText: id.uuidString) == id && UUID(hexText: id.uuidString.lowercased()) == id)
        #expect(UUID(hexText: "not-a-uuid") == nil && UUID(hexText: id.uuidString + "0") == nil)
    }
}
