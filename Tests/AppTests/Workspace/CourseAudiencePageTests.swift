@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// "Who can take this course": owners, co-owners and admins see the rule in words, the counts per board, and
/// can check one named person; other trainers and learners get 403. The same figures come from the API.
@Suite struct CourseAudiencePageTests {
    static let limburgOnly = #"{"board-member":{"provinces":["limburg"]}}"#

    struct World {
        let course: WorkspaceFixture.Seeded
        let jan: User
        let lien: User
    }

    /// A Limburg-only course; Lien is a member of a Limburg board, Jan of a Ghent one and enrolled.
    static func setUp(_ app: Application) async throws -> World {
        var package = TestCourses.package(slug: "zorgraad-limburg", title: "Werken in een Limburgse zorgraad")
        package.access = [PackageAccessRule(scope: .visibility, whenDenied: .showLocked, ruleJSON: limburgOnly),
                          PackageAccessRule(scope: .module, moduleKey: "m2", whenDenied: .showLocked,
                                            ruleJSON: #"{"board-member":{"roles":["chair"]}}"#)]
        let outcome = try await TestCourses.publish(package, on: app.db)
        await app.catalogue.invalidate()
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == outcome.courseID).first())
        let course = WorkspaceFixture.Seeded(courseID: outcome.courseID, versionID: try version.requireID(), slug: outcome.slug)
        let limburg = CareBoard(code: "ZR-HASSELT", name: "Zorgraad Hasselt", zone: "Hasselt", province: .limburg)
        let gent = CareBoard(code: "ZR-GENT", name: "Zorgraad Gent", zone: "Gent", province: .oostVlaanderen)
        try await limburg.save(on: app.db)
        try await gent.save(on: app.db)
        await app.accessDirectory.invalidate()
        let jan = try await WorkspaceFixture.user(app, name: "Jan Peeters", email: "jan@vivel.test")
        let lien = try await WorkspaceFixture.user(app, name: "Lien Janssens", email: "lien@vivel.test")
        try await BoardMembership(userID: try jan.requireID(), boardID: try gent.requireID(), role: .member, cluster: .care).save(on: app.db)
        try await BoardMembership(userID: try lien.requireID(), boardID: try limburg.requireID(), role: .member, cluster: .welfare).save(on: app.db)
        try await WorkspaceFixture.enrol(app, jan, in: course)
        return World(course: course, jan: jan, lien: lien)
    }

    static func path(_ slug: String, _ query: String = "") -> String {
        SiteRoute.trainer(.audience(slug: slug)).path + query
    }

