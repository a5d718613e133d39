import Fluent
import Vapor

/// `academy export accreditation --partner NAME [--since CURSOR] [--format csv|csv-excel|json|ndjson|xapi|ob3|ob3-ndjson] [--out FILE]`:
/// what the API gives the partner, from the command line; progress on stderr, the next cursor printed at the end.
struct ExportCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["accreditation": ExportAccreditationCommand()] }
    var help: String { "Exports accreditation records for a partner" }
}

struct ExportAccreditationCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "partner", help: "The partner's name (its scope decides which records)")
        var partner: String?
        @Option(name: "since", help: "The cursor the last export ended with")
        var since: String?
        @Option(name: "format", help: "csv (default), csv-excel, json, ndjson, xapi, ob3 or ob3-ndjson")
        var format: String?
        @Option(name: "out", help: "File to write (default standard output)")
        var out: String?
    }

    var help: String { "Writes a partner's accreditation records" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard let name = signature.partner else { throw CommandFailure("--partner is missing (see `academy partner list`)") }
        let partner = try await PartnerCommand.find(name, on: db)
        guard let format = RecordExportFormat(rawValue: signature.format ?? "csv") else {
            throw CommandFailure("--format must be one of \(RecordExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var cursor = ExportCursor.start
        if let since = signature.since {
            guard let parsed = ExportCursor(since) else { throw CommandFailure("--since '\(since)' is not a cursor printed by an earlier export") }
            cursor = parsed
        }
        let export = RecordExport(database: db, scope: partner.scope)
        let settings = context.application.academySettings
        let site = ExportSite(baseURL: settings.baseURL, academyName: settings.academyName)
        let window = try await export.window(after: cursor, limit: nil)
        let issuance = format.isSigned ? try await context.application.credentialIssuance(on: db) : nil
        let handle: FileHandle
        if let out = signature.out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
                throw CommandFailure("--out: cannot write \(out)")
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        // Written in blocks of 64 KiB: a write per record would cost a system call each.
        var buffer = Data(format.header().utf8)
        var lines = RecordLineWriter(format: format, site: site, issuance: issuance)
        let count: Int
        if RecordExport.writesPages(format) {
            count = try await export.forEachPage(in: window, format: format) { page in
                buffer.append(contentsOf: page.readableBytesView)
                handle.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        } else {
            count = try await export.forEach(in: window) { item in
                buffer.append(contentsOf: Array(try await lines.add(item).utf8))
                if buffer.count >= 65_536 {
                    handle.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        buffer.append(contentsOf: Array(try await lines.finish().utf8))
        buffer.append(contentsOf: Array(try format.footer(next: window.next.description).utf8))
        handle.write(buffer)
        if signature.out != nil { try handle.close() }
        await ExportLogWriter(database: db, partnerID: try partner.requireID(), tokenID: nil, channel: "cli", format: format,
                              filters: .init(), logger: context.application.logger).write(count: count, window: window)
        FileHandle.standardError.write(Data("\(count) record(s) for \(partner.name); next cursor:\n".utf8))
        context.console.print(window.next.description)
    }
}
