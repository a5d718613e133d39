@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// `academy members import/export` run as the command, against both databases.
@Suite struct MembershipImportTests {
    static func seed(_ app: Application) async throws {
        for email in ["an@zorgraad.be", "jan@zorgraad.be", "els@zorgraad.be"] {
            try await User(email: email, name: email, passwordHash: "-", role: .learner, profession: "care-board-staff")
                .save(on: app.db)
        }
        try await CareBoard(code: "ZR-HERKENRODE", name: "Zorgraad Herkenrode", zone: "Eerstelijnszone Herkenrode",
                            province: .limburg).save(on: app.db)
        try await CareBoard(code: "ZR-GENT", name: "Zorgraad Gent", zone: "Eerstelijnszone Gent",
                            province: .oostVlaanderen).save(on: app.db)
    }

    /// Runs `academy members ARGS...` with `text` written to a file given as the first argument.
    static func members(_ app: Application, _ arguments: [String]) async throws -> (output: String, failure: String?) {
        let console = RecordingConsole()
        var context = CommandContext(console: console, input: CommandInput(arguments: ["academy"] + arguments))
        context.application = app
        do {
            try await console.run(MembersCommand(), with: context)
            return (console.text, nil)
        } catch {
            return (console.text, String(describing: error))
        }
    }

    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "members-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func memberships(_ app: Application) async throws -> [String] {
        try await MembershipExport.records(on: app.db).map {
            "\($0.email) \($0.board) \($0.role) \($0.cluster?.rawValue ?? "-") \($0.validFrom?.iso ?? "-") \($0.validUntil?.iso ?? "-")"
        }
    }

    @Test(arguments: TestDatabase.all)
    func importCountsAddedChangedAndUnchanged(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let first = try Self.file("""
                email,board,role,cluster,valid_from,valid_until
                an@zorgraad.be,ZR-HERKENRODE,member,care,2026-01-01,2026-12-31
                jan@zorgraad.be,ZR-HERKENRODE,staff,,,
                an@zorgraad.be,ZR-GENT,chair,welfare,,
                """)
            let second = try Self.file("""
                email;board;role;cluster;valid_from;valid_until
                an@zorgraad.be;ZR-HERKENRODE;member;care;2026-01-01;2027-06-30
                jan@zorgraad.be;ZR-HERKENRODE;staff;;;
                els@zorgraad.be;ZR-GENT;member;care-users;;
                """)

            let added = try await Self.members(app, ["import", first])
            let mixed = try await Self.members(app, ["import", second])

            #expect(added.failure == nil)
            #expect(added.output.contains("3 added, 0 changed, 0 unchanged, 0 refused"))
            #expect(mixed.failure == nil)
            #expect(mixed.output.contains("1 added, 1 changed, 1 unchanged, 0 refused"))
            #expect(mixed.output.contains("line 2    changed    an@zorgraad.be ZR-HERKENRODE member (care) 2026-01-01..2027-06-30: valid_until 2026-12-31 → 2027-06-30"))
            #expect(try await Self.memberships(app) == [
                "an@zorgraad.be ZR-GENT chair welfare - -",
                "els@zorgraad.be ZR-GENT member care-users - -",
                "an@zorgraad.be ZR-HERKENRODE member care 2026-01-01 2027-06-30",
                "jan@zorgraad.be ZR-HERKENRODE staff - - -",
            ])
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneRefusedLineRefusesTheWholeFileAndSaysWhy(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let path = try Self.file("""
                email,board,role,cluster,valid_from,valid_until
                an@zorgraad.be,ZR-HERKENRODE,member,care,,
                nobody@zorgraad.be,ZR-HERKENRODE,member,care,,
                jan@zorgraad.be,ZR-ATLANTIS,voorzitter,,2026-05-01,2026-04-30
                """)

            let result = try await Self.members(app, ["import", path])

            #expect(result.failure == "2 line(s) refused; nothing was imported")
            #expect(result.output.contains("line 3    refused    nobody@zorgraad.be ZR-HERKENRODE member (care): no account has the e-mail address nobody@zorgraad.be"))
            #expect(result.output.contains("unknown role 'voorzitter'; valid roles: staff, member, chair"))
            #expect(result.output.contains("valid_until 2026-04-30 is before valid_from 2026-05-01"))
            #expect(result.output.contains("1 added, 0 changed, 0 unchanged, 2 refused: nothing was written"))
            #expect(try await BoardMembership.query(on: app.db).count() == 0, "the acceptable line was not written either")
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownBoardCodeIsRefused(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let path = try Self.file("email,board,role\njan@zorgraad.be,ZR-ATLANTIS,staff\n")

            let result = try await Self.members(app, ["import", path])

            #expect(result.output.contains("unknown board code 'ZR-ATLANTIS'"))
            #expect(try await BoardMembership.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func dryRunPrintsTheSameReportAndWritesNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let path = try Self.file("""
                email,board,role,cluster,valid_from,valid_until
                an@zorgraad.be,ZR-HERKENRODE,member,care,,
                jan@zorgraad.be,ZR-GENT,staff,,,
                """)

            let dry = try await Self.members(app, ["import", path, "--dry-run"])
            let countAfterDryRun = try await BoardMembership.query(on: app.db).count()
            let real = try await Self.members(app, ["import", path])

            #expect(dry.failure == nil)
            #expect(dry.output.contains("2 added, 0 changed, 0 unchanged, 0 refused (dry run: nothing was written)"))
            #expect(countAfterDryRun == 0)
            #expect(real.output.contains("2 added, 0 changed, 0 unchanged, 0 refused"))
            #expect(try await BoardMembership.query(on: app.db).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func exportedFileImportsBackUnchanged(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let source = try Self.file("""
                email,board,role,cluster,valid_from,valid_until
                an@zorgraad.be,ZR-HERKENRODE,member,care,2026-01-01,2026-12-31
                jan@zorgraad.be,ZR-GENT,staff,,,
                """)
            _ = try await Self.members(app, ["import", source])
            let exported = NSTemporaryDirectory() + "members-export-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: exported) }

            let export = try await Self.members(app, ["export", "--out", exported])
            let again = try await Self.members(app, ["import", exported])

            #expect(export.output.contains("Wrote 2 membership(s)"))
            #expect(try String(contentsOfFile: exported, encoding: .utf8) == """
                email,board,role,cluster,valid_from,valid_until\r
                jan@zorgraad.be,ZR-GENT,staff,,,\r
                an@zorgraad.be,ZR-HERKENRODE,member,care,2026-01-01,2026-12-31\r

                """)
            #expect(again.output.contains("0 added, 0 changed, 2 unchanged, 0 refused"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func excelExportHasSemicolonsAndABOMAndImportsBack(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            _ = try await Self.members(app, ["import", try Self.file("email,board,role,cluster\nels@zorgraad.be,ZR-GENT,member,care-users\n")])
            let exported = NSTemporaryDirectory() + "members-excel-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: exported) }

            _ = try await Self.members(app, ["export", "--out", exported, "--excel"])
            let data = try Data(contentsOf: URL(fileURLWithPath: exported))
            let again = try await Self.members(app, ["import", exported])

            #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(String(decoding: data.dropFirst(3), as: UTF8.self)
                    == "email;board;role;cluster;valid_from;valid_until\r\nels@zorgraad.be;ZR-GENT;member;care-users;;\r\n")
            #expect(again.output.contains("0 added, 0 changed, 1 unchanged, 0 refused"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func anUnreadableFileIsRefusedWithItsLine(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let path = try Self.file("email,board,rol\nan@zorgraad.be,ZR-GENT,member\n")

            let result = try await Self.members(app, ["import", path])

            #expect(result.failure?.contains("line 1: the header lacks the column(s) role") == true)
        }
    }
}

/// A console that keeps what commands print.
final class RecordingConsole: Console, @unchecked Sendable {
    private(set) var lines: [String] = []
    private var current = ""
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    var size: (width: Int, height: Int) { (200, 50) }
    var text: String { (lines + (current.isEmpty ? [] : [current])).joined(separator: "\n") }

    func input(isSecure: Bool) -> String { "" }

    func output(_ text: ConsoleText, newLine: Bool) {
        current += text.fragments.map(\.string).joined()
        if newLine {
            lines.append(current)
            current = ""
        }
    }

    func clear(_ type: ConsoleClear) {}

    func report(error: String, newLine: Bool) {
        output(ConsoleText(stringLiteral: error), newLine: newLine)
    }
}