    @Test(arguments: TestDatabase.all)
    func onlyOwnersCoOwnersAndAdminsSeeWhoCanTakeACourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let (learner, _) = try await WorkspaceFixture.signIn(app, role: .learner, email: "learner@vivel.test")
            let (stranger, _) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "stranger@vivel.test")
            let (owner, ownerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "owner@vivel.test")
            let (coOwner, coOwnerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "co@vivel.test")
            let (admin, _) = try await WorkspaceFixture.signIn(app, role: .admin, email: "admin@vivel.test")
            try await WorkspaceFixture.own(app, world.course, by: ownerUser)
            try await WorkspaceFixture.own(app, world.course, by: coOwnerUser)
            let path = Self.path(world.course.slug)

            #expect(try await learner.get(path).status == .forbidden)
            #expect(try await stranger.get(path).status == .forbidden)
            #expect(try await owner.get(path).status == .ok)
            #expect(try await coOwner.get(path).status == .ok)
            #expect(try await admin.get(path).status == .ok)
            #expect(try await admin.get(Self.path("no-such-course")).status == .notFound)
            #expect(try await Browser(app).get(path).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func thePageSaysTheRuleCountsPerBoardAndWhyJanCannotSeeIt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let (owner, ownerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "owner@vivel.test")
            try await WorkspaceFixture.own(app, world.course, by: ownerUser)

            let page = try await owner.get(Self.path(world.course.slug)).body.string
            let search = try await owner.get(Self.path(world.course.slug, "?q=jan")).body.string
            let check = try await owner.get(Self.path(world.course.slug, "?q=jan%40vivel.test")).body.string
            let nobody = try await owner.get(Self.path(world.course.slug, "?q=xyz")).body.string

            #expect(page.contains("Zien in de catalogus"))
            #expect(page.contains("Limburg"))
            #expect(!page.contains("board-member"), "rules are shown in words, never as JSON")
            // Jan (Gent) and Lien (Limburg) are members; only Lien passes. Jan is enrolled and does not.
            #expect(page.contains("Zorgraadleden die kunnen inschrijven</span> <span class=\"ws-figure-value\">1 van 2"))
            #expect(page.contains("Zorgraden met minstens één lid dat kan inschrijven</span> <span class=\"ws-figure-value\">1 van 2"))
            #expect(page.contains("Ingeschreven deelnemers in uitvoering die nog voldoen</span> <span class=\"ws-figure-value\">0 van 1"))
            #expect(page.contains("Zorgraad Hasselt"))
            #expect(page.contains("Zorgraad Gent"))
            // "jan" matches Jan Peeters and Lien Janssens: choose.
            #expect(search.contains("Meerdere mensen gevonden"))
            #expect(search.contains("?user=\(try world.jan.requireID().uuidString.lowercased())"))
            #expect(check.contains("Jan Peeters kan deze opleiding niet zien."))
            #expect(check.contains("Jan Peeters kan niet inschrijven."))
            #expect(check.contains("Jan Peeters kan module ‘Module 2’ niet openen."))
            #expect(check.contains("Waarom niet"))
            #expect(nobody.contains("Niemand gevonden"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func lienCanSeeAndEnrolButNotOpenTheChairsModule(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let (admin, _) = try await WorkspaceFixture.signIn(app, role: .admin, email: "admin@vivel.test")

            let check = try await admin.get(Self.path(world.course.slug, "?user=\(try world.lien.requireID().uuidString)")).body.string

            #expect(check.contains("Lien Janssens kan deze opleiding zien."))
            #expect(check.contains("Lien Janssens kan inschrijven."))
            #expect(check.contains("Lien Janssens kan module ‘Module 2’ niet openen."))
        }
    }

    // MARK: The API

    static func get(_ app: Application, _ slug: String, token: String?) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        return try await app.testing().sendRequest(.GET, "/api/v1/courses/\(slug)/audience", headers: headers)
    }

    @Test(arguments: TestDatabase.all)
    func theAPIAnswersOwnersWithACoursesReadToken(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let world = try await Self.setUp(app)
            let owner = try await PackageAPITests.trainer(app, email: "owner@vivel.test", scopes: [UserAPIToken.coursesReadScope])
            let ownerUser = try #require(try await User.query(on: app.db).filter(\.$email == "owner@vivel.test").first())
            try await WorkspaceFixture.own(app, world.course, by: ownerUser)
            let packagesOnly = try await PackageAPITests.trainer(app, email: "packages@vivel.test")
            let stranger = try await PackageAPITests.trainer(app, email: "stranger@vivel.test", scopes: [UserAPIToken.coursesReadScope])

            let anonymous = try await Self.get(app, world.course.slug, token: nil)
            let wrongScope = try await Self.get(app, world.course.slug, token: packagesOnly)
            let notOwner = try await Self.get(app, world.course.slug, token: stranger)
            let missing = try await Self.get(app, "no-such-course", token: owner)
            let answer = try await Self.get(app, world.course.slug, token: owner)

            #expect(anonymous.status == .unauthorized)
            #expect(wrongScope.status == .forbidden)
            #expect(notOwner.status == .forbidden)
            #expect(missing.status == .notFound)
            #expect(answer.status == .ok)
            let document = try answer.content.decode(CourseAudienceController.AudienceDocument.self)
            #expect(document.see.members == .init(passing: 1, of: 2))
            #expect(document.see.boards == .init(passing: 1, of: 2))
            #expect(document.rules.map(\.scope) == ["visibility", "module"])
            #expect(document.rules.first?.rule == .boardMember(provinces: [.limburg]))
            #expect(document.rules.first?.text.contains("Limburg") == true)
        }
    }
}
