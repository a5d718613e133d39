@testable import App
import Foundation
import Testing
import VaporTesting

/// The statement query as an AU (or a report in it) uses it: filters, keyed pages through "more", and
/// cross-origin calls from content served elsewhere.
@Suite struct XAPIStatementQueryTests {
    @Test func parametersAreReadAndBadOnesExplained() throws {
        let read = try XAPIStatementQuery { ["verb": "http://adlnet.gov/expapi/verbs/completed", "limit": "0",
                                             "ascending": "true", "since": "2026-11-23T10:00:00Z"][$0] }
        #expect(read.verb == "http://adlnet.gov/expapi/verbs/completed")
        #expect(read.limit == XAPIStatementQuery.maxLimit, "0 means the server's maximum")
        #expect(read.ascending)
        #expect(read.since == XAPITime.parse("2026-11-23T10:00:00Z"))

        let refusals: [[String: String]] = [
            ["since": "yesterday"], ["limit": "-1"], ["ascending": "yes"], ["verb": "completed"],
            ["registration": "42"], ["related_activities": "true"], ["format": "short"],
            ["since": "2026-11-23T10:00:00Z", "until": "2026-11-23T09:00:00Z"], ["after": "page-2"],
        ]
        for parameters in refusals {
            #expect(throws: XAPIStatementQuery.Invalid.self, "\(parameters)") { try XAPIStatementQuery { parameters[$0] } }
        }
        let message = try #require(throwing(try XAPIStatementQuery { ["since": "yesterday"][$0] }))
        #expect(message.contains("since") && message.contains("yesterday") && message.contains("ISO 8601"))
    }

    @Test(arguments: TestDatabase.all)
    func pagesFollowMoreWithoutSkippingOrRepeating(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (launch, token) = try await fixture.start(Cmi5Fixture.intro)
            let template = try #require(try await fixture.launchData(launch, token: token)["contextTemplate"])
            let initialized = try await fixture.xapi(.POST, "/xapi/statements", token: token,
                                                     body: fixture.statement("initialized", launch, template: template))
            #expect(initialized.status == .ok)
            var sent: [String] = []
            for page in 1...5 {
                let id = UUID()
                let experienced = JSONValue.object([
                    "id": .string(id.uuidString.lowercased()), "actor": launch.actor,
                    "verb": .object(["id": .string("http://adlnet.gov/expapi/verbs/experienced")]),
                    "object": .object(["id": .string(launch.activityID + "/page-\(page)")]),
                    "context": .object(template.object!.merging(["registration": .string(launch.registration)]) { $1 })])
                let posted = try await fixture.xapi(.POST, "/xapi/statements", token: token, body: experienced)
                #expect(posted.status == .ok, "\(posted.body.string)")
                sent.append(id.uuidString.lowercased())
            }

            var seen: [String] = []
            var next = "/xapi/statements?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fexperienced&limit=2&ascending=true"
            var pages = 0
            while !next.isEmpty, pages < 10 {
                let answer = try await fixture.xapi(.GET, next, token: token)
                #expect(answer.status == .ok, "\(answer.body.string)")
                #expect(answer.headers.first(name: "X-Experience-API-Consistent-Through") != nil)
                let body = try #require(JSONValue.parse(Data(answer.body.readableBytesView)))
                seen += (body["statements"]?.array ?? []).compactMap { $0["id"]?.string }
                next = body["more"]?.string ?? ""
                pages += 1
            }
            let newestFirst = try await fixture.xapi(.GET, "/xapi/statements?limit=1", token: token)
            let all = try await fixture.xapi(.GET, "/xapi/statements", token: token)
            let future = try await fixture.xapi(.GET, "/xapi/statements?since=2100-01-01T00:00:00Z", token: token)

            #expect(seen == sent, "every statement once, in the order stored")
            #expect(pages == 3)
            let newest = JSONValue.parse(Data(newestFirst.body.readableBytesView))?["statements"]?.array?.first?["id"]?.string
            #expect(newest == sent.last, "newest first by default")
            #expect(JSONValue.parse(Data(all.body.readableBytesView))?["statements"]?.array?.count == 7, "launched, initialized and five experienced")
            #expect(JSONValue.parse(Data(future.body.readableBytesView))?["statements"]?.array?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aQueryIsKeptToItsLaunchAndBadParametersAreExplained(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (launch, token) = try await fixture.start(Cmi5Fixture.intro)
            var stranger = launch.actor.object ?? [:]
            stranger["account"] = .object(["homePage": .string("http://localhost:8080"), "name": .string(UUID().uuidString)])
            let agent = JSONValue.object(stranger).canonicalText.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!

            let otherRegistration = try await fixture.xapi(.GET, "/xapi/statements?registration=\(UUID().uuidString)", token: token)
            let otherAgent = try await fixture.xapi(.GET, "/xapi/statements?agent=\(agent)", token: token)
            let badSince = try await fixture.xapi(.GET, "/xapi/statements?since=gisteren", token: token)
            let ownRegistration = try await fixture.xapi(.GET, "/xapi/statements?registration=\(launch.registration)", token: token)

            #expect(otherRegistration.status == .forbidden)
            #expect(otherAgent.status == .forbidden)
            #expect(badSince.status == .badRequest && badSince.body.string.contains("gisteren"))
            #expect(ownRegistration.status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func contentOnAnotherOriginMayCallTheEndpoint(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (_, token) = try await fixture.start(Cmi5Fixture.intro)
            let origin = "https://content.example.net"

            let preflight = try await app.testing().sendRequest(.OPTIONS, "/xapi/statements", headers: [
                "Origin": origin, "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, x-experience-api-version"])
            let read = try await app.testing().sendRequest(.GET, "/xapi/statements", headers: [
                "Origin": origin, "Authorization": "Basic \(token)", "X-Experience-API-Version": "1.0.3"])

            #expect(preflight.status == .ok || preflight.status == .noContent)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == "*")
            #expect(preflight.headers.first(name: "Access-Control-Allow-Headers")?.lowercased().contains("x-experience-api-version") == true)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Credentials") == nil, "no cookies cross-origin")
            #expect(read.status == .ok)
            #expect(read.headers.first(name: "Access-Control-Allow-Origin") == "*")
            #expect(read.headers.first(name: "Access-Control-Expose-Headers")?.lowercased().contains("x-experience-api-version") == true)
        }
    }

    private func throwing(_ body: @autoclosure () throws -> XAPIStatementQuery) -> String? {
        do {
            _ = try body()
            return nil
        } catch let invalid as XAPIStatementQuery.Invalid {
            return invalid.message
        } catch {
            return nil
        }
    }
}
