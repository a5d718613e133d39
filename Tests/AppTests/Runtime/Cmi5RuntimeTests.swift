@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// cmi5 AUs through the real app: the launch from the player, the fetch URL, the xAPI endpoint and
/// satisfaction reaching course completion, on SQLite and PostgreSQL.
@Suite struct Cmi5RuntimeTests {
    @Test(arguments: TestDatabase.all)
    func openingAnAULaunchesItWithTheSpecsParameters(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)

            let launch = try await fixture.open(Cmi5Fixture.intro)

            #expect(launch.html.contains("<iframe"), "AnyWindow: the AU runs in the player's frame")
            #expect(launch.url.hasPrefix("http://localhost:8080/content/\(fixture.slug)/1/au/index.html?lesson=1&endpoint="))
            #expect(launch.endpoint == "http://localhost:8080/xapi/")
            #expect(launch.fetch.hasPrefix("http://localhost:8080/cmi5/fetch/"))
            #expect(launch.actor == .object(["objectType": .string("Agent"), "account": .object([
                "homePage": .string("http://localhost:8080"), "name": .string(fixture.userID.uuidString.lowercased())])]))
            #expect(UUID(uuidString: launch.registration) != nil)
            #expect(launch.activityID.hasPrefix("http://localhost:8080/cmi5/courses/"))
            #expect(launch.activityID != Cmi5Fixture.intro, "cmi5 8.1.5: the LMS generates the activity id")

            let token = try #require(try await fixture.fetch(launch)["auth-token"]?.string)
            let data = try await fixture.launchData(launch, token: token)
            #expect(data["launchMode"] == .string("Normal"))
            #expect(data["moveOn"] == .string("Completed"))
            #expect(data["masteryScore"] == nil)
            #expect(data["returnURL"] == .string("http://localhost:8080" + SiteRoute.cmi5Closed(slug: fixture.slug, module: Cmi5Fixture.intro).path))
            let closed = try await fixture.browser.get(SiteRoute.cmi5Closed(slug: fixture.slug, module: Cmi5Fixture.intro).path)
            #expect(closed.status == .ok && closed.body.string.contains("target=\"_top\""))
            #expect(try await Cmi5Session.query(on: app.db).count() == 1, "the return page launches nothing")
            let template = try #require(data["contextTemplate"])
            #expect(template["contextActivities"]?["grouping"]?.array?.first?["id"] == .string(Cmi5Fixture.intro))
            let session = try #require(template["extensions"]?[Cmi5Vocabulary.sessionID]?.string)
            let launched = try #require(try await fixture.statements(verb: .launched).first)
            let body = try #require(JSONValue.parse(Data(launched.body.utf8)))
            #expect(body["context"]?["extensions"]?[Cmi5Vocabulary.sessionID] == .string(session))
            #expect(body["context"]?["extensions"]?[Cmi5Vocabulary.launchMode] == .string("Normal"))
            #expect(body["context"]?["extensions"]?[Cmi5Vocabulary.moveOn] == .string("Completed"))
            #expect(body["context"]?["extensions"]?[Cmi5Vocabulary.launchURL]?.string?.hasSuffix("au/index.html?lesson=1") == true)
            #expect(body["object"]?["id"] == .string(launch.activityID))
            #expect(launched.registrationID?.uuidString.lowercased() == launch.registration)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anOwnWindowAUGetsAButtonAndItsLaunchDataCarriesMasteryAndParameters(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let intro = try await fixture.open(Cmi5Fixture.intro)

            let (launch, token) = try await fixture.start(Cmi5Fixture.quiz)
            let data = try await fixture.launchData(launch, token: token)

            #expect(!launch.html.contains("<iframe") && launch.html.contains("target=\"_blank\""))
            #expect(launch.registration == intro.registration, "one registration per enrolment, shared by its AUs")
            #expect(launch.activityID != intro.activityID)
            #expect(data["masteryScore"] == .number(0.8))
            #expect(data["moveOn"] == .string("CompletedAndPassed"))
            #expect(data["launchParameters"] == .string(#"{"questions": 3}"#))
            #expect(data["entitlementKey"] == .object(["courseStructure": .string("vivel-test-key")]))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theFetchURLAnswersOnce(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let launch = try await fixture.open(Cmi5Fixture.intro)

            let first = try await fixture.fetch(launch)
            let second = try await fixture.fetch(launch)
            let unknown = try await app.testing().sendRequest(.POST, SiteRoute.cmi5Fetch(token: "no-such-token").path)

            let token = try #require(first["auth-token"]?.string)
            #expect(second["error-code"] == .string("1"))
            #expect(second["error-text"]?.string?.isEmpty == false)
            #expect(second["auth-token"] == nil)
            #expect(JSONValue.parse(Data(unknown.body.readableBytesView))?["error-code"] == .string("2"))
            let session = try #require(try await Cmi5Session.query(on: app.db).first())
            #expect(session.authTokenHash == Cmi5Runtime.hash(token), "only the token's hash is kept")
            #expect(session.authTokenHash != token)
        }
    }

    @Test(arguments: TestDatabase.all)
    func statementsAreCheckedStoredAndIdempotent(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (launch, token) = try await fixture.start(Cmi5Fixture.intro)
            let template = try #require(try await fixture.launchData(launch, token: token)["contextTemplate"])
            let initialized = fixture.statement("initialized", launch, template: template)

            let early = try await fixture.xapi(.POST, "/xapi/statements", token: token,
                                               body: fixture.statement("completed", launch, template: template, result: Cmi5Fixture.completed))
            let noVersion = try await fixture.xapi(.POST, "/xapi/statements", token: token, version: nil, body: initialized)
            let wrongToken = try await fixture.xapi(.POST, "/xapi/statements", token: "bm90OmEtdG9rZW4=", body: initialized)
            let posted = try await fixture.xapi(.POST, "/xapi/statements", token: token, body: initialized)
            let again = try await fixture.xapi(.POST, "/xapi/statements", token: token, body: initialized)
            guard case .object(var changed) = initialized else { return }
            changed["timestamp"] = .string("2020-01-01T00:00:00Z")
            let conflict = try await fixture.xapi(.POST, "/xapi/statements", token: token, body: .object(changed))
            var stranger = launch.actor.object ?? [:]
            stranger["account"] = .object(["homePage": .string("http://localhost:8080"), "name": .string(UUID().uuidString)])
            var foreign = fixture.statement("completed", launch, template: template, result: Cmi5Fixture.completed).object ?? [:]
            foreign["actor"] = .object(stranger)
            let wrongActor = try await fixture.xapi(.POST, "/xapi/statements", token: token, body: .object(foreign))
            let putID = UUID()
            let put = try await fixture.xapi(.PUT, "/xapi/statements?statementId=\(putID.uuidString)", token: token,
                                             body: .object(["actor": launch.actor, "verb": .object(["id": .string("http://adlnet.gov/expapi/verbs/experienced")]),
                                                            "object": .object(["id": .string(launch.activityID + "/page-1")]),
                                                            "context": .object(template.object!.merging(["registration": .string(launch.registration)]) { $1 })]))
            let read = try await fixture.xapi(.GET, "/xapi/statements?statementId=\(putID.uuidString)", token: token)

            #expect(early.status == .badRequest && early.body.string.contains("initialized"))
            #expect(noVersion.status == .badRequest && noVersion.body.string.contains("X-Experience-API-Version"))
            #expect(wrongToken.status == .unauthorized)
            #expect(posted.status == .ok && posted.headers.first(name: "X-Experience-API-Version") == "1.0.3")
            #expect(JSONValue.parse(Data(posted.body.readableBytesView)) == .array([initialized["id"]!]))
            #expect(again.status == .ok, "the same statement twice is fine")
            #expect(conflict.status == .conflict)
            #expect(wrongActor.status == .forbidden)
            #expect(put.status == .noContent, "a cmi5 allowed statement: \(put.body.string)")
            let stored = try #require(JSONValue.parse(Data(read.body.readableBytesView)))
            #expect(stored["id"] == .string(putID.uuidString.lowercased()) && stored["stored"] != nil)
            #expect(try await XAPIStatementRecord.query(on: app.db).filter(\.$origin == "au").count() == 2)
            let attempt = try #require(try await fixture.attempt(Cmi5Fixture.intro))
            #expect(attempt.completion == .incomplete, "initialized: the AU is under way")
        }
    }

    @Test(arguments: TestDatabase.all)
    func stateDocumentsAndLearnerPreferences(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (launch, token) = try await fixture.start(Cmi5Fixture.intro)
            let bookmark = fixture.statePath(launch, stateID: "bookmark")

            let put = try await fixture.xapi(.PUT, bookmark, token: token, body: .object(["page": .number(3), "seen": .bool(true)]))
            let merge = try await fixture.xapi(.POST, bookmark, token: token, body: .object(["page": .number(4)]))
            let read = try await fixture.xapi(.GET, bookmark, token: token)
            let list = try await fixture.xapi(.GET, fixture.statePath(launch, stateID: nil), token: token)
            let overwriteLaunchData = try await fixture.xapi(.PUT, fixture.statePath(launch, stateID: Cmi5Vocabulary.launchDataStateID),
                                                             token: token, body: .object([:]))
            let otherLearner = try await fixture.xapi(.GET, fixture.statePath(launch, stateID: "bookmark",
                agent: Cmi5Launch(baseURL: "http://localhost:8080").actor(userID: UUID())), token: token)
            let otherRegistration = try await fixture.xapi(.GET, fixture.statePath(launch, stateID: "bookmark",
                                                                                   registration: UUID().uuidString), token: token)
            let deleted = try await fixture.xapi(.DELETE, bookmark, token: token)
            let gone = try await fixture.xapi(.GET, bookmark, token: token)
            let profile = try await fixture.xapi(.GET, "/xapi/agents/profile?profileId=cmi5LearnerPreferences&agent=\(Cmi5Launch.encode(launch.actor.canonicalText))", token: token)
            let about = try await fixture.xapi(.GET, "/xapi/about", token: nil, version: nil)

            #expect(put.status == .noContent && merge.status == .noContent)
            #expect(JSONValue.parse(Data(read.body.readableBytesView)) == .object(["page": .number(4), "seen": .bool(true)]))
            #expect(read.headers.first(name: .eTag) != nil)
            let ids = JSONValue.parse(Data(list.body.readableBytesView))?.array ?? []
            #expect(Set(ids.compactMap(\.string)) == ["bookmark", "LMS.LaunchData"])
            #expect(overwriteLaunchData.status == .forbidden)
            #expect(otherLearner.status == .forbidden && otherRegistration.status == .forbidden)
            #expect(deleted.status == .noContent && gone.status == .notFound)
            let preferences = try #require(JSONValue.parse(Data(profile.body.readableBytesView)))
            #expect(preferences == .object(["languagePreference": .string("fr-BE,fr"), "audioPreference": .string("on")]))
            #expect(about.status == .ok && about.body.string.contains("1.0.3"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func moveOnSatisfiesBlocksAndTheCourseAndCompletesIt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (intro, introToken) = try await fixture.start(Cmi5Fixture.intro)
            let introTemplate = try #require(try await fixture.launchData(intro, token: introToken)["contextTemplate"])
            for (verb, result) in [("initialized", nil), ("completed", Cmi5Fixture.completed), ("terminated", Cmi5Fixture.duration)] as [(String, JSONValue?)] {
                let answer = try await fixture.xapi(.POST, "/xapi/statements", token: introToken,
                                                    body: fixture.statement(verb, intro, template: introTemplate, result: result))
                #expect(answer.status == .ok, "\(verb): \(answer.body.string)")
            }
            let introAttempt = try #require(try await fixture.attempt(Cmi5Fixture.intro))
            let blockSatisfied = try await fixture.statements(verb: .satisfied)
            let notYet = try await CourseCompletion.query(on: app.db).filter(\.$enrolment.$id == fixture.enrolmentID).count()

            let (quiz, quizToken) = try await fixture.start(Cmi5Fixture.quiz)
            let quizTemplate = try #require(try await fixture.launchData(quiz, token: quizToken)["contextTemplate"])
            let batch = JSONValue.array([
                fixture.statement("initialized", quiz, template: quizTemplate),
                fixture.statement("completed", quiz, template: quizTemplate, result: Cmi5Fixture.completed),
            ])
            let posted = try await fixture.xapi(.POST, "/xapi/statements", token: quizToken, body: batch)
            let tooLow = try await fixture.xapi(.POST, "/xapi/statements", token: quizToken,
                                                body: fixture.statement("passed", quiz, template: quizTemplate, result: Cmi5Fixture.passed(0.5)))
            let passed = try await fixture.xapi(.POST, "/xapi/statements", token: quizToken,
                                                body: fixture.statement("passed", quiz, template: quizTemplate, result: Cmi5Fixture.passed(0.9)))

            #expect(introAttempt.completion == .completed && introAttempt.kind == "au")
            #expect(blockSatisfied.count == 1, "the block's AUs are satisfied: intro completed, extra NotApplicable")
            let blockRecord = try #require(blockSatisfied.first)
            let blockBody = try #require(JSONValue.parse(Data(blockRecord.body.utf8)))
            #expect(blockBody["object"]?["definition"]?["type"] == .string(Cmi5Vocabulary.blockType))
            #expect(blockBody["context"]?["contextActivities"]?["grouping"]?.array?.first?["id"] == .string(Cmi5Fixture.block))
            #expect(notYet == 0)
            #expect(posted.status == .ok, "\(posted.body.string)")
            #expect(tooLow.status == .badRequest && tooLow.body.string.contains("masteryScore"))
            #expect(passed.status == .ok, "\(passed.body.string)")
            let quizAttempt = try #require(try await fixture.attempt(Cmi5Fixture.quiz))
            #expect(quizAttempt.completion == .completed && quizAttempt.success == .passed && quizAttempt.scoreScaled == 0.9)
            let satisfied = try await fixture.statements(verb: .satisfied)
            #expect(satisfied.count == 2)
            let courseSatisfied = try #require(satisfied.compactMap { JSONValue.parse(Data($0.body.utf8)) }
                .first { $0["object"]?["definition"]?["type"] == .string(Cmi5Vocabulary.courseType) })
            #expect(courseSatisfied["context"]?["contextActivities"]?["grouping"]?.array?.first?["id"] == .string(Cmi5Fixture.courseIRI))
            #expect(courseSatisfied["object"]?["id"]?.string != Cmi5Fixture.courseIRI)
            let completion = try #require(try await CourseCompletion.query(on: app.db).filter(\.$enrolment.$id == fixture.enrolmentID).first())
            #expect(completion.scoreScaled == 0.9)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRelaunchAbandonsTheOpenSessionAndExpiredTokensAreRefused(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (first, firstToken) = try await fixture.start(Cmi5Fixture.intro)
            let template = try #require(try await fixture.launchData(first, token: firstToken)["contextTemplate"])
            let initialized = try await fixture.xapi(.POST, "/xapi/statements", token: firstToken,
                                                     body: fixture.statement("initialized", first, template: template))

            let (second, secondToken) = try await fixture.start(Cmi5Fixture.intro)
            let oldToken = try await fixture.xapi(.GET, fixture.statePath(first, stateID: Cmi5Vocabulary.launchDataStateID), token: firstToken)
            let newSession = try #require(try await Cmi5Session.query(on: app.db).filter(\.$abandonedAt == nil).first())
            newSession.expiresAt = Date().addingTimeInterval(-1)
            try await newSession.save(on: app.db)
            let expired = try await fixture.xapi(.GET, fixture.statePath(second, stateID: Cmi5Vocabulary.launchDataStateID), token: secondToken)

            #expect(initialized.status == .ok)
            #expect(second.registration == first.registration && second.activityID == first.activityID)
            #expect(oldToken.status == .unauthorized && oldToken.body.string.contains("abandoned"))
            let abandoned = try await fixture.statements(verb: .abandoned)
            #expect(abandoned.count == 1)
            let abandonedRecord = try #require(abandoned.first)
            let body = try #require(JSONValue.parse(Data(abandonedRecord.body.utf8)))
            #expect(body["result"]?["duration"]?.string?.hasPrefix("PT") == true)
            #expect(expired.status == .unauthorized && expired.headers.first(name: .wwwAuthenticate) != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func racingLaunchesShareOneRegistrationAndRacingCompletionsCountOnce(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)

            let launches = try await withThrowingTaskGroup(of: Cmi5Fixture.Launch.self) { group in
                for _ in 0..<4 {
                    let tab = fixture.anotherTab()
                    group.addTask { try await tab.open(Cmi5Fixture.intro) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let registrations = try await Cmi5Registration.query(on: app.db).count()
            let (launch, token) = try await fixture.start(Cmi5Fixture.intro)
            let template = try #require(try await fixture.launchData(launch, token: token)["contextTemplate"])
            _ = try await fixture.xapi(.POST, "/xapi/statements", token: token, body: fixture.statement("initialized", launch, template: template))
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await fixture.xapi(.POST, "/xapi/statements", token: token,
                                               body: fixture.statement("completed", launch, template: template, result: Cmi5Fixture.completed)).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            #expect(Set(launches.map(\.registration)).count == 1 && registrations == 1)
            #expect(try await Cmi5Session.query(on: app.db).filter(\.$abandonedAt == nil).count() == 1, "one open session per AU")
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .badRequest }.count == 3)
            #expect(try await fixture.statements(verb: .completed).count == 1)
        }
    }
}
