@testable import App
import Foundation
import Testing

@Suite struct MembershipCSVTests {
    static let header = "email,board,role,cluster,valid_from,valid_until"

    static func read(_ text: String) throws -> MembershipCSV.Document {
        try MembershipCSV.read(Data(text.utf8))
    }

    static func refusals(_ line: String) throws -> [MembershipCSV.Refusal] {
        let document = try read(header + "\n" + line + "\n")
        return try #require(document.lines.first).refusals
    }

    // MARK: Separators, BOM, quoting, line ends

    @Test func commaSeparatedFileReadsEveryColumn() throws {
        let document = try Self.read("""
            email,board,role,cluster,valid_from,valid_until
            An@Zorgraad.be,zr-herkenrode,Member,care,2026-01-01,2026-12-31
            jan@zorgraad.be,ZR-HERKENRODE,staff,,,
            """)

        #expect(document.separator == ",")
        #expect(document.isAcceptable)
        #expect(document.lines.map(\.number) == [2, 3])
        #expect(document.lines[0].record == MembershipCSV.Record(
            email: "an@zorgraad.be", board: "ZR-HERKENRODE", role: .member, cluster: .care,
            validFrom: CalendarDay(year: 2026, month: 1, day: 1), validUntil: CalendarDay(year: 2026, month: 12, day: 31)))
        #expect(document.lines[1].record == MembershipCSV.Record(email: "jan@zorgraad.be", board: "ZR-HERKENRODE", role: .staff))
    }

    @Test func belgianExcelFileWithBOMSemicolonsCRLFAndDayFirstDates() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("email;board;role;cluster;valid_from;valid_until\r\nan@zorgraad.be;ZR-GENT;chair;welfare;1/03/2026;31/12/2026\r\n;;;;;\r\n".utf8))

        let document = try MembershipCSV.read(data)

        #expect(document.separator == ";")
        #expect(document.lines.count == 1, "a spreadsheet's blank row (;;;;;) is skipped")
        let record = try #require(document.lines.first?.record)
        #expect(record.role == .chair && record.cluster == .welfare)
        #expect(record.validFrom == CalendarDay(year: 2026, month: 3, day: 1))
        #expect(record.validUntil == CalendarDay(year: 2026, month: 12, day: 31))
    }

    @Test func columnsMayComeInAnyOrderAndOptionalOnesMayBeLeftOut() throws {
        let document = try Self.read("ROLE, Email ,board\nmember,an@zorgraad.be,ZR-GENT\n")

        #expect(document.lines.first?.record == MembershipCSV.Record(email: "an@zorgraad.be", board: "ZR-GENT", role: .member))
    }

    @Test func quotedFieldsKeepSeparatorsQuotesAndLineBreaks() throws {
        let table = try CSVTable.parse(Data("a;b;c\r\n\"x;y\";\"say \"\"hi\"\"\";\"two\r\nlines\"\r\nlast;row;here".utf8))

        #expect(table.separator == ";")
        #expect(table.records.count == 2)
        #expect(table.records[0].fields == ["x;y", "say \"hi\"", "two\r\nlines"])
        #expect(table.records[1].line == 4, "the record after a quoted line break starts on the next physical line")
        #expect(table.records[1].fields == ["last", "row", "here"])
    }

    @Test func quotedHeaderAndValuesInAMembershipFile() throws {
        let document = try Self.read("\"email\",\"board\",\"role\"\n\"an@zorgraad.be\",\"ZR-GENT\",\"member\"\n")

        #expect(document.lines.first?.record?.email == "an@zorgraad.be")
    }

    // MARK: Whole-file problems

    @Test func fileProblemsSayWhereAndHowToFixThem() throws {
        func failure(_ data: Data) -> CSVTable.Failure? {
            do {
                _ = try MembershipCSV.read(data)
                return nil
            } catch {
                return error as? CSVTable.Failure
            }
        }

        let empty = failure(Data())
        let missing = failure(Data("email,board\nan@zorgraad.be,ZR-GENT\n".utf8))
        let typo = failure(Data("email,board,role,vaild_from\n".utf8))
        let unclosed = failure(Data("email,board,role\n\"an@zorgraad.be,ZR-GENT,member\n".utf8))
        let windows1252 = failure(Data("email,board,role\n".utf8) + Data([0x4A, 0xE9, 0x2C, 0x0A]))
        let afterQuote = failure(Data("email,board,role\n\"an\"x,ZR-GENT,member\n".utf8))

        #expect(empty?.message == "the file is empty")
        #expect(missing?.message == "the header lacks the column(s) role")
        #expect(missing?.hint == "the first line must be: email,board,role,cluster,valid_from,valid_until")
        #expect(typo?.message == "unknown column(s) 'vaild_from'")
        #expect(unclosed?.line == 2 && unclosed?.message == "a quote opened here is never closed")
        #expect(windows1252?.line == 2 && windows1252?.message == "the file is not UTF-8 text")
        #expect(afterQuote?.line == 2 && afterQuote?.message == "text after a closing quote")
    }

    // MARK: Line refusals

    @Test func eachLineRefusalIsReportedWithItsReason() throws {
        #expect(try Self.refusals("an@zorgraad.be,ZR-GENT,voorzitter,,,") == [.badRole("voorzitter")])
        #expect(try Self.refusals("an@zorgraad.be,ZR-GENT,member,zorg,,") == [.badCluster("zorg")])
        #expect(try Self.refusals("an@zorgraad.be,ZR-GENT,member,,2026-02-30,") == [.badDate(column: "valid_from", value: "2026-02-30")])
        #expect(try Self.refusals("an@zorgraad.be,ZR-GENT,member,,,morgen") == [.badDate(column: "valid_until", value: "morgen")])
        #expect(try Self.refusals("an@zorgraad.be,ZR-GENT,member,,2026-06-01,2026-05-31")
                == [.untilBeforeFrom(from: CalendarDay(year: 2026, month: 6, day: 1)!, until: CalendarDay(year: 2026, month: 5, day: 31)!)])
        #expect(try Self.refusals("an-at-zorgraad.be,ZR-GENT,member,,,") == [.notAnEmail("an-at-zorgraad.be")])
        #expect(try Self.refusals(",ZR-GENT,,,,") == [.missingValue(column: "email"), .missingValue(column: "role")])
        #expect(try Self.refusals("an@zorgraad.be,ZR-GENT,member,care,,,extra") == [.tooManyFields(count: 7, expected: 6)])
    }

    @Test func refusalMessagesListTheValidKeys() {
        #expect(MembershipCSV.Refusal.badRole("voorzitter").description
                == "unknown role 'voorzitter'; valid roles: staff, member, chair")
        #expect(MembershipCSV.Refusal.badCluster("zorg").description
                == "unknown cluster 'zorg'; valid clusters: local-authorities, care, welfare, care-users (or empty)")
        #expect(MembershipCSV.Refusal.duplicate(ofLine: 2).description == "the same person, board and role are on line 2 already")
    }

    @Test func aSecondLineForTheSamePersonBoardAndRoleIsADuplicate() throws {
        let document = try Self.read("""
            \(Self.header)
            an@zorgraad.be,ZR-GENT,member,care,,
            AN@zorgraad.be,zr-gent,MEMBER,welfare,,
            an@zorgraad.be,ZR-GENT,chair,care,,
            """)

        #expect(document.lines[0].refusals.isEmpty)
        #expect(document.lines[1].refusals == [.duplicate(ofLine: 2)])
        #expect(document.lines[2].refusals.isEmpty, "another role in the same board is another membership")
        #expect(!document.isAcceptable)
    }

    @Test func unknownUsersAndBoardsAreRefusedOnceTheDatabaseWasAsked() throws {
        var document = try Self.read("""
            \(Self.header)
            an@zorgraad.be,ZR-GENT,member,,,
            nobody@zorgraad.be,ZR-GENT,member,,,
            an@zorgraad.be,ZR-NOWHERE,staff,,,
            """)
        #expect(document.emails == ["an@zorgraad.be", "nobody@zorgraad.be"])
        #expect(document.boards == ["ZR-GENT", "ZR-NOWHERE"])

        document.refuseUnknown(users: ["an@zorgraad.be"], boards: ["ZR-GENT"])

        #expect(document.lines.map(\.refusals) == [[], [.unknownUser("nobody@zorgraad.be")], [.unknownBoard("ZR-NOWHERE")]])
        #expect(document.refusedCount == 2)
    }

    // MARK: Writing

    @Test func writtenFileReadsBackToTheSameRecords() throws {
        let records = [
            MembershipCSV.Record(email: "an@zorgraad.be", board: "ZR-GENT", role: .chair, cluster: .careUsers,
                                 validFrom: CalendarDay(year: 2026, month: 1, day: 1), validUntil: nil),
            MembershipCSV.Record(email: "jan@zorgraad.be", board: "ZR-BRUGGE", role: .staff),
        ]

        let text = MembershipCSV.write(records)
        let document = try MembershipCSV.read(Data(text.utf8))

        #expect(text.hasPrefix("email,board,role,cluster,valid_from,valid_until\r\n"))
        #expect(text.contains("an@zorgraad.be,ZR-GENT,chair,care-users,2026-01-01,\r\n"))
        #expect(document.lines.compactMap(\.record) == records)
    }

    @Test func valuesWithSeparatorsOrQuotesAreQuotedWhenWritten() {
        #expect(CSVTable.quoted("Houtland, Polder") == "\"Houtland, Polder\"")
        #expect(CSVTable.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.quoted("a;b", separator: ";") == "\"a;b\"")
        #expect(CSVTable.quoted("plain") == "plain")
    }
}
