@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The findings about a course manifest's access rules in the reader's language, on the upload page, in the API
/// and on the command line, like the package's other findings (PackageReportLanguageTests).
@Suite struct AccessRuleReportLanguageTests {
    /// An academy course whose visibility rule names a profession that does not exist.
    static func packageWithAnUnknownProfession() throws -> Data {
        try Data(contentsOf: try TestZip.make([
            .text("course.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <course xmlns="https://academy.vivel.be/xmlns/course/1" format-version="1.0" key="test:toegang" language="nl">
              <title>Toegang</title>
              <access scope="visibility" when-denied="hide">
                <profession in="astronaut"/>
              </access>
              <modules>
                <module key="m1" kind="page"><title>Pagina</title><content src="pages/m1.html"/></module>
              </modules>
            </course>
            """),
            .text("pages/m1.html", "<html><body>Hallo</body></html>"),
        ]))
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerReadsAnAccessRuleFindingInDutch(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await TrainerUploadTests.signIn(app, role: .trainer)

            let report = try await browser.upload("/trainer/packages", field: "package", fileName: "toegang.zip",
                                                  data: try Self.packageWithAnUnknownProfession())

            let page = report.body.string
            #expect(report.status == .unprocessableEntity)
            #expect(page.contains(#"<code class="location">course.xml:5:"#), "file, line and column")
            #expect(page.contains(#"<span class="message" lang="nl">‘astronaut’ in &lt;profession&gt; staat niet in de lijst van beroepen</span>"#), "\(page)")
            #expect(page.contains("Geldige beroepen: "))
            #expect(!page.contains("Unknown profession"), "no English for a Dutch reader")
            #expect(!page.contains(#"class="report-note""#), "every finding is translated, so no note about English")
            #expect(try await Course.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theAPIAddsTheAccessRuleFindingInFrench(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let token = try await PackageAPITests.trainer(app)
            var headers = HTTPHeaders()
            headers.contentType = .zip
            headers.bearerAuthorization = .init(token: token)
            headers.replaceOrAdd(name: .acceptLanguage, value: "fr")

            let response = try await app.testing().sendRequest(.POST, "/api/v1/packages", headers: headers,
                                                              body: ByteBuffer(data: try Self.packageWithAnUnknownProfession()))

            #expect(response.status == .unprocessableEntity)
            let report = try PackageAPITests.json(response)
            let issue = try #require((report["errors"] as? [[String: Any]])?.first { $0["code"] as? String == "access.key.unknown" })
            #expect(issue["message"] as? String == "Unknown profession 'astronaut' in <profession>")
            #expect(issue["localizedMessage"] as? String == "« astronaut » dans <profession> ne figure pas dans la liste des professions")
            #expect((issue["localizedHint"] as? String)?.hasPrefix("Valeurs admises pour les professions : ") == true, "\(issue)")
            #expect(issue["line"] as? Int == 5)
        }
    }

    @Test func theCommandLineShowsAccessRuleFindingsInTheAskedLanguage() throws {
        let markup = #"<access xmlns="\#(AccessRuleXML.namespace)"><date from="2026-12-31" until="2026-01-01"/></access>"#
        let reading = AccessRuleXML.readRule(childrenOf: try ManifestXMLReader().read(Data(markup.utf8)), file: "course.xml")
        let issue = try #require(reading.issues.first)

        let english = ImportCommand.describe(issue, input: "x.zip")
        let dutch = ImportCommand.describe(issue, input: "x.zip", language: .nl)
        let french = ImportCommand.describe(issue, input: "x.zip", language: .fr)

        #expect(english.hasSuffix("<date> opens on 2026-12-31 after it closes on 2026-01-01 ('from' must not be after 'until'; both days are included)"))
        #expect(dutch.hasSuffix("<date> opent op 2026-12-31, na het einde op 2026-01-01 (‘from’ mag niet na ‘until’ liggen; beide dagen tellen mee)"), "\(dutch)")
        #expect(french.contains("<date> s’ouvre le 2026-12-31, après sa fermeture le 2026-01-01"), "\(french)")
    }
}
