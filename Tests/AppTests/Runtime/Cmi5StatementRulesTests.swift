@testable import App
import Foundation
import Testing

/// The cmi5 rules an AU's statements must follow, without a database.
@Suite struct Cmi5StatementRulesTests {
    static let registration = UUID()
    static let sessionID = UUID()
    static let launch = Cmi5LaunchFacts(
        actor: Cmi5Launch(baseURL: "https://academy.test").actor(userID: UUID(uuidString: "6f2c1c1e-9d7a-4a51-8a8e-0c1f4b7b5a01")!),
        registration: registration, sessionID: sessionID,
        activityID: "https://academy.test/cmi5/courses/c/aus/1", publisherID: "https://publisher.test/aus/quiz",
        masteryScore: 0.8, moveOn: "CompletedAndPassed")

    /// A statement as an AU builds it from the context template.
    static func statement(_ verb: String, defined: Bool = true, result: JSONValue? = nil, actor: JSONValue? = nil,
                          registration: String? = nil, object: String? = nil, session: String? = nil,
                          id: String = UUID().uuidString) -> JSONValue {
        var categories: [JSONValue] = defined ? [.object(["id": .string(Cmi5Vocabulary.cmi5Category)])] : []
        if defined, let result, result["success"] != nil || result["completion"] != nil {
            categories.append(.object(["id": .string(Cmi5Vocabulary.moveOnCategory)]))
        }
        var statement: [String: JSONValue] = [
            "id": .string(id),
            "actor": actor ?? launch.actor,
            "verb": .object(["id": .string(verb.hasPrefix("http") ? verb : "http://adlnet.gov/expapi/verbs/\(verb)")]),
            "object": .object(["id": .string(object ?? launch.activityID)]),
            "context": .object([
                "registration": .string(registration ?? Self.registration.uuidString),
                "contextActivities": .object([
                    "grouping": .array([.object(["id": .string(launch.publisherID)])]),
                    "category": .array(categories),
                ]),
                "extensions": .object([Cmi5Vocabulary.sessionID: .string(session ?? sessionID.uuidString.lowercased())]),
            ]),
        ]
        if let result { statement["result"] = result }
        return .object(statement)
    }

    static let completed = JSONValue.object(["completion": .bool(true), "duration": .string("PT1M")])
    static func passed(_ scaled: Double) -> JSONValue {
        .object(["success": .bool(true), "score": .object(["scaled": .number(scaled)]), "duration": .string("PT1M")])
    }
    static func failed(_ scaled: Double) -> JSONValue {
        .object(["success": .bool(false), "score": .object(["scaled": .number(scaled)]), "duration": .string("PT1M")])
    }

    /// Runs statements in order through the rules; returns the last outcome and the states reached.
    static func run(_ statements: [JSONValue], session: Cmi5SessionState = .init(), au: Cmi5AUState = .init(registration: registration))
        -> (Result<Cmi5StatementRules.Accepted, Cmi5StatementRules.Refusal>, Cmi5SessionState, Cmi5AUState) {
        var session = session, au = au
        var last: Result<Cmi5StatementRules.Accepted, Cmi5StatementRules.Refusal> = .failure(.init(status: 0, message: "none"))
        for statement in statements {
            last = Cmi5StatementRules.check(statement, launch: launch, session: session, au: au)
            if case .success(let accepted) = last {
                session = accepted.session
                au = accepted.au
            }
        }
        return (last, session, au)
    }

    static func refusal(_ outcome: Result<Cmi5StatementRules.Accepted, Cmi5StatementRules.Refusal>) -> Cmi5StatementRules.Refusal? {
        if case .failure(let refusal) = outcome { return refusal }
        return nil
    }

    @Test func aWholeSessionIsAccepted() {
        let (outcome, session, au) = Self.run([
            Self.statement("initialized"),
            Self.statement("http://adlnet.gov/expapi/verbs/experienced", defined: false),
            Self.statement("completed", result: Self.completed),
            Self.statement("passed", result: Self.passed(0.85)),
            Self.statement("terminated", result: .object(["duration": .string("PT2M")])),
        ])

        #expect(Self.refusal(outcome) == nil)
        #expect(session.terminated && session.verbs == [.initialized, .completed, .passed, .terminated])
        #expect(au.completed && au.passed && au.scoreScaled == 0.85)
        #expect(au.satisfies(moveOn: "CompletedAndPassed"))
    }

    @Test func initializedComesFirstAndTerminatedLast() {
        let first = Self.run([Self.statement("completed", result: Self.completed)]).0
        let allowedFirst = Self.run([Self.statement("http://adlnet.gov/expapi/verbs/experienced", defined: false)]).0
        let afterTerminated = Self.run([Self.statement("initialized"), Self.statement("terminated", result: .object(["duration": .string("PT1S")])),
                                        Self.statement("http://adlnet.gov/expapi/verbs/experienced", defined: false)]).0

        #expect(Self.refusal(first)?.message.contains("initialized") == true)
        #expect(Self.refusal(allowedFirst)?.status == 400)
        #expect(Self.refusal(afterTerminated)?.message.contains("terminated") == true)
    }

    @Test func verbsAreNotRepeatedAndCompletedOncePerRegistration() {
        let twice = Self.run([Self.statement("initialized"), Self.statement("initialized")]).0
        let alreadyCompleted = Cmi5AUState(registration: Self.registration, completed: true)
        let again = Self.run([Self.statement("initialized"), Self.statement("completed", result: Self.completed)], au: alreadyCompleted).0

        #expect(Self.refusal(twice)?.message.contains("already recorded in this session") == true)
        #expect(Self.refusal(again)?.message.contains("already completed") == true)
    }

