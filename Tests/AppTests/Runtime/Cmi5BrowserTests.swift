@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// The tiny AU of Fixtures/Cmi5/course/au in a real headless Chromium, through the player page, the fetch URL
/// and the xAPI endpoint on a real port: it reads its launch parameters, fetches its token, reads
/// LMS.LaunchData and sends initialized, completed and terminated, leaving "ok" or the first failure in its
/// page. Skipped when chromium and chromedriver are not installed (.ci/run installs them).
@Suite(.serialized) struct Cmi5BrowserTests {
    @Test(.enabled(if: WebDriverSession.isAvailable, "needs chromium and chromium-driver"),
          .timeLimit(.minutes(6)), arguments: TestDatabase.all)
    func theTestAUCompletesInChromium(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let site = "http://127.0.0.1:\(port)"
            // The launch URL's endpoint and fetch URL are built from the base URL: the port is known only now.
            app.academySettings.baseURL = site
            var browser: WebDriverSession?
            do {
                let chromium = try await WebDriverSession.start(client: app.client)
                browser = chromium
                try await chromium.navigate(to: site + "/healthz")
                try await chromium.addCookie(name: "academy-session", value: try #require(fixture.browser.cookies["academy-session"]))

                try await chromium.navigate(to: site + SiteRoute.player(slug: fixture.slug, module: Cmi5Fixture.intro).path)
                var result: String?
                for _ in 0..<100 {
                    result = try await chromium.execute("""
                        var frame = document.querySelector('.cmi5-frame iframe');
                        var out = frame && frame.contentDocument && frame.contentDocument.getElementById('result');
                        return out ? out.textContent : null;
                        """) as? String
                    if let result, result != "running" { break }
                    try await Task.sleep(for: .milliseconds(200))
                }

                let page = result == "ok" ? "" : await chromium.describePage()
                #expect(result == "ok", "the AU's own verdict: \(result ?? "no result"); \(page)")
                let attempt = try #require(try await fixture.attempt(Cmi5Fixture.intro))
                #expect(attempt.completion == .completed)
                let verbs = try await XAPIStatementRecord.query(on: app.db).sort(\.$storedAt).all().map(\.verbID)
                #expect(verbs.contains(Cmi5Vocabulary.Verb.terminated.rawValue))
                #expect(verbs.contains(Cmi5Vocabulary.Verb.satisfied.rawValue), "the block is satisfied")
                let session = try #require(try await Cmi5Session.query(on: app.db).first())
                #expect(session.terminatedAt != nil && session.fetchedAt != nil)
            } catch {
                await browser?.quit()
                await app.server.shutdown()
                throw error
            }
            await browser?.quit()
            await app.server.shutdown()
        }
    }
}
