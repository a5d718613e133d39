@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The admin pages of partners and API tokens, on both databases: who may, forms that keep what was typed,
/// a token shown once that then works and can be revoked, and the export log.
@Suite struct PartnerAdminPageTests {
    static func body(_ response: TestingHTTPResponse) -> String {
        String(decoding: response.body.readableBytesView, as: UTF8.self)
    }

    @Test(arguments: TestDatabase.all)
    func onlyAdminsReachThePartnerPages(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let learner = try await TrainerUploadTests.signIn(app, role: .learner, email: "an@praktijk.be")
            let trainer = try await TrainerUploadTests.signIn(app, role: .trainer, email: "tess@vivel.test")
            let partner = Partner(name: "Meduca", contact: nil, bodies: ["apb"], courseIDs: [])
            try await partner.create(on: app.db)
            let partnerPath = PartnerAdminRoute.partner(id: try partner.requireID()).path

            let list = try await learner.get(PartnerAdminRoute.partners.path)
            let detail = try await trainer.get(partnerPath)
            let add = try await trainer.post(PartnerAdminRoute.newPartner.path, form: ["name": "Sneaky", "bodies": "apb"])
            let token = try await learner.post(PartnerAdminRoute.createToken(partner: try partner.requireID()).path, form: [:])
            let anonymous = try await Browser(app).get(PartnerAdminRoute.partners.path)

            #expect(list.status == .forbidden && detail.status == .forbidden && add.status == .forbidden && token.status == .forbidden)
            #expect(Self.body(list).contains("<html"), "a page, not a bare error")
            #expect(anonymous.status == .seeOther && anonymous.headers.first(name: .location)?.hasPrefix("/login") == true)
            let partners = try await Partner.query(on: app.db).count()
            let tokens = try await APIToken.query(on: app.db).count()
            #expect(partners == 1 && tokens == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAdminAddsAPartnerAndMistakesAreShownOnTheFormWithTheFieldsKept(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await TestCourses.publish(TestCourses.package(slug: "wondzorg", title: "Wondzorg"), on: app.db)
            let admin = try await TrainerUploadTests.signIn(app, role: .admin, email: "ada@vivel.test")

            let form = try await admin.get(PartnerAdminRoute.newPartner.path)
            let wrong = try await admin.post(PartnerAdminRoute.newPartner.path,
                                             form: ["name": "", "contact": "nobody", "bodies": "apb, RIZIV!", "courses": "wondzorg, bestaat-niet"])
            let added = try await admin.post(PartnerAdminRoute.newPartner.path,
                                             form: ["name": "medi-Campus", "contact": "data@medi-campus.be", "bodies": "riziv-inami", "courses": "wondzorg"])
            let location = try #require(added.headers.first(name: .location))
            let page = try await admin.get(location)
            let list = try await admin.get(PartnerAdminRoute.partners.path)
            let twice = try await admin.post(PartnerAdminRoute.newPartner.path, form: ["name": "medi-Campus", "bodies": "apb"])

            #expect(form.status == .ok && Self.body(form).contains("name=\"_csrf\""))
            #expect(wrong.status == .unprocessableEntity)
            let wrongPage = Self.body(wrong)
            #expect(wrongPage.contains("value=\"nobody\"") && wrongPage.contains("value=\"apb, RIZIV!\"")
                    && wrongPage.contains("value=\"wondzorg, bestaat-niet\""))
            #expect(wrongPage.contains("id=\"name-error\"") && wrongPage.contains("id=\"contact-error\"")
                    && wrongPage.contains("id=\"bodies-error\"") && wrongPage.contains("id=\"courses-error\""))
            #expect(wrongPage.contains("bestaat-niet") && wrongPage.contains("RIZIV!"))
            #expect(added.status == .seeOther && Self.body(page).contains("medi-Campus") && Self.body(page).contains("wondzorg"))
            #expect(Self.body(list).contains("medi-Campus") && Self.body(list).contains("data@medi-campus.be"))
            #expect(twice.status == .unprocessableEntity && Self.body(twice).contains("id=\"name-error\""))
            let partners = try await Partner.query(on: app.db).all()
            #expect(partners.map(\.name) == ["medi-Campus"] && partners.first?.courseIDs.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTokenIsShownOnceWorksIsLoggedAndCanBeRevoked(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let admin = try await TrainerUploadTests.signIn(app, role: .admin, email: "ada@vivel.test")
            let partner = try await PartnerDesk(database: app.db).addPartner(.init(name: "IPSA", bodies: "riziv-inami"))
            let partnerID = try partner.requireID()
            let partnerPath = PartnerAdminRoute.partner(id: partnerID).path

            let refused = try await admin.post(PartnerAdminRoute.createToken(partner: partnerID).path,
                                               form: ["label": "nachtelijk", "expiresDays": "-3"])
            let created = try await admin.post(PartnerAdminRoute.createToken(partner: partnerID).path,
                                               form: ["label": "nachtelijk", "expiresDays": "30"])
            let createdPage = Self.body(created)
            let secret = try #require(createdPage.firstMatch(of: /vivel_[A-Za-z0-9_-]{43}/).map { String($0.output) })
            let api = try await AccreditationRecordAPITests.get(app, "/api/v1/accreditation-records", token: secret)
            var log = ""
            for _ in 0..<50 where !log.contains("api") {
                log = Self.body(try await admin.get(partnerPath))
                if !log.contains("api") { try await Task.sleep(nanoseconds: 20_000_000) }
            }
            let token = try #require(try await APIToken.query(on: app.db).first())
            let revoke = try await admin.post(PartnerAdminRoute.revokeToken(partner: partnerID, token: try token.requireID()).path, form: [:])
            let afterRevoke = try await AccreditationRecordAPITests.get(app, "/api/v1/accreditation-records", token: secret)
            let list = Self.body(try await admin.get(PartnerAdminRoute.partners.path))

            #expect(refused.status == .unprocessableEntity && Self.body(refused).contains("value=\"-3\"")
                    && Self.body(refused).contains("id=\"expiresDays-error\""))
            #expect(created.status == .created && created.headers.first(name: .cacheControl) == "no-store")
            #expect(token.label == "nachtelijk" && token.expiresAt.map { abs($0.timeIntervalSinceNow - 30 * 86_400) < 120 } == true)
            #expect(api.status == .ok)
            #expect(!log.contains(secret) && log.contains(token.prefix) && log.contains("records:read"))
            #expect(log.contains("<td>api") && log.contains("<td>json</td>"), "the export log names the channel and format")
            #expect(revoke.status == .seeOther && afterRevoke.status == .unauthorized)
            #expect(list.contains(token.prefix) && !list.contains(secret))
        }
    }

    /// Links built from the route enums reach handlers the app registered.
    @Test func everyPartnerAndCredentialLinkReachesARegisteredRoute() async throws {
        try await withAcademy(.sqlite) { app in
            let registered = app.routes.all.map(\.path)
            let id = UUID()
            let links = [PartnerAdminRoute.partners, .newPartner, .partner(id: id), .createToken(partner: id),
                         .revokeToken(partner: id, token: id)].map(\.path)
                + [CredentialRoute.jwks, .key(thumbprint: "abc"), .issuer, .statusList, .badge(record: id), .sharing,
                   .transcript(year: 2026), .badges].map(\.path)
            for link in links {
                let parts = (link.split(separator: "?").first.map(String.init) ?? link).split(separator: "/").map(String.init)
                let matches = registered.contains { pattern in
                    pattern.count == parts.count && zip(pattern, parts).allSatisfy { component, part in
                        if case .parameter = component { return true }
                        return component.description == part
                    }
                }
                #expect(matches, "\(link) has no route")
            }
        }
    }
}
