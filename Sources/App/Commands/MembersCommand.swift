import Fluent
import Vapor

/// `academy members import FILE.csv [--dry-run]` and `academy members export [--out FILE]`.
struct MembersCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["import": ImportMembersCommand(), "export": ExportMembersCommand()]
    }
    var help: String { "Imports and exports care board memberships as CSV (email,board,role,cluster,valid_from,valid_until)" }
}

struct ImportMembersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV file: email,board,role,cluster,valid_from,valid_until (comma or semicolon separated, UTF-8)")
        var file: String
        @Flag(name: "dry-run", help: "Check the file and print what would change, without writing anything")
        var dryRun: Bool
    }

    var help: String {
        "Adds or updates memberships from a CSV file; refuses the whole file when any line is refused. Memberships not in the file stay as they are: end one by giving it a valid_until"
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: signature.file))
        } catch {
            throw CommandFailure("Cannot read \(signature.file): \(error.localizedDescription)")
        }
        let report: MembershipImport.Report
        do {
            report = try await MembershipImport(dryRun: signature.dryRun, source: signature.file).run(data, on: app.db)
        } catch let failure as CSVTable.Failure {
            throw CommandFailure("\(signature.file): \(failure)")
        }
        for line in report.text.dropLast() { context.console.print(line) }
        if report.refused > 0 {
            context.console.error(report.summary)
            throw CommandFailure("\(report.refused) line(s) refused; nothing was imported")
        }
        context.console.print(report.summary)
    }
}

struct ExportMembersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "out", short: "o", help: "File to write (default: standard output)")
        var out: String?
        @Flag(name: "excel", help: "Semicolons and a UTF-8 byte order mark, so that Excel with Belgian settings opens the file in columns")
        var excel: Bool
    }

    var help: String { "Writes every membership as CSV in the format `members import` reads" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let records = try await MembershipExport.records(on: context.application.db)
        let text = signature.excel ? "\u{FEFF}" + MembershipCSV.write(records, separator: ";") : MembershipCSV.write(records)
        if let out = signature.out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CommandFailure("Cannot write \(out): \(error.localizedDescription)")
            }
            context.console.print("Wrote \(records.count) membership(s) to \(out)")
        } else {
            context.console.output(text.consoleText(), newLine: false)
        }
    }
}
