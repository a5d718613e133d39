@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// An AU the learner already finished opens in Review mode: the page says so, LMS.LaunchData and
/// "launched" carry the mode, and the AU cannot change the result.
@Suite struct Cmi5ReviewTests {
    @Test(arguments: TestDatabase.all)
    func aFinishedAUOpensInReviewModeAndKeepsItsResult(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (first, firstToken) = try await fixture.start(Cmi5Fixture.intro)
            let template = try #require(try await fixture.launchData(first, token: firstToken)["contextTemplate"])
            for (verb, result) in [("initialized", nil), ("completed", Cmi5Fixture.completed), ("terminated", Cmi5Fixture.duration)] as [(String, JSONValue?)] {
                let posted = try await fixture.xapi(.POST, "/xapi/statements", token: firstToken,
                                                    body: fixture.statement(verb, first, template: template, result: result))
                #expect(posted.status == .ok, "\(verb): \(posted.body.string)")
            }

            let (again, token) = try await fixture.start(Cmi5Fixture.intro)
            let data = try await fixture.launchData(again, token: token)
            let reviewTemplate = try #require(data["contextTemplate"])
            let initialized = try await fixture.xapi(.POST, "/xapi/statements", token: token,
                                                     body: fixture.statement("initialized", again, template: reviewTemplate))
            let passed = try await fixture.xapi(.POST, "/xapi/statements", token: token,
                                                body: fixture.statement("passed", again, template: reviewTemplate, result: Cmi5Fixture.passed(1)))

            #expect(!first.html.contains("déjà terminé"), "the first launch is Normal")
            #expect(again.html.contains("Vous avez déjà terminé cette partie"), "the fixture learner reads French")
            #expect(data["launchMode"] == .string("Review"))
            let launched = try await fixture.statements(verb: .launched).sorted { $0.storedAt < $1.storedAt }
            let modes = launched.compactMap { JSONValue.parse(Data($0.body.utf8))?["context"]?["extensions"]?[Cmi5Vocabulary.launchMode]?.string }
            #expect(modes == ["Normal", "Review"])
            #expect(initialized.status == .ok)
            #expect(passed.status == .forbidden && passed.body.string.contains("Review mode"))
            #expect(try await fixture.attempt(Cmi5Fixture.intro)?.success != .passed)
        }
    }
}
