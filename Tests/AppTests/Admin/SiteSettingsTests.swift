@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Admins set the academy's name and contact in the browser; every page shows them at once, the change is
/// audited, bad values are explained per field, and a test mail shows whether mail leaves.
@Suite struct SiteSettingsTests {
    @Test func theFormExplainsEachBadFieldAndTrimsGoodOnes() throws {
        let bad = SiteProfile.Form(academyName: " V ", contactEmail: "academie.vivel.be", contactPhone: "bel ons", contactURL: "www.vivel.be")
        let good = SiteProfile.Form(academyName: "  VIVEL Academie ", contactEmail: " academie@vivel.be ", contactPhone: "+32 2 123 45 67",
                                    contactURL: "https://www.vivel.be/academie")
        let minimal = SiteProfile.Form(academyName: "VIVEL", contactEmail: "", contactPhone: " ", contactURL: "")

        guard case .failure(let problems) = bad.validated() else { Issue.record("accepted bad values"); return }
        #expect(problems.fields == ["academyName": "site.error.name.missing", "contactEmail": "site.error.email",
                                    "contactPhone": "site.error.phone", "contactURL": "site.error.url"])
        #expect(try good.validated().get() == SiteProfile(academyName: "VIVEL Academie", contactEmail: "academie@vivel.be",
                                                          contactPhone: "+32 2 123 45 67", contactURL: "https://www.vivel.be/academie"))
        #expect(try minimal.validated().get() == SiteProfile(academyName: "VIVEL"))
        #expect(SiteProfile.Form.looksLikePhone("02/123.45.67"))
        #expect(!SiteProfile.Form.looksLikePhone("12+34567"))
    }

    @Test(arguments: TestDatabase.all)
    func anAdminRenamesTheAcademyAndEveryPageShowsIt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (learner, _) = try await UserAdminTests.person(app, role: .learner, email: "leerling@example.be")
            let (trainer, _) = try await UserAdminTests.person(app, role: .trainer, email: "lesgever@example.be")
            let (admin, adminUser) = try await UserAdminTests.person(app, role: .admin, email: "beheer@example.be")
            let visitor = Browser(app)
            let before = try await visitor.get("/").body.string
            let path = AdminRoute.settings.path

            let refused = try await admin.post(path, form: ["academyName": "VIVEL Academie", "contactEmail": "academie(at)vivel.be"])
            let saved = try await admin.post(path, form: ["academyName": "VIVEL Academie", "contactEmail": "academie@vivel.be",
                                                          "contactPhone": "+32 2 123 45 67", "contactURL": ""])
            let after = try await visitor.get("/").body.string
            let settingsPage = try await admin.get(path).body.string

            #expect(try await learner.get(path).status == .forbidden)
            #expect(try await trainer.get(path).status == .forbidden)
            #expect(try await trainer.post(path, form: ["academyName": "Overname"]).status == .forbidden)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Dit is geen e-mailadres"))
            #expect(refused.body.string.contains(#"value="VIVEL Academie""#), "what was typed stays in the form")
            #expect(saved.status == .seeOther)
            #expect(!before.contains("VIVEL Academie"))
            #expect(after.contains("VIVEL Academie"), "the cached catalogue page is not served with the old name")
            #expect(after.contains(#"href="mailto:academie@vivel.be""#) && after.contains(#"href="tel:+3221234567""#))
            #expect(settingsPage.contains("De instellingen zijn opgeslagen."))
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == SiteSettingsController.action).first())
            #expect(event.$actor.id == adminUser.id)
            #expect(event.afterJSON?.contains("VIVEL Academie") == true)
            #expect(try await SiteProfileRow.query(on: app.db).count() == 1)

            let again = try await admin.post(path, form: ["academyName": "VIVEL Academie", "contactEmail": "academie@vivel.be",
                                                          "contactPhone": "+32 2 123 45 67"])
            #expect(again.status == .seeOther)
            #expect(try await SiteProfileRow.query(on: app.db).count() == 1, "one profile, replaced")
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == SiteSettingsController.action).count() == 1,
                    "saving the same values again changes nothing to audit")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTestMailIsQueuedForTheAdmin(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (admin, _) = try await UserAdminTests.person(app, role: .admin, email: "beheer@example.be")

            let page = try await admin.get(AdminRoute.settings.path).body.string
            let sent = try await admin.post(AdminRoute.settingsTestMail.path, form: [:])

            #expect(page.contains("Er is geen mailserver ingesteld"), "the test app has no SMTP server")
            #expect(sent.status == .seeOther)
            let mail = try #require(try await OutboxMail.query(on: app.db).filter(\.$recipient == "beheer@example.be")
                .filter(\.$subject ~~ "Testbericht").first())
            #expect(mail.body.contains("vertrekken de e-mails"))
        }
    }
}
