@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// The test SCOs of Fixtures/Runtime in a real headless Chromium, through the player page, the adapter
/// script and the runtime endpoint on a real port: a first launch that suspends, a second that resumes
/// and passes. Each SCO checks the API's answers itself and leaves "ok" or what differed in its page.
/// Skipped when chromium and chromedriver are not installed (.ci/run installs them).
@Suite(.serialized) struct ScormBrowserTests {
    struct Expected {
        let completion: ModuleAttempt.Completion
        let success: ModuleAttempt.Success
        let scoreScaled: Double
        let location: (String, String)
    }

    static let expected: [String: Expected] = [
        "scorm12": Expected(completion: .completed, success: .passed, scoreScaled: 0.85,
                            location: ("cmi.core.lesson_location", "page-3")),
        "scorm2004": Expected(completion: .completed, success: .passed, scoreScaled: 0.9,
                              location: ("cmi.location", "slide-4")),
    ]

    @Test(.enabled(if: WebDriverSession.isAvailable, "needs chromium and chromium-driver"),
          .timeLimit(.minutes(6)), arguments: TestDatabase.all, ["scorm12", "scorm2004"])
    func aTestScoSuspendsResumesAndPassesInChromium(database: TestDatabase, folder: String) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, folder)
            let expected = try #require(Self.expected[folder])
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let site = "http://127.0.0.1:\(port)"
            var browser: WebDriverSession?
            do {
                let chromium = try await WebDriverSession.start(client: app.client)
                browser = chromium
                try await chromium.navigate(to: site + "/healthz")
                try await chromium.addCookie(name: "academy-session", value: try #require(fixture.browser.cookies["academy-session"]))

                // First launch: the SCO suspends at page 3 with 40 points.
                try await chromium.navigate(to: site + fixture.playerPath)
                let suspended = try await Self.waitFor(fixture, chromium) { row, state in state.phase == .terminated && row.lastSequence != nil }
                let firstResult = try await Self.scoResult(chromium)
                #expect(firstResult == "ok", "the SCO's checks on the first launch: \(firstResult ?? "no result")")
                #expect(suspended.completion == .incomplete)
                #expect(try fixture.state(of: suspended).values[expected.location.0] == expected.location.1)

                // Second launch: the adapter hands back the suspended data; the SCO passes.
                try await chromium.navigate(to: site + fixture.playerPath)
                let passed = try await Self.waitFor(fixture, chromium) { row, state in
                    row.completion == .completed && state.phase == .terminated && state.session == 2
                }
                let secondResult = try await Self.scoResult(chromium)
                #expect(secondResult == "ok", "the SCO's checks on the second launch: \(secondResult ?? "no result")")
                #expect(try await chromium.execute(Self.readFrame("data-entry")) as? String == "resume")
                #expect(passed.number == 1, "a resumed session continues the same attempt")
                #expect(passed.success == expected.success)
                #expect(passed.scoreScaled == expected.scoreScaled)
                #expect(try await fixture.attempts().count == 1)
            } catch {
                await browser?.quit()
                await app.server.shutdown()
                throw error
            }
            await browser?.quit()
            await app.server.shutdown()
        }
    }

    /// Polls the attempt row until `done`, for up to 20 seconds.
    static func waitFor(_ fixture: ScormRuntimeFixture, _ chromium: WebDriverSession,
                        _ done: (ModuleAttempt, ScormAttemptState) -> Bool) async throws -> ModuleAttempt {
        var last: ModuleAttempt?
        for _ in 0..<100 {
            if let row = try await fixture.attempts().last, row.state != nil {
                last = row
                if done(row, try fixture.state(of: row)) { return row }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw WebDriverSession.Failure(description: "the attempt did not reach the expected state; last: \(last?.state ?? "none"); "
                                       + (await chromium.describePage()))
    }

    static func readFrame(_ attribute: String) -> String {
        """
        var frame = document.querySelector('[data-scorm-frame]');
        var body = frame && frame.contentDocument && frame.contentDocument.body;
        return body ? body.getAttribute('\(attribute)') : null;
        """
    }

    /// The SCO's own verdict on the API's answers, once its script has run.
    static func scoResult(_ chromium: WebDriverSession) async throws -> String? {
        for _ in 0..<50 {
            if let result = try await chromium.execute(readFrame("data-result")) as? String { return result }
            try await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }
}
