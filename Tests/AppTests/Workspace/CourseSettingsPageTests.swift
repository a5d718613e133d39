@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The course settings area through the app: who reaches it, and that what trainers save there reaches
/// learners at once (catalogue, course page, enrolment, player, "my learning"), audited.
@Suite struct CourseSettingsPageTests {
    struct World {
        let course: WorkspaceFixture.Seeded
        let owner: Browser
        let ownerUser: User
    }

    static func setUp(_ app: Application) async throws -> World {
        let course = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg thuis")
        await app.catalogue.invalidate()
        let (owner, ownerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "owner@vivel.test")
        try await WorkspaceFixture.own(app, course, by: ownerUser)
        return World(course: course, owner: owner, ownerUser: ownerUser)
    }

    static func paths(_ slug: String) -> [String] {
        [SiteRoute.trainer(.settings(slug: slug)).path,
         SiteRoute.trainer(.settingsEnrolment(slug: slug)).path,
         SiteRoute.trainer(.settingsAccess(slug: slug)).path,
         SiteRoute.trainer(.settingsAccessRule(slug: slug, target: "visibility")).path,
         SiteRoute.trainer(.settingsAccessRule(slug: slug, target: "enrolment")).path,
         SiteRoute.trainer(.settingsAccessRule(slug: slug, target: "module:m1")).path,
         SiteRoute.trainer(.settingsOwners(slug: slug)).path]
    }

    static func metadataForm(title: String, duration: String = "45") -> [String: String] {
        ["title.nl": title, "title.en": "Wound care at home", "title.fr": "", "summary.nl": "", "summary.fr": "", "summary.en": "",
         "description.nl": "Over wondzorg.", "description.fr": "", "description.en": "", "duration": duration]
    }

    static func version(_ app: Application, _ course: WorkspaceFixture.Seeded) async throws -> CourseVersion {
        try #require(try await CourseVersion.find(course.versionID, on: app.db))
    }

