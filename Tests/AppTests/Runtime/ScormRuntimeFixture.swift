@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The small test SCOs in Fixtures/Runtime imported for real, a learner "An Peeters" enrolled in them and
/// signed in, and the runtime endpoint's JSON spoken the way the adapter speaks it.
struct ScormRuntimeFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Runtime")

    let app: Application
    let browser: Browser
    let userID: UUID
    let enrolmentID: UUID
    let slug: String
    let moduleKey: String

    var runtimePath: String { SiteRoute.scormRuntime(slug: slug, module: moduleKey).path }
    var playerPath: String { SiteRoute.player(slug: slug, module: moduleKey).path }

    /// Imports Fixtures/Runtime/<folder> (scorm12 or scorm2004) as a published course.
    static func importCourse(_ folderName: String, into app: Application) async throws -> (courseID: UUID, versionID: UUID, slug: String) {
        let folder = Self.folder.appendingPathComponent(folderName)
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
            TestZip.Entry.file(name, try Data(contentsOf: folder.appendingPathComponent(name)))
        }
        let outcome = try await app.importPackage(at: try TestZip.make(entries), options: .init(publish: true))
        let courseID = try #require(outcome.courseID, "imported \(folderName): \(outcome.status)")
        let course = try #require(try await Course.find(courseID, on: app.db))
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == courseID).first())
        return (courseID, try version.requireID(), course.slug)
    }

    static func make(_ app: Application, _ folderName: String, email: String = "an.peeters@zorgraad.be",
                     enrol: Bool = true) async throws -> ScormRuntimeFixture {
        let course = try await importCourse(folderName, into: app)
        let user = User(email: email, name: "An Peeters", passwordHash: try app.password.hash("een lang wachtwoord"),
                        role: .learner, profession: "gp")
        try await user.save(on: app.db)
        let browser = Browser(app)
        let login = try await browser.post("/login", form: ["email": email, "password": "een lang wachtwoord"])
        #expect(login.status == .seeOther, "signed in")
        let enrolment = Enrolment(userID: try user.requireID(), courseID: course.courseID, versionID: course.versionID)
        enrolment.status = enrol ? .active : .withdrawn
        try await enrolment.save(on: app.db)
        let module = try #require(try await CourseModule.query(on: app.db).filter(\.$version.$id == course.versionID)
            .filter(\.$kind == "sco").first())
        return ScormRuntimeFixture(app: app, browser: browser, userID: try user.requireID(), enrolmentID: try enrolment.requireID(),
                                   slug: course.slug, moduleKey: module.key)
    }

    // MARK: - The endpoint

    struct Start: Decodable {
        var version: String
        var attempt: Int
        var session: Int
        var sequence: Int
        var entry: String
        var values: [String: String]
        var counts: [String: Int]
        var completionThreshold: Double?
        var scaledPassingScore: Double?
        var model: ScormClientModel
        var completion: String
        var success: String
        var courseComplete: Bool
    }

    struct Committed: Decodable {
        var result: RuntimeCommitResult
        var values: [String: String]?
        var counts: [String: Int]?
        var completion: String
        var success: String
        var scoreScaled: Double?
        var courseComplete: Bool
    }

    func start() async throws -> Start {
        let response = try await browser.get(runtimePath)
        #expect(response.status == .ok, "GET runtime: \(response.body.string)")
        return try JSONDecoder().decode(Start.self, from: Data(response.body.readableBytesView))
    }

    func post(_ body: Data, csrf: Bool = true, cookies: Bool = true) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if csrf { headers.replaceOrAdd(name: "X-CSRF-Token", value: browser.csrf) }
        if cookies {
            headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var buffer = ByteBufferAllocator().buffer(capacity: body.count)
        buffer.writeBytes(body)
        return try await app.testing().sendRequest(.POST, runtimePath, headers: headers, body: buffer)
    }

    func post(_ batch: RuntimeCommit) async throws -> TestingHTTPResponse {
        try await post(try JSONEncoder().encode(batch))
    }

    /// Posts a batch that must be answered with 200, and decodes the answer.
    func commit(_ batch: RuntimeCommit) async throws -> Committed {
        let response = try await post(batch)
        #expect(response.status == .ok, "POST runtime: \(response.body.string)")
        return try JSONDecoder().decode(Committed.self, from: Data(response.body.readableBytesView))
    }

    func attempts() async throws -> [ModuleAttempt] {
        try await ModuleAttempt.query(on: app.db).filter(\.$enrolment.$id == enrolmentID).filter(\.$moduleKey == moduleKey)
            .sort(\.$number).all()
    }

    func state(of attempt: ModuleAttempt) throws -> ScormAttemptState {
        try JSONDecoder().decode(ScormAttemptState.self, from: Data(try #require(attempt.state).utf8))
    }
}

extension RuntimeCommit {
    /// A batch of SetValue calls written as element/value pairs.
    init(_ start: ScormRuntimeFixture.Start, sequence: Int, initialize: Bool = false, _ calls: [(String, String)] = [],
         commit: Bool = false, terminate: Bool = false) {
        self.init(sequence: sequence, initialize: initialize, calls: calls.map { SetValueCall(element: $0.0, value: $0.1) },
                  commit: commit, terminate: terminate, attempt: start.attempt, session: start.session)
    }
}
