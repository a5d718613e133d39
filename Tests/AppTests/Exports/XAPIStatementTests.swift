@testable import App
import Foundation
import Testing

/// Exported statements checked against the strict xAPI 1.0.3 statement schema in ../shared/schemas, with
/// Python's jsonschema when it is installed (CI has it).
@Suite struct XAPIStatementTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let schema = repository.deletingLastPathComponent()
        .appendingPathComponent("shared/schemas/xapi/xapi-1.0.3-statement.strict.schema.json")

    static func statements() throws -> [String] {
        let site = ExportSite(baseURL: "https://academy.vivel.be/", academyName: "VIVEL Academy")
        let issued = RecordExportFormatTests.item()
        var correction = RecordExportFormatTests.item(points: 1)
        correction.id = UUID()
        correction.kind = "correction"
        correction.supersedes = issued.id
        var revocation = correction
        revocation.id = UUID()
        revocation.kind = "revocation"
        revocation.supersedes = correction.id
        return try [issued, correction, revocation].map { try RecordExportFormat.encode(XAPIStatement($0, site: site)) }
    }

    @Test func statementsSayWhoCompletedWhatWithThePoints() throws {
        let statements = try Self.statements().map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let issued = statements[0], correction = statements[1], revocation = statements[2]

        #expect((issued["verb"] as? [String: Any])?["id"] as? String == "http://adlnet.gov/expapi/verbs/completed")
        let actor = try #require(issued["actor"] as? [String: Any])
        #expect((actor["account"] as? [String: Any])?["homePage"] as? String == "https://academy.vivel.be")
        let extensions = try #require((issued["context"] as? [String: Any])?["extensions"] as? [String: Any])
        #expect(extensions[XAPIStatement.extensionBase + "points"] as? Double == 1.5)
        #expect(extensions[XAPIStatement.extensionBase + "activity-number"] as? String == "ACC-1")
        #expect(((correction["context"] as? [String: Any])?["statement"] as? [String: Any])?["id"] as? String == issued["id"] as? String)
        #expect((revocation["verb"] as? [String: Any])?["id"] as? String == "http://adlnet.gov/expapi/verbs/voided")
        #expect((revocation["object"] as? [String: Any])?["objectType"] as? String == "StatementRef")
    }

    @Test(.enabled(if: JSONSchemaCheck.isAvailable && FileManager.default.fileExists(atPath: schema.path),
                    "needs ../shared/schemas and Python's jsonschema"))
    func statementsValidateAgainstTheStrictSchema() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("statements.json")
        try ("[" + (try Self.statements()).joined(separator: ",") + "]").write(to: good, atomically: true, encoding: .utf8)
        // A control: the same first statement without its actor must be refused, or the check checks nothing.
        let broken = folder.appendingPathComponent("broken.json")
        let withoutActor = try Self.statements()[0].replacingOccurrences(of: "\"actor\"", with: "\"performer\"")
        try "[\(withoutActor)]".write(to: broken, atomically: true, encoding: .utf8)

        let result = try #require(try JSONSchemaCheck.run(schema: Self.schema, documents: good))
        let control = try #require(try JSONSchemaCheck.run(schema: Self.schema, documents: broken))

        #expect(result.status == 0, "\(result.output)")
        #expect(control.status == 1, "the broken statement was not refused: \(control.output)")
    }
}

/// Runs Python's jsonschema over a JSON array of documents; nil when python3 or jsonschema is missing.
enum JSONSchemaCheck {
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import jsonschema"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static let script = """
    import json, sys
    try:
        import jsonschema
    except ImportError:
        sys.exit(77)
    schema = json.load(open(sys.argv[1]))
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    failed = 0
    for index, document in enumerate(json.load(open(sys.argv[2]))):
        for error in validator.iter_errors(document):
            failed += 1
            print(f"document {index}: {'/'.join(str(p) for p in error.absolute_path)}: {error.message}")
    sys.exit(1 if failed else 0)
    """

    static func run(schema: URL, documents: URL) throws -> (status: Int32, output: String)? {
        let process = Process()
        // The python3 on PATH: pyenv's, with its packages, where one is set up.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path, documents.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 77 || process.terminationStatus == 127 { return nil }
        return (process.terminationStatus, output)
    }
}
