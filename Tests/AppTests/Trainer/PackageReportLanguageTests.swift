@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The package report in the reader's language: the upload page, the API and the command line.
@Suite struct PackageReportLanguageTests {
    /// A SCORM 1.2 package whose item points at a resource that does not exist.
    static func brokenPackage() throws -> Data {
        try Data(contentsOf: try TestZip.make([
            .text("imsmanifest.xml", PackageFixtures.scorm12("""
              <organizations default="org"><organization identifier="org"><title>Kapotte cursus</title>
                <item identifier="i1" identifierref="r9"><title>Pagina</title></item>
              </organization></organizations>
              <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
                <file href="index.html"/></resource></resources>
            """, identifier: "test.broken")),
            .text("index.html", "<html><body>Hallo</body></html>"),
        ]))
    }

    /// Where the parser places the finding, so that the test does not depend on the fixture's layout by hand.
    static func expectedLocation() throws -> String {
        var report = PackageReport()
        let manifest = PackageFixtures.scorm12("""
              <organizations default="org"><organization identifier="org"><title>Kapotte cursus</title>
                <item identifier="i1" identifierref="r9"><title>Pagina</title></item>
              </organization></organizations>
              <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
                <file href="index.html"/></resource></resources>
            """, identifier: "test.broken")
        _ = PackageFixtures.parse(xml: manifest, report: &report)
        return try #require(report.issues(withCode: "item.identifierref.unknown").first?.location)
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerReadsTheReportOfABrokenPackageInDutchWithFileLineAndColumn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await TrainerUploadTests.signIn(app, role: .trainer)
            let location = try Self.expectedLocation()

            let report = try await browser.upload("/trainer/packages", field: "package", fileName: "kapot.zip", data: try Self.brokenPackage())

            let page = report.body.string
            #expect(report.status == .unprocessableEntity, "a refused package's report")
            #expect(location.range(of: #"^imsmanifest\.xml:[0-9]+:[0-9]+$"#, options: .regularExpression) != nil, "file, line and column: \(location)")
            #expect(page.contains(#"<code class="location">\#(location)</code>"#))
            #expect(page.contains(#"<span class="message" lang="nl">Item ‘i1’ heeft een identifierref naar een onbekende resource ‘r9’</span>"#), "\(page)")
            #expect(page.contains("Laat identifierref verwijzen naar de identifier van een &lt;resource&gt; in het manifest"))
            #expect(!page.contains("has an identifierref to an unknown resource"), "no English for a Dutch reader")
            #expect(!page.contains(#"class="report-note""#), "every finding is translated, so no note about English")
            #expect(try await Course.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFrenchSpeakingTrainerReadsItInFrench(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await TrainerUploadTests.signIn(app, role: .trainer)
            let trainer = try #require(try await User.query(on: app.db).filter(\.$email == "trainer@vivel.test").first())
            trainer.preferredLanguage = "fr"
            try await trainer.save(on: app.db)

            let report = try await browser.upload("/trainer/packages", field: "package", fileName: "kapot.zip", data: try Self.brokenPackage())

            let page = report.body.string
            #expect(page.contains(#"<span class="message" lang="fr">L’item « i1 » a un identifierref vers une ressource inconnue « r9 »</span>"#), "\(page)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIKeepsEnglishAndAddsTheTextInTheAskedLanguage(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let token = try await PackageAPITests.trainer(app)
            let zip = try Self.brokenPackage()
            var headers = HTTPHeaders()
            headers.contentType = .zip
            headers.bearerAuthorization = .init(token: token)
            headers.replaceOrAdd(name: .acceptLanguage, value: "fr-BE, nl;q=0.8")

            let french = try await app.testing().sendRequest(.POST, "/api/v1/packages", headers: headers, body: ByteBuffer(data: zip))
            let preferred = try await PackageAPITests.post(app, token: token, zip: zip)

            #expect(french.status == .unprocessableEntity)
            #expect(french.headers.first(name: .contentLanguage) == "fr")
            let report = try PackageAPITests.json(french)
            #expect(report["language"] as? String == "fr")
            let issue = try #require((report["errors"] as? [[String: Any]])?.first)
            #expect(issue["code"] as? String == "item.identifierref.unknown")
            #expect(issue["message"] as? String == "Item 'i1' has an identifierref to an unknown resource 'r9'")
            #expect(issue["localizedMessage"] as? String == "L’item « i1 » a un identifierref vers une ressource inconnue « r9 »")
            #expect(issue["hint"] as? String == "Point identifierref at the identifier of a <resource> in the manifest")
            #expect((issue["localizedHint"] as? String)?.hasPrefix("Faites pointer identifierref") == true)
            #expect(issue["arguments"] as? [String] == ["i1", "r9"])
            #expect("imsmanifest.xml:\(issue["line"] as? Int ?? 0):\(issue["column"] as? Int ?? 0)" == (try Self.expectedLocation()))

            let dutch = try PackageAPITests.json(preferred)
            #expect(dutch["language"] as? String == "nl", "without Accept-Language: the token holder's preferred language")
            let dutchIssue = try #require((dutch["errors"] as? [[String: Any]])?.first)
            #expect(dutchIssue["localizedMessage"] as? String == "Item ‘i1’ heeft een identifierref naar een onbekende resource ‘r9’")
        }
    }

    @Test func theCommandLineIsEnglishUnlessAskedOrLANGSaysOtherwise() throws {
        #expect(try ImportCommand.language(option: nil, environment: [:]) == .en)
        #expect(try ImportCommand.language(option: nil, environment: ["LANG": "nl_BE.UTF-8"]) == .nl)
        #expect(try ImportCommand.language(option: nil, environment: ["LANG": "fr_BE.UTF-8", "LC_ALL": "C"]) == .en, "LC_ALL wins")
        #expect(try ImportCommand.language(option: nil, environment: ["LC_MESSAGES": "fr_FR", "LANG": "nl_BE"]) == .fr)
        #expect(try ImportCommand.language(option: "NL", environment: ["LANG": "fr_BE"]) == .nl)
        #expect(throws: CommandFailure.self) { try ImportCommand.language(option: "de", environment: [:]) }

        var report = PackageReport()
        _ = try PackageFixtures.parse("refused/unknown-identifierref.xml", report: &report)
        let issue = try #require(report.issues(withCode: "item.identifierref.unknown").first)
        let english = ImportCommand.describe(issue, input: "x.zip")
        let dutch = ImportCommand.describe(issue, input: "x.zip", language: .nl)

        #expect(english == "error \(issue.location!): \(issue.message) (\(issue.hint!))")
        #expect(dutch.hasPrefix("error \(issue.location!): Item ‘"))
        #expect(dutch.hasSuffix("(Laat identifierref verwijzen naar de identifier van een <resource> in het manifest)"))
    }
}
