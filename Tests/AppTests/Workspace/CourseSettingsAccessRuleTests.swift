@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The access-rule editor through the app: a rule built in the form is checked, its effect shown and
/// confirmed, then saved in the manifest's form and enforced at once in the catalogue and the player.
@Suite struct CourseSettingsAccessRuleTests {
    struct World {
        let course: WorkspaceFixture.Seeded
        let owner: Browser
        let member: Browser
        let outsider: Browser
    }

    static func setUp(_ app: Application) async throws -> World {
        let course = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg thuis")
        await app.catalogue.invalidate()
        let (owner, ownerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "owner@vivel.test")
        try await WorkspaceFixture.own(app, course, by: ownerUser)
        let board = CareBoard(code: "ZR-HASSELT", name: "Zorgraad Hasselt", zone: "Hasselt", province: .limburg)
        try await board.save(on: app.db)
        await app.accessDirectory.invalidate()
        let (member, memberUser) = try await WorkspaceFixture.signIn(app, role: .learner, email: "lien@vivel.test")
        try await BoardMembership(userID: try memberUser.requireID(), boardID: try board.requireID(), role: .member, cluster: .care).save(on: app.db)
        try await WorkspaceFixture.enrol(app, memberUser, in: course)
        let (outsider, outsiderUser) = try await WorkspaceFixture.signIn(app, role: .learner, email: "jan@vivel.test")
        try await WorkspaceFixture.enrol(app, outsiderUser, in: course)
        return World(course: course, owner: owner, member: member, outsider: outsider)
    }

    static func rulePath(_ slug: String, _ target: String) -> String {
        SiteRoute.trainer(.settingsAccessRule(slug: slug, target: target)).path
    }

