@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The test course of Fixtures/Cmi5/course imported for real (a block with a Completed and a NotApplicable
/// AU, and a CompletedAndPassed quiz AU with masteryScore 0.8 that opens in its own window), a learner
/// enrolled and signed in, and the xAPI endpoint spoken the way an AU speaks it.
struct Cmi5Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Cmi5/course")
    static let intro = "https://academy.example.org/courses/cmi5-runtime-test/aus/intro"
    static let quiz = "https://academy.example.org/courses/cmi5-runtime-test/aus/quiz"
    static let block = "https://academy.example.org/courses/cmi5-runtime-test/blocks/basics"
    static let courseIRI = "https://academy.example.org/courses/cmi5-runtime-test"

    let app: Application
    var browser: Browser
    let userID: UUID
    let enrolmentID: UUID
    let courseID: UUID
    let slug: String

    static func make(_ app: Application, email: String = "an.peeters@zorgraad.be") async throws -> Cmi5Fixture {
        var entries: [TestZip.Entry] = []
        let files = FileManager.default.enumerator(atPath: folder.path)
        while let name = files?.nextObject() as? String {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
            if !isFolder.boolValue { entries.append(.file(name, try Data(contentsOf: folder.appendingPathComponent(name)))) }
        }
        let outcome = try await app.importPackage(at: try TestZip.make(entries), options: .init(publish: true))
        let courseID = try #require(outcome.courseID, "imported the cmi5 course: \(outcome.status)")
        let course = try #require(try await Course.find(courseID, on: app.db))
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == courseID).first())
        let user = User(email: email, name: "An Peeters", passwordHash: try app.password.hash("een lang wachtwoord"),
                        role: .learner, profession: "gp")
        user.preferredLanguage = "fr"
        try await user.save(on: app.db)
        let browser = Browser(app)
        let login = try await browser.post("/login", form: ["email": email, "password": "een lang wachtwoord"])
        #expect(login.status == .seeOther, "signed in")
        let enrolment = Enrolment(userID: try user.requireID(), courseID: courseID, versionID: try version.requireID())
        try await enrolment.save(on: app.db)
        return Cmi5Fixture(app: app, browser: browser, userID: try user.requireID(), enrolmentID: try enrolment.requireID(),
                           courseID: courseID, slug: course.slug)
    }

    /// The same learner in a browser of its own (the same cookies), for requests made in parallel.
    func anotherTab() -> Cmi5Fixture {
        var copy = self
        copy.browser = Browser(app)
        copy.browser.cookies = browser.cookies
        return copy
    }

    struct Launch {
        let url: String
        let parameters: [String: String]
        var endpoint: String { parameters["endpoint"] ?? "" }
        var fetch: String { parameters["fetch"] ?? "" }
        var actor: JSONValue { JSONValue.parse(Data((parameters["actor"] ?? "").utf8)) ?? .null }
        var registration: String { parameters["registration"] ?? "" }
        var activityID: String { parameters["activityId"] ?? "" }
        var html: String
    }

    /// Opens the AU in the player and reads the launch URL from the page (the frame's src or the button's href).
    func open(_ module: String) async throws -> Launch {
        let page = try await browser.get(SiteRoute.player(slug: slug, module: module).path)
        #expect(page.status == .ok, "player page: \(page.status)")
        let html = page.body.string
        let marker = try #require(html.range(of: #"(src|href)="(http://localhost:8080/content/[^"]*)""#, options: .regularExpression),
                                  "a launch URL in the page")
        let attribute = String(html[marker])
        let url = String(attribute[attribute.index(after: attribute.firstIndex(of: "\"")!)..<attribute.index(before: attribute.endIndex)])
            .replacingOccurrences(of: "&amp;", with: "&")
        let items = URLComponents(string: url)?.queryItems ?? []
        return Launch(url: url, parameters: Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a }), html: html)
    }

    /// The fetch URL as an AU calls it: a POST without cookies or CSRF token.
    func fetch(_ launch: Launch) async throws -> JSONValue {
        let path = try #require(URLComponents(string: launch.fetch)?.path)
        let response = try await app.testing().sendRequest(.POST, path)
        #expect(response.status == .ok)
        #expect(response.headers.contentType == .json)
        return try #require(JSONValue.parse(Data(response.body.readableBytesView)))
    }

    /// Launches `module` and fetches its token.
    func start(_ module: String) async throws -> (Launch, String) {
        let launch = try await open(module)
        let token = try #require(try await fetch(launch)["auth-token"]?.string)
        return (launch, token)
    }

    func xapi(_ method: HTTPMethod, _ path: String, token: String?, version: String? = "1.0.3",
              body: JSONValue? = nil, contentType: HTTPMediaType = .json) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.replaceOrAdd(name: .authorization, value: "Basic \(token)") }
        if let version { headers.replaceOrAdd(name: "X-Experience-API-Version", value: version) }
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        if let body {
            headers.contentType = contentType
            buffer.writeString(body.canonicalText)
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: buffer)
    }

    /// A cmi5 defined statement of this launch, built from LMS.LaunchData's context template as an AU does.
    func statement(_ verb: String, _ launch: Launch, template: JSONValue, result: JSONValue? = nil,
                   id: UUID = UUID()) -> JSONValue {
        guard case .object(var context) = template else { return .null }
        context["registration"] = .string(launch.registration)
        var activities = context["contextActivities"]?.object ?? [:]
        var categories: [JSONValue] = [.object(["id": .string(Cmi5Vocabulary.cmi5Category)])]
        if let result, result["success"] != nil || result["completion"] != nil {
            categories.append(.object(["id": .string(Cmi5Vocabulary.moveOnCategory)]))
        }
        activities["category"] = .array(categories)
        context["contextActivities"] = .object(activities)
        var statement: [String: JSONValue] = [
            "id": .string(id.uuidString.lowercased()), "actor": launch.actor,
            "verb": .object(["id": .string("http://adlnet.gov/expapi/verbs/\(verb)")]),
            "object": .object(["objectType": .string("Activity"), "id": .string(launch.activityID)]),
            "context": .object(context), "timestamp": .string(XAPITime.format(Date())),
        ]
        if let result { statement["result"] = result }
        return .object(statement)
    }

    func statePath(_ launch: Launch, stateID: String?, activityID: String? = nil, agent: JSONValue? = nil,
                   registration: String? = nil) -> String {
        var items = [URLQueryItem(name: "activityId", value: activityID ?? launch.activityID),
                     URLQueryItem(name: "agent", value: (agent ?? launch.actor).canonicalText),
                     URLQueryItem(name: "registration", value: registration ?? launch.registration)]
        if let stateID { items.append(URLQueryItem(name: "stateId", value: stateID)) }
        return "/xapi/activities/state?" + items.map { "\($0.name)=\(Cmi5Launch.encode($0.value ?? ""))" }.joined(separator: "&")
    }

    func launchData(_ launch: Launch, token: String) async throws -> JSONValue {
        let response = try await xapi(.GET, statePath(launch, stateID: Cmi5Vocabulary.launchDataStateID), token: token)
        #expect(response.status == .ok, "LaunchData: \(response.body.string)")
        return try #require(JSONValue.parse(Data(response.body.readableBytesView)))
    }

    func statements(verb: Cmi5Vocabulary.Verb) async throws -> [XAPIStatementRecord] {
        try await XAPIStatementRecord.query(on: app.db).filter(\.$verbID == verb.rawValue).all()
    }

    func attempt(_ module: String) async throws -> ModuleAttempt? {
        try await ModuleAttempt.query(on: app.db).filter(\.$enrolment.$id == enrolmentID).filter(\.$moduleKey == module).first()
    }

    static let duration = JSONValue.object(["duration": .string("PT1M")])
    static let completed = JSONValue.object(["completion": .bool(true), "duration": .string("PT1M")])
    static func passed(_ scaled: Double) -> JSONValue {
        .object(["success": .bool(true), "score": .object(["scaled": .number(scaled)]), "duration": .string("PT1M")])
    }
}