    @Test func passedNeedsTheMasteryScoreAndFailedMayNotFollowPassed() {
        let low = Self.run([Self.statement("initialized"), Self.statement("passed", result: Self.passed(0.5))]).0
        let failedHigh = Self.run([Self.statement("initialized"), Self.statement("failed", result: Self.failed(0.9))]).0
        let passedBefore = Cmi5AUState(registration: Self.registration, passed: true)
        let failedAfterPass = Self.run([Self.statement("initialized"), Self.statement("failed", result: Self.failed(0.2))], au: passedBefore).0
        let (failedOK, _, au) = Self.run([Self.statement("initialized"), Self.statement("failed", result: Self.failed(0.2))])

        #expect(Self.refusal(low)?.message.contains("masteryScore") == true)
        #expect(Self.refusal(failedHigh)?.status == 400)
        #expect(Self.refusal(failedAfterPass)?.message.contains("may not follow") == true)
        #expect(Self.refusal(failedOK) == nil && au.failed && !au.passed && au.scoreScaled == 0.2)
    }

    @Test func resultPropertiesFollowTheVerb() {
        let scoreOnCompleted = Self.run([Self.statement("initialized"), Self.statement("completed", result: .object([
            "completion": .bool(true), "duration": .string("PT1S"), "score": .object(["scaled": .number(1)])]))]).0
        let noDuration = Self.run([Self.statement("initialized"), Self.statement("completed", result: .object(["completion": .bool(true)]))]).0
        let noMoveOnCategory: JSONValue = {
            guard case .object(var statement) = Self.statement("completed", result: Self.completed) else { return .null }
            statement["context"] = Self.statement("initialized")["context"]
            return .object(statement)
        }()
        let missingCategory = Self.run([Self.statement("initialized"), noMoveOnCategory]).0

        #expect(Self.refusal(scoreOnCompleted)?.message.contains("score") == true)
        #expect(Self.refusal(noDuration)?.message.contains("duration") == true)
        #expect(Self.refusal(missingCategory)?.message.contains("moveOn category") == true)
    }

    @Test func theLaunchFixesActorRegistrationSessionAndObject() {
        let stranger = Cmi5Launch(baseURL: "https://academy.test").actor(userID: UUID())
        let actor = Self.run([Self.statement("initialized", actor: stranger)]).0
        let registration = Self.run([Self.statement("initialized", registration: UUID().uuidString)]).0
        let session = Self.run([Self.statement("initialized", session: UUID().uuidString)]).0
        let object = Self.run([Self.statement("initialized", object: "https://publisher.test/aus/quiz")]).0
        let noID: JSONValue = {
            guard case .object(var statement) = Self.statement("initialized") else { return .null }
            statement["id"] = nil
            return .object(statement)
        }()

        #expect(Self.refusal(actor)?.status == 403)
        #expect(Self.refusal(registration)?.status == 403)
        #expect(Self.refusal(session)?.message.contains("session") == true)
        #expect(Self.refusal(object)?.message.contains("activityId") == true)
        #expect(Self.refusal(Self.run([noID]).0)?.message.contains("id") == true)
    }

    @Test func lmsVerbsAndVoidingAreRefused() {
        let satisfied = Self.run([Self.statement("initialized"), Self.statement("https://w3id.org/xapi/adl/verbs/satisfied")]).0
        let voided = Self.run([Self.statement("initialized"), Self.statement(Cmi5Vocabulary.voided, defined: false)]).0

        #expect(Self.refusal(satisfied)?.status == 403)
        #expect(Self.refusal(voided)?.status == 403)
    }

    @Test(arguments: [
        ("Passed", false, true, true), ("Passed", true, false, false), ("Completed", true, false, true),
        ("CompletedAndPassed", true, false, false), ("CompletedAndPassed", true, true, true),
        ("CompletedOrPassed", false, true, true), ("CompletedOrPassed", false, false, false), ("NotApplicable", false, false, true),
    ])
    func moveOn(_ moveOn: String, completed: Bool, passed: Bool, satisfied: Bool) {
        #expect(Cmi5MoveOn.isSatisfied(moveOn: moveOn, completed: completed, passed: passed) == satisfied)
    }

    @Test func theLaunchURLCarriesTheFiveParametersEncoded() throws {
        let actor = Self.launch.actor
        let url = Cmi5Launch.launchURL(auURL: "https://academy.test/content/c/1/au/index.html?lesson=1#top",
                                       endpoint: "https://academy.test/xapi/", fetch: "https://academy.test/cmi5/fetch/abc",
                                       actor: actor, registration: Self.registration, activityID: Self.launch.activityID)
        let components = try #require(URLComponents(string: url))
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })

        #expect(components.fragment == "top")
        #expect(items["lesson"] == "1")
        #expect(items["endpoint"] == "https://academy.test/xapi/")
        #expect(items["fetch"] == "https://academy.test/cmi5/fetch/abc")
        #expect(JSONValue.parse(Data(try #require(items["actor"]).utf8)) == actor)
        #expect(items["registration"] == Self.registration.uuidString.lowercased())
        #expect(items["activityId"] == Self.launch.activityID)
        #expect(!url.contains("{") && !url.contains("\""), "values are URL-encoded")
    }

    @Test func durationsAreISO8601() {
        #expect(XAPITime.duration(0) == "PT0S")
        #expect(XAPITime.duration(3723.456) == "PT1H2M3.46S")
    }
}
