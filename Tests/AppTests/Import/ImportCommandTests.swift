@testable import App
import ConsoleKit
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting

@Suite struct ImportCommandTests {
    /// Both output streams of one run.
    final class Captured: Sendable {
        private let lines = NIOLockedValueBox<(standard: [String], error: [String])>(([], []))
        var standard: [String] { lines.withLockedValue { $0.standard } }
        var error: [String] { lines.withLockedValue { $0.error } }

        var output: ImportCommand.Output {
            ImportCommand.Output(standard: { line in self.lines.withLockedValue { $0.standard.append(line) } },
                                 error: { line in self.lines.withLockedValue { $0.error.append(line) } },
                                 showsProgress: false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aGoodPackagePrintsSlugAndVersionOnStandardOutput(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(folder: ImportFixtures.scorm12)
            let captured = Captured()

            try await ImportCommand.run(path: zip.path, dryRun: false, publish: false, app: app, output: captured.output)

            #expect(captured.standard == ["wondzorg 1"])
            #expect(captured.error.contains { $0.hasPrefix("warning imsmanifest.xml: The file 'content/missing.css'") && $0.hasSuffix(")") })
            #expect(captured.error.last?.hasPrefix("created the course 'wondzorg', version 1 (draft, 8 files") == true)
            #expect(try await CourseVersion.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedPackagePrintsTheReportAndFails(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(ImportFixtures.smallScorm() + [.text("../escape.html", "x")])
            let captured = Captured()

            await #expect(throws: CommandFailure.self) {
                try await ImportCommand.run(path: zip.path, dryRun: false, publish: false, app: app, output: captured.output)
            }
            #expect(captured.standard.isEmpty)
            #expect(captured.error.first?.hasPrefix("error ../escape.html: The entry '../escape.html' contains '..'") == true)
            #expect(captured.error.first?.hasSuffix(")") == true, "the hint follows in parentheses")
            #expect(captured.error.last?.hasPrefix("refused: '\(zip.lastPathComponent)' has 1 error") == true)
            #expect(try await Course.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDryRunPrintsWhatWouldHappen(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let captured = Captured()

            try await ImportCommand.run(path: ImportFixtures.courseFolder.path, dryRun: true, publish: false, app: app, output: captured.output)

            #expect(captured.standard == ["doelgerichte-zorg 1"])
            #expect(captured.error.last?.hasPrefix("dry run: would create the course 'doelgerichte-zorg'") == true)
            #expect(try await Course.query(on: app.db).count() == 0)
        }
    }

    @Test func issuesPrintAsSeverityLocationMessageAndHint() {
        let located = PackageIssue(.error, code: "x", file: "imsmanifest.xml", line: 12, column: 5, message: "Bad", hint: "Fix it")
        let whole = PackageIssue(.warning, code: "y", message: "Odd")

        #expect(ImportCommand.describe(located, input: "c.zip") == "error imsmanifest.xml:12:5: Bad (Fix it)")
        #expect(ImportCommand.describe(whole, input: "c.zip") == "warning c.zip: Odd")
    }

    @Test(arguments: TestDatabase.all)
    func theCommandIsRegisteredAsImport(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(ImportFixtures.smallScorm())
            let command = try #require(app.asyncCommands.commands["import"])
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["academy", zip.path, "--publish"]))
            context.application = app

            try await command.run(using: &context)

            let course = try #require(try await Course.query(on: app.db).first())
            #expect(course.slug == "kleine-cursus" && course.status == .published)
        }
    }
}