    @Test(arguments: TestDatabase.all)
    func aRuleBuiltInTheFormIsConfirmedSavedAndEnforcedAtOnce(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let path = Self.rulePath(world.course.slug, "visibility")
            let slug = world.course.slug
            #expect(try await world.outsider.get("/").body.string.contains("Wondzorg thuis"))

            // Step 1: add a condition to the empty root group; the page comes back with it.
            let added = try await world.owner.post(path, form: ["1.kind": "all-of", "1.add": "board-member", "action": "add:1", "when-denied": "hide"])
            #expect(added.status == .ok)
            #expect(added.body.string.contains("Onderdeel 1.1: Lid van een zorgraad"))
            #expect(added.body.string.contains(#"name="1.1.provinces" value="limburg""#))

            // Step 2: choose Limburg and save: the effect is shown and must be confirmed.
            let form = ["1.kind": "all-of", "1.1.kind": "board-member", "1.1.provinces": "limburg", "when-denied": "hide"]
            let asked = try await world.owner.post(path, form: form.merging(["action": "save"]) { $1 })
            #expect(asked.status == .ok)
            let page = asked.body.string
            #expect(page.contains("Enkel voor"), "the plain-language reason")
            #expect(page.contains("Limburg"))
            #expect(page.contains("Effect van de wijziging"))
            #expect(page.contains("Ja, opslaan met dit effect"))
            #expect(page.contains("Krijgen toegang: 0. Verliezen toegang: 2, onder wie 1 deelnemers die nu bezig zijn."), "Jan and the trainer lose it")
            #expect(try await CourseVersion.find(world.course.versionID, on: app.db)?.packageAccessRules == [])

            let policy = AccessPolicy(rule: .boardMember(provinces: [.limburg]), whenDenied: .hide)
            let saved = try await world.owner.post(path, form: form.merging(["action": "save", "confirm": AccessRuleFormController.fingerprint(policy)]) { $1 })
            #expect(saved.status == .seeOther)

            let rules = try #require(try await CourseVersion.find(world.course.versionID, on: app.db)).packageAccessRules
            #expect(rules == [PackageAccessRule(scope: .visibility, whenDenied: .hide, ruleJSON: #"{"board-member":{"provinces":["limburg"]}}"#)])
            #expect(!(try await world.outsider.get("/").body.string.contains("Wondzorg thuis")), "hidden from Jan at once")
            #expect(try await world.outsider.get(SiteRoute.course(slug: slug).path).status == .notFound)
            #expect(try await world.member.get("/").body.string.contains("Wondzorg thuis"))
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "course.access-rule-edited").first())
            #expect(event.beforeJSON == #"{"rules":[],"target":"visibility","version":1}"#)
            #expect(event.afterJSON?.contains("limburg") == true)
            let overview = try await world.owner.get(SiteRoute.trainer(.settingsAccess(slug: slug)).path).body.string
            #expect(overview.contains("verborgen voor anderen"))
            #expect(overview.contains("Limburg"))

            // Removing the rule opens the course again (after confirming its effect).
            let cleared = try await world.owner.post(path, form: ["1.kind": "all-of", "when-denied": "hide", "action": "save",
                                                                  "confirm": AccessRuleFormController.fingerprint(nil)])
            #expect(cleared.status == .seeOther)
            #expect(try await world.outsider.get("/").body.string.contains("Wondzorg thuis"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aModuleRuleHidesTheModuleFromThoseWhoFailIt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let path = Self.rulePath(world.course.slug, "module:m2")
            let module = SiteRoute.player(slug: world.course.slug, module: "m2").path
            #expect(try await world.outsider.get(module).status == .ok)
            let form = ["1.kind": "all-of", "1.1.kind": "board-member", "when-denied": "hide", "action": "save"]
            let policy = AccessPolicy(rule: .boardMember(), whenDenied: .hide)

            let saved = try await world.owner.post(path, form: form.merging(["confirm": AccessRuleFormController.fingerprint(policy)]) { $1 })

            #expect(saved.status == .seeOther)
            #expect(try await world.outsider.get(module).status == .notFound, "hidden modules do not exist for Jan")
            #expect(try await world.member.get(module).status == .ok)
            let rules = try #require(try await CourseVersion.find(world.course.versionID, on: app.db)).packageAccessRules
            #expect(rules == [PackageAccessRule(scope: .module, moduleKey: "m2", whenDenied: .hide, ruleJSON: #"{"board-member":{}}"#)])
        }
    }

    @Test(arguments: TestDatabase.all)
    func anInvalidRuleIsRefusedNamingTheNode(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let response = try await world.owner.post(Self.rulePath(world.course.slug, "enrolment"),
                                                      form: ["1.kind": "any-of", "1.1.kind": "in-group", "1.1.groups": "secret-club",
                                                             "1.2.kind": "all-of", "when-denied": "show-locked", "action": "save"])
            #expect(response.status == .unprocessableEntity)
            let page = response.body.string
            #expect(page.contains("Onderdeel 1.1 (Hoort bij een groep): ‘secret-club’ bij ‘Groepen’ is onbekend op het platform"))
            #expect(page.contains("Onderdeel 1.2 (Alle voorwaarden (en)): deze groep is leeg"))
            #expect(page.contains(#"name="1.1.groups" value="secret-club" checked"#), "the unknown key stays visible to untick")
            #expect(try await CourseVersion.find(world.course.versionID, on: app.db)?.packageAccessRules == [])
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func publishingANewerPackageWarnsWhichBrowserEditsItReplaces(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            var form = CourseSettingsPageTests.metadataForm(title: "Wondzorg aan huis", duration: "")
            form["title.en"] = "Wondzorg thuis (EN)"
            form["description.nl"] = "Eerste alinea over Wondzorg thuis.\n\nTweede alinea."
            #expect(try await world.owner.post(SiteRoute.trainer(.settings(slug: world.course.slug)).path, form: form).status == .seeOther)
            let policy = AccessPolicy(rule: .boardMember(), whenDenied: .showLocked)
            #expect(try await world.owner.post(Self.rulePath(world.course.slug, "enrolment"),
                                               form: ["1.kind": "all-of", "1.1.kind": "board-member", "when-denied": "show-locked",
                                                      "action": "save", "confirm": AccessRuleFormController.fingerprint(policy)]).status == .seeOther)
            let draft = TestCourses.package(slug: "wondzorg", title: "Wondzorg thuis")
            try await CourseVersionWriter(database: app.db).write(draft, contentHash: "v2", publish: false)

            let preview = try await world.owner.get(SiteRoute.trainer(.versionsPreview(slug: world.course.slug, number: 2)).path).body.string

            #expect(preview.contains("Let op: deze versie vervangt wijzigingen die in de browser gemaakt werden"))
            #expect(preview.contains("<li>Titel</li>"))
            #expect(preview.contains("toegangsregel: Wie mag inschrijven"))
            #expect(!preview.contains("<li>Beschrijving</li>"), "fields not edited in the browser are not listed")
            let current = try await world.owner.get(SiteRoute.trainer(.versionsPreview(slug: world.course.slug, number: 1)).path).body.string
            #expect(!current.contains("Let op: deze versie vervangt"))
        }
    }
}
