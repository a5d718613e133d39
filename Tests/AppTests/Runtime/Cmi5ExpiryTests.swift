@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// A cmi5 session nobody ends: once its token has expired the academy records "abandoned", once, and the
/// AU can record nothing more.
@Suite struct Cmi5ExpiryTests {
    @Test(arguments: TestDatabase.all)
    func anExpiredOpenSessionIsAbandonedOnce(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (launch, token) = try await fixture.start(Cmi5Fixture.intro)
            let template = try #require(try await fixture.launchData(launch, token: token)["contextTemplate"])
            let posted = try await fixture.xapi(.POST, "/xapi/statements", token: token,
                                                body: fixture.statement("initialized", launch, template: template))
            #expect(posted.status == .ok)
            var runtime = Cmi5Runtime(database: app.db, baseURL: "http://localhost:8080")
            let session = try #require(try await Cmi5Session.query(on: app.db).first())

            let early = try await runtime.abandonExpired()
            runtime.now = { session.expiresAt.addingTimeInterval(1) }
            let swept = try await runtime.abandonExpired()
            let again = try await runtime.abandonExpired()
            let late = try await fixture.xapi(.POST, "/xapi/statements", token: token,
                                              body: fixture.statement("completed", launch, template: template, result: Cmi5Fixture.completed))

            #expect(early == 0, "a session within its lifetime stays open")
            #expect(swept == 1)
            #expect(again == 0, "abandoned once")
            #expect(try await Cmi5Session.find(session.id, on: app.db)?.abandonedAt != nil)
            let abandoned = try await fixture.statements(verb: .abandoned)
            #expect(abandoned.count == 1)
            #expect(abandoned.first?.origin == "lms")
            #expect(late.status == .unauthorized)
            #expect(try await fixture.attempt(Cmi5Fixture.intro)?.completion != .completed)
        }
    }
}