    static func events(_ app: Application, _ action: String) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: app.db).filter(\.$action == action).sort(\.$createdAt).all()
    }

    @Test(arguments: TestDatabase.all)
    func onlyOwnersCoOwnersAndAdminsReachTheSettings(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let (coOwner, coOwnerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "co@vivel.test")
            try await WorkspaceFixture.own(app, world.course, by: coOwnerUser)
            let (stranger, _) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "stranger@vivel.test")
            let (learner, _) = try await WorkspaceFixture.signIn(app, role: .learner, email: "learner@vivel.test")
            let (admin, _) = try await WorkspaceFixture.signIn(app, role: .admin, email: "admin@vivel.test")

            for path in Self.paths(world.course.slug) {
                #expect(try await learner.get(path).status == .forbidden, "learner: \(path)")
                #expect(try await stranger.get(path).status == .forbidden, "stranger: \(path)")
                #expect(try await coOwner.get(path).status == .ok, "co-owner: \(path)")
                #expect(try await admin.get(path).status == .ok, "admin: \(path)")
            }
            let settings = SiteRoute.trainer(.settings(slug: world.course.slug)).path
            #expect(try await learner.post(settings, form: Self.metadataForm(title: "Van een deelnemer")).status == .forbidden)
            #expect(try await stranger.post(settings, form: Self.metadataForm(title: "Van een vreemde")).status == .forbidden)
            #expect(try await stranger.post(SiteRoute.trainer(.settingsStatus(slug: world.course.slug)).path, form: ["archive": "1"]).status == .forbidden)
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
            #expect(try await coOwner.post(settings, form: Self.metadataForm(title: "Van de mede-eigenaar")).status == .seeOther)
            #expect(try await Self.version(app, world.course).title["nl"] == "Van de mede-eigenaar")
            #expect(try await world.owner.get(SiteRoute.trainer(.settingsAccessRule(slug: world.course.slug, target: "module:nope")).path).status == .notFound)
            #expect(try await world.owner.get("/trainer/courses/no-such-course/settings").status == .notFound)
            let list = try await world.owner.get(SiteRoute.trainer(.courses).path)
            #expect(list.body.string.contains(SiteRoute.trainer(.settings(slug: world.course.slug)).path), "linked from my courses")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSavedTitleShowsInTheCatalogueAtOnceAndIsAudited(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let (learner, _) = try await WorkspaceFixture.signIn(app, role: .learner, email: "learner@vivel.test")
            let visitor = Browser(app)
            #expect(try await visitor.get("/").body.string.contains("Wondzorg thuis"), "the cached page holds the old title")
            #expect(try await learner.get("/").body.string.contains("Wondzorg thuis"))

            let saved = try await world.owner.post(SiteRoute.trainer(.settings(slug: world.course.slug)).path,
                                                   form: Self.metadataForm(title: "Wondzorg aan huis"))

            #expect(saved.status == .seeOther)
            for browser in [visitor, learner] {
                let page = try await browser.get("/").body.string
                #expect(page.contains("Wondzorg aan huis"))
                #expect(!page.contains("Wondzorg thuis"))
            }
            #expect(try await learner.get(SiteRoute.course(slug: world.course.slug).path).body.string.contains("Wondzorg aan huis"))
            let version = try await Self.version(app, world.course)
            #expect(version.durationMinutes == 45)
            #expect(version.number == 1, "edited in place, no new version")
            #expect(try await CourseVersion.query(on: app.db).count() == 1)
            let event = try #require(try await Self.events(app, "course.metadata-edited").first)
            #expect(event.subjectID == world.course.courseID.uuidString)
            #expect(event.beforeJSON?.contains("Wondzorg thuis") == true)
            #expect(event.afterJSON?.contains("Wondzorg aan huis") == true)
            #expect(event.afterJSON?.contains(#""fields":["title","description"]"#) == true, "\(event.afterJSON ?? "")")
            let page = try await world.owner.get(SiteRoute.trainer(.settings(slug: world.course.slug)).path).body.string
            #expect(page.contains("Opgeslagen: Titel"))

            let again = try await world.owner.post(SiteRoute.trainer(.settings(slug: world.course.slug)).path,
                                                   form: Self.metadataForm(title: "Wondzorg aan huis"))
            #expect(again.status == .seeOther)
            #expect(try await Self.events(app, "course.metadata-edited").count == 1, "saving the same values writes nothing")
        }
    }

    @Test(arguments: TestDatabase.all)
    func invalidMetadataIsRefusedWithAMessageOnTheField(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            var form = Self.metadataForm(title: "", duration: "anderhalf uur")
            form["accreditation.1.body"] = "riziv-inami"
            form["accreditation.1.points"] = "veel"

            let response = try await world.owner.post(SiteRoute.trainer(.settings(slug: world.course.slug)).path, form: form)

            #expect(response.status == .unprocessableEntity)
            let page = response.body.string
            #expect(page.contains("Geef een titel in de taal van de opleiding"))
            #expect(page.contains("Schrijf de duur als een geheel aantal minuten"))
            #expect(page.contains("Geef het activiteitsnummer"))
            #expect(page.contains("is geen geldig aantal punten"))
            #expect(page.contains(#"aria-invalid="true" aria-describedby="duration-hint duration-error""#) || page.contains(#"id="duration-error""#))
            #expect(page.contains("value=\"anderhalf uur\""), "what was typed is kept")
            #expect(try await Self.version(app, world.course).title["nl"] == "Wondzorg thuis")
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func enrolmentSettingsAreSavedCheckedAndAudited(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let board = CareBoard(code: "ZR-GENT", name: "Zorgraad Gent", zone: "Gent", province: .oostVlaanderen)
            try await board.save(on: app.db)
            await app.accessDirectory.invalidate()
            let path = SiteRoute.trainer(.settingsEnrolment(slug: world.course.slug)).path

            let refused = try await world.owner.post(path, form: ["capacity": "2", "reserved.1.board": "ZR-GENT", "reserved.1.seats": "5"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Er zijn 5 plaatsen voorbehouden maar maar 2 plaatsen in totaal"))
            #expect(try await EnrolmentSettings.find(world.course.courseID, on: app.db) == nil)

            let saved = try await world.owner.post(path, form: ["key": "zomer", "opens-on": "2027-03-01", "closes-on": "2027-03-31",
                                                               "capacity": "20", "waiting-list": "on",
                                                               "reserved.1.board": "ZR-GENT", "reserved.1.seats": "5"])
            #expect(saved.status == .seeOther)
            let settings = try #require(try await EnrolmentSettings.find(world.course.courseID, on: app.db))
            #expect(settings.rules == EnrolmentRules(key: "zomer", opensOn: CalendarDay(iso: "2027-03-01"), closesOn: CalendarDay(iso: "2027-03-31"),
                                                     capacity: 20, reservedSeats: ["ZR-GENT": 5], waitingList: true))
            let event = try #require(try await Self.events(app, "course.enrolment-settings-edited").first)
            #expect(event.beforeJSON == nil)
            #expect(event.afterJSON?.contains(#""capacity":20"#) == true)
            let page = try await world.owner.get(path).body.string
            #expect(page.contains("value=\"zomer\""))
            #expect(page.contains("De inschrijvingsinstellingen zijn opgeslagen."))

            let cleared = try await world.owner.post(path, form: ["key": "", "capacity": ""])
            #expect(cleared.status == .seeOther)
            #expect(try await EnrolmentSettings.find(world.course.courseID, on: app.db)?.rules == .open)
            #expect(try await Self.events(app, "course.enrolment-settings-edited").count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func archivingClosesTheCourseButEnrolledLearnersKeepTheirPlace(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let (enrolled, enrolledUser) = try await WorkspaceFixture.signIn(app, role: .learner, email: "lea@vivel.test")
            try await WorkspaceFixture.enrol(app, enrolledUser, in: world.course)
            let (newcomer, _) = try await WorkspaceFixture.signIn(app, role: .learner, email: "nina@vivel.test")
            let status = SiteRoute.trainer(.settingsStatus(slug: world.course.slug)).path
            #expect(try await newcomer.get("/").body.string.contains("Wondzorg thuis"))

            #expect(try await world.owner.post(status, form: ["archive": "1"]).status == .seeOther)

            #expect(try await Course.find(world.course.courseID, on: app.db)?.status == .archived)
            #expect(!(try await newcomer.get("/").body.string.contains("Wondzorg thuis")), "gone from the catalogue")
            #expect(!(try await Browser(app).get("/").body.string.contains("Wondzorg thuis")))
            #expect(try await newcomer.get(SiteRoute.course(slug: world.course.slug).path).status == .notFound)
            #expect(try await newcomer.post(SiteRoute.enrol(slug: world.course.slug).path, form: [:]).status == .notFound)
            #expect(try await Enrolment.query(on: app.db).count() == 1, "no new enrolment")
            let learning = try await enrolled.get(SiteRoute.myLearning.path).body.string
            #expect(learning.contains("Wondzorg thuis"))
            #expect(learning.contains("Gearchiveerd: je voortgang en attesten blijven bewaard"))
            #expect(learning.contains(SiteRoute.player(slug: world.course.slug).path))
            let player = try await enrolled.get(SiteRoute.player(slug: world.course.slug).path)
            #expect(player.status == .ok || player.status == .seeOther, "the content stays open to them: \(player.status)")
            #expect(try await enrolled.get(SiteRoute.player(slug: world.course.slug, module: "m1").path).status == .ok)
            #expect(try await world.owner.get(SiteRoute.trainer(.settingsOwners(slug: world.course.slug)).path).body.string
                .contains("Deze opleiding is gearchiveerd"))

            #expect(try await world.owner.post(status, form: ["archive": "0"]).status == .seeOther)

            #expect(try await Course.find(world.course.courseID, on: app.db)?.status == .published)
            #expect(try await newcomer.get("/").body.string.contains("Wondzorg thuis"))
            #expect(try await Self.events(app, "course.archived").count == 1)
            #expect(try await Self.events(app, "course.unarchived").first?.afterJSON == #"{"status":"published"}"#)
        }
    }

    @Test(arguments: TestDatabase.all)
    func ownersAddCoOwnersByEmailButNeverRemoveTheLast(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let colleague = try await WorkspaceFixture.user(app, name: "Tom Trainer", email: "tom@vivel.test", role: .trainer)
            _ = try await WorkspaceFixture.user(app, name: "Lea Learner", email: "lea@vivel.test")
            let owners = SiteRoute.trainer(.settingsOwners(slug: world.course.slug)).path
            let remove = SiteRoute.trainer(.settingsOwnerRemove(slug: world.course.slug)).path

            let learner = try await world.owner.post(owners, form: ["email": "lea@vivel.test"])
            #expect(learner.status == .unprocessableEntity)
            #expect(learner.body.string.contains("is een deelnemer"))
            let unknown = try await world.owner.post(owners, form: ["email": "nobody@vivel.test"])
            #expect(unknown.body.string.contains("Niemand heeft een actief account"))
            let last = try await world.owner.post(remove, form: ["user": try world.ownerUser.requireID().uuidString])
            #expect(last.status == .conflict)
            #expect(last.body.string.contains("Dit is de laatste eigenaar"))

            #expect(try await world.owner.post(owners, form: ["email": " TOM@vivel.test "]).status == .seeOther)
            #expect(try await CourseOwnership(database: app.db).canManage(courseID: world.course.courseID, user: colleague))
            #expect(try await world.owner.get(owners).body.string.contains("tom@vivel.test"))

            #expect(try await world.owner.post(remove, form: ["user": try world.ownerUser.requireID().uuidString]).status == .seeOther)
            #expect(!(try await CourseOwnership(database: app.db).canManage(courseID: world.course.courseID, user: world.ownerUser)))
            #expect(try await world.owner.get(owners).status == .forbidden, "a former owner no longer reaches the settings")
            #expect(try await Self.events(app, "course.owner-added").count == 1)
            let removed = try #require(try await Self.events(app, "course.owner-removed").first)
            #expect(removed.beforeJSON?.contains("owner@vivel.test") == true)
            #expect(removed.afterJSON == nil)
        }
    }
}
