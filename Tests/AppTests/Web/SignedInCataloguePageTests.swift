@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Signed-in people with the same access facts share a rendered catalogue page, each with his own
/// CSRF token in it, and never see a page rendered for facts they do not have.
@Suite struct SignedInCataloguePageTests {
    static let hidden = #"{"board-member":{"provinces":["limburg"]}}"#

    static func publishHidden(_ app: Application) async throws {
        var package = TestCourses.package(slug: "enkel-limburg", title: "Enkel voor Limburg")
        package.access = [PackageAccessRule(scope: .visibility, whenDenied: .hide, ruleJSON: Self.hidden)]
        try await TestCourses.publish(package, on: app.db)
        try await TestCourses.publish(TestCourses.package(slug: "voor-iedereen", title: "Voor iedereen"), on: app.db)
        await app.catalogue.invalidate()
    }

    static func formToken(_ html: String) -> String? {
        guard let start = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    @Test(arguments: TestDatabase.all)
    func eachPersonGetsHisOwnTokenInASharedPage(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publishHidden(app)
            let an = Browser(app), bert = Browser(app)
            _ = try await BoardAccessPageTests.signUp(an, email: "an@example.be")
            _ = try await BoardAccessPageTests.signUp(bert, email: "bert@example.be")

            let first = try await an.get("/").body.string
            let second = try await bert.get("/").body.string
            let signOut = try await bert.post("/logout", form: [:])

            #expect(Self.formToken(first) == an.csrf)
            #expect(Self.formToken(second) == bert.csrf)
            #expect(an.csrf != bert.csrf)
            #expect(first.replacingOccurrences(of: an.csrf, with: "") == second.replacingOccurrences(of: bert.csrf, with: ""),
                    "the same facts give the same page")
            #expect(signOut.status == .seeOther, "the token in the shared page signs its reader out")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPageRenderedForAMemberIsNeverServedToANonMember(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            try await Self.publishHidden(app)
            let member = Browser(app), other = Browser(app)
            let memberID = try await BoardAccessPageTests.signUp(member, email: "lid@zorgraad.be")
            _ = try await BoardAccessPageTests.signUp(other, email: "ander@example.be")
            try await BoardMembership(userID: memberID, boardID: boards.herkenrode, role: .member, cluster: .care)
                .save(on: app.db)

            let memberPage = try await member.get("/").body.string
            let otherPage = try await other.get("/").body.string
            let memberAgain = try await member.get("/").body.string
            try await BoardMembership.query(on: app.db).filter(\.$user.$id == memberID).delete()
            let formerMemberPage = try await member.get("/").body.string

            #expect(memberPage.contains("Enkel voor Limburg"))
            #expect(!otherPage.contains("Enkel voor Limburg"))
            #expect(otherPage.contains("Voor iedereen"))
            #expect(memberAgain.contains("Enkel voor Limburg"))
            #expect(!formerMemberPage.contains("Enkel voor Limburg"), "an ended membership hides the course at once")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNoticeIsShownOnceAndNotKeptInTheSharedPage(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publishHidden(app)
            let an = Browser(app), bert = Browser(app)
            _ = try await BoardAccessPageTests.signUp(an, email: "an@example.be")
            _ = try await BoardAccessPageTests.signUp(bert, email: "bert@example.be")
            _ = try await an.get("/")
            _ = try await bert.get("/")
            _ = try await an.post("/courses/voor-iedereen/enrol", form: [:])

            let withNotice = try await an.get("/").body.string
            let afterwards = try await an.get("/").body.string
            let forBert = try await bert.get("/").body.string

            #expect(withNotice.contains("class=\"notice\""))
            #expect(!afterwards.contains("class=\"notice\""))
            #expect(!forBert.contains("class=\"notice\""))
        }
    }
}

/// The session is written back only when a request changed it.
@Suite struct DatabaseSessionDriverTests {
    final class CountingDriver: SessionDriver, @unchecked Sendable {
        var updates = 0
        func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
            request.eventLoop.makeSucceededFuture(SessionID(string: "new"))
        }
        func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
            request.eventLoop.makeSucceededFuture(SessionData(initialData: ["user": "an"]))
        }
        func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
            updates += 1
            return request.eventLoop.makeSucceededFuture(sessionID)
        }
        func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
            request.eventLoop.makeSucceededVoidFuture()
        }
    }

    @Test func unchangedSessionsAreNotWrittenChangedOnesAre() async throws {
        let app = try await Application.make(.testing)
        let base = CountingDriver()
        let driver = DatabaseSessionDriver(base: base)
        let id = SessionID(string: "s")
        let unchanged = Request(application: app, on: app.eventLoopGroup.any())
        let read = try await driver.readSession(id, for: unchanged).get()
        _ = try await driver.updateSession(id, to: try #require(read), for: unchanged).get()
        let changed = Request(application: app, on: app.eventLoopGroup.any())
        var data = try #require(try await driver.readSession(id, for: changed).get())
        data["notice"] = "Ingeschreven"
        _ = try await driver.updateSession(id, to: data, for: changed).get()
        try await app.asyncShutdown()

        #expect(base.updates == 1)
    }
}
