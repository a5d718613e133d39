@testable import App
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

/// The partners' export API through the real app, on both databases: tokens, scope, cursors, formats, audit.
@Suite struct AccreditationRecordAPITests {
    /// One learner's completion of one course; records hang off it.
    struct Base {
        let completionID: UUID
        let userID: UUID
        let courseID: UUID
        let versionID: UUID
    }

    static func base(_ app: Application) async throws -> Base {
        let written = try await TestCourses.publish(TestCourses.package(slug: "wondzorg", title: "Wondzorg"), on: app.db)
        let user = User(email: "an@praktijk.be", name: "An Peeters", passwordHash: "-", role: .learner, profession: "gp",
                        registrationNumber: "12345625003")
        try await user.create(on: app.db)
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == written.courseID).first())
        let enrolment = Enrolment(userID: try user.requireID(), courseID: written.courseID, versionID: try version.requireID())
        try await enrolment.create(on: app.db)
        let completion = CourseCompletion()
        completion.$enrolment.id = try enrolment.requireID()
        completion.$user.id = try user.requireID()
        completion.$course.id = written.courseID
        completion.$version.id = try version.requireID()
        completion.cycle = 1
        completion.completedAt = Date()
        completion.evidenceJSON = "{}"
        try await completion.create(on: app.db)
        return Base(completionID: try completion.requireID(), userID: try user.requireID(), courseID: written.courseID,
                    versionID: try version.requireID())
    }

    @discardableResult
    static func record(_ base: Base, body: String, name: String, on db: any Database) async throws -> AccreditationRecord {
        let record = AccreditationRecord()
        record.issueKey = UUID().uuidString
        record.kind = .issued
        record.$completion.id = base.completionID
        record.$user.id = base.userID
        record.learnerName = name
        record.registrationNumber = "12345625003"
        record.$course.id = base.courseID
        record.$version.id = base.versionID
        record.versionNumber = 1
        record.courseTitle = "Wondzorg"
        record.body = body
        record.activityNumber = "ACT-\(body)"
        record.points = 1
        record.unit = "CP"
        record.completedAt = Date()
        record.completedOn = "2026-11-23"
        record.verificationCode = VerificationCode.make()
        record.createdAt = Date()
        try await record.create(on: db)
        return record
    }

    static func partner(_ app: Application, name: String, bodies: [String], expiresAt: Date? = nil) async throws -> String {
        let partner = Partner(name: name, contact: nil, bodies: bodies, courseIDs: [])
        try await partner.create(on: app.db)
        let (token, secret) = APIToken.make(partnerID: try partner.requireID(), label: "test", expiresAt: expiresAt)
        try await token.create(on: app.db)
        return secret
    }

    static func get(_ app: Application, _ path: String, token: String?, accept: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        if let accept { headers.replaceOrAdd(name: .accept, value: accept) }
        return try await app.testing().sendRequest(.GET, path, headers: headers)
    }

    /// On PostgreSQL a record is handed out once no older transaction is running anywhere on the server, and
    /// other suites' tests run beside this one: wait until every record written so far may be handed out.
    static func settle(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name != "sqlite" else { return }
        struct Row: Decodable { let ready: Bool }
        for _ in 0..<100 {
            let row = try await sql.raw("""
                SELECT COALESCE(MAX(export_xid), 0) < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS ready
                FROM accreditation_records
                """).first(decoding: Row.self)
            if row?.ready == true { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    static func poll(_ app: Application, since cursor: String, token: String) async throws -> TestingHTTPResponse {
        try await settle(app)
        return try await get(app, "/api/v1/accreditation-records?since=\(cursor)", token: token)
    }

    static func names(_ response: TestingHTTPResponse) throws -> [String] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        return ((document["records"] as? [[String: Any]]) ?? []).compactMap { $0["learnerName"] as? String }
    }

    @Test(arguments: TestDatabase.all)
    func tokensAreCheckedAndEachSeesOnlyItsScope(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await Self.base(app)
            try await Self.record(base, body: "riziv-inami", name: "Arts Een", on: app.db)
            try await Self.record(base, body: "apb", name: "Apotheker Een", on: app.db)
            let riziv = try await Self.partner(app, name: "RIZIV", bodies: ["riziv-inami"])
            let apb = try await Self.partner(app, name: "APB", bodies: ["apb"])
            let expired = try await Self.partner(app, name: "Oud", bodies: ["apb"], expiresAt: Date().addingTimeInterval(-60))
            try await Self.settle(app)
            let path = "/api/v1/accreditation-records"

            let none = try await Self.get(app, path, token: nil)
            let unknown = try await Self.get(app, path, token: "vivel_nope")
            let old = try await Self.get(app, path, token: expired)
            let forRiziv = try await Self.get(app, path, token: riziv)
            let forAPB = try await Self.get(app, path, token: apb)
            let token = try #require(try await APIToken.query(on: app.db).filter(\.$tokenHash == APIToken.hash(apb)).first())
            token.revokedAt = Date()
            try await token.save(on: app.db)
            let revoked = try await Self.get(app, path, token: apb)

            #expect(none.status == .unauthorized && none.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(none.headers.contentType?.description.contains("problem+json") == true)
            #expect(unknown.status == .unauthorized && unknown.body.string.contains("not known"))
            #expect(old.status == .unauthorized && old.body.string.contains("expired"))
            #expect(revoked.status == .unauthorized && revoked.body.string.contains("revoked"))
            #expect(try Self.names(forRiziv) == ["Arts Een"])
            #expect(try Self.names(forAPB) == ["Apotheker Een"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func pollingWithTheCursorDeliversEveryRecordOnceAndInOrder(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await Self.base(app)
            let token = try await Self.partner(app, name: "medi-Campus", bodies: ["riziv-inami"])
            for name in ["A", "B", "C"] { try await Self.record(base, body: "riziv-inami", name: name, on: app.db) }
            try await Self.settle(app)

            let firstPage = try await Self.get(app, "/api/v1/accreditation-records?limit=2", token: token)
            let cursor1 = try #require(firstPage.headers.first(name: "Academy-Next-Cursor"))
            let secondPage = try await Self.get(app, "/api/v1/accreditation-records?since=\(cursor1)&limit=2", token: token)
            let cursor2 = try #require(secondPage.headers.first(name: "Academy-Next-Cursor"))
            let empty = try await Self.get(app, "/api/v1/accreditation-records?since=\(cursor2)", token: token)
            try await Self.record(base, body: "riziv-inami", name: "D", on: app.db)
            let later = try await Self.poll(app, since: cursor2, token: token)
            let bad = try await Self.get(app, "/api/v1/accreditation-records?since=garbage", token: token)

            #expect(try Self.names(firstPage) == ["A", "B"])
            #expect(try Self.names(secondPage) == ["C"])
            #expect(try Self.names(empty) == [] && empty.headers.first(name: "Academy-Next-Cursor") == cursor2)
            #expect(try Self.names(later) == ["D"])
            #expect(bad.status == .badRequest && bad.body.string.contains("Academy-Next-Cursor"))
            let logs = try await ExportLog.query(on: app.db).all()
            #expect(logs.count >= 4 && logs.map(\.recordCount).reduce(0, +) == 4, "every export is logged with its count")
        }
    }

    @Test(arguments: TestDatabase.all)
    func csvAndNDJSONFollowTheAcceptHeaderOrTheFormatParameter(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await Self.base(app)
            let token = try await Self.partner(app, name: "Meduca", bodies: ["riziv-inami"])
            try await Self.record(base, body: "riziv-inami", name: "Dupré; \"Ève\"", on: app.db)
            try await Self.settle(app)

            let csv = try await Self.get(app, "/api/v1/accreditation-records", token: token, accept: "text/csv")
            let excel = try await Self.get(app, "/api/v1/accreditation-records?format=csv-excel", token: token)
            let ndjson = try await Self.get(app, "/api/v1/accreditation-records?format=ndjson", token: token)
            let unknown = try await Self.get(app, "/api/v1/accreditation-records?format=xml", token: token)

            let lines = csv.body.string.split(separator: "\r\n")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            try #require(lines.count == 2)
            #expect(lines[1].hasPrefix("12345625003,\"Dupré; \"\"Ève\"\"\",,"))
            #expect(Array(excel.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(ndjson.body.string.split(separator: "\n").count == 1)
            #expect(unknown.status == .badRequest && unknown.body.string.contains("csv-excel"))
        }
    }

    /// A record whose transaction commits after a later one must not fall behind a cursor already handed out.
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func aRecordCommittedLateIsNotSkipped(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await Self.base(app)
            let token = try await Self.partner(app, name: "IPSA", bodies: ["riziv-inami"])
            let inserted = AsyncStream<Void>.makeStream()
            let release = AsyncStream<Void>.makeStream()

            let slow = Task {
                try await app.db.transaction { db in
                    try await Self.record(base, body: "riziv-inami", name: "Early but slow", on: db)
                    inserted.continuation.yield()
                    for await _ in release.stream { break }
                }
            }
            for await _ in inserted.stream { break }
            try await Self.record(base, body: "riziv-inami", name: "Late but quick", on: app.db)
            let whileOpen = try await Self.get(app, "/api/v1/accreditation-records", token: token)
            let cursor = try #require(whileOpen.headers.first(name: "Academy-Next-Cursor"))
            release.continuation.yield()
            try await slow.value
            let afterCommit = try await Self.poll(app, since: cursor, token: token)

            #expect(try Self.names(whileOpen) == [], "nothing is handed out while an older transaction may still commit")
            #expect(try Self.names(afterCommit) == ["Early but slow", "Late but quick"])
        }
    }

    @Test func recordsMatchTheOpenAPIDescription() async throws {
        try await withAcademy(.sqlite) { app in
            let base = try await Self.base(app)
            let token = try await Self.partner(app, name: "RIZIV", bodies: ["riziv-inami"])
            try await Self.record(base, body: "riziv-inami", name: "Arts", on: app.db)

            let page = try await Self.get(app, "/api/v1/accreditation-records", token: token)
            let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
            let schemas = (document["components"] as! [String: Any])["schemas"] as! [String: Any]
            let required = (schemas["AccreditationRecord"] as! [String: Any])["required"] as! [String]
            let body = try JSONSerialization.jsonObject(with: Data(page.body.readableBytesView)) as! [String: Any]
            let record = try #require((body["records"] as? [[String: Any]])?.first)

            #expect(required.allSatisfy { record[$0] != nil }, "\(required.filter { record[$0] == nil })")
            #expect(body["next"] as? String == page.headers.first(name: "Academy-Next-Cursor"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func partnersAndTokensAreManagedFromTheCommandLine(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            func run(_ arguments: [String]) async throws {
                var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["academy"] + arguments))
                context.application = app
                try await app.asyncCommands.commands["partner"]!.run(using: &context)
            }
            try await run(["add", "--name", "medi-Campus", "--bodies", "riziv-inami, apb"])
            let duplicate = await #expect(throws: CommandFailure.self) { try await run(["add", "--name", "medi-Campus", "--bodies", "apb"]) }
            let empty = await #expect(throws: CommandFailure.self) { try await run(["add", "--name", "Leeg"]) }
            try await run(["token-create", "medi-Campus", "--label", "nightly", "--expires-days", "30"])
            let token = try #require(try await APIToken.query(on: app.db).first())
            try await run(["token-revoke", token.prefix])

            let partner = try #require(try await Partner.query(on: app.db).first())
            #expect(partner.bodies == ["riziv-inami", "apb"])
            #expect(duplicate?.description.contains("exists already") == true)
            #expect(empty?.description.contains("--bodies") == true)
            #expect(token.label == "nightly" && token.prefix.hasPrefix("vivel_") && token.tokenHash.count == 64)
            #expect(try await APIToken.find(token.requireID(), on: app.db)?.revokedAt != nil)
        }
    }
}

@Suite struct GenerateRecordsCommandTests {
    @Test(arguments: TestDatabase.all)
    func syntheticRecordsReadBackThroughTheExport(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["academy", "--count", "250"]))
            context.application = app
            try await app.asyncCommands.commands["generate-records"]!.run(using: &context)
            try await AccreditationRecordAPITests.settle(app)

            let partner = try #require(try await Partner.query(on: app.db).filter(\.$name == "benchmark").first())
            let export = RecordExport(database: app.db, scope: partner.scope, pageSize: 100)
            let window = try await export.window(after: .start, limit: nil)
            var names: [String] = []
            try await export.forEach(in: window) { names.append($0.learnerName) }

            #expect(names.count == 250)
            #expect(names.first == "Leerling 1" && names.last == "Leerling 250", "in the order they were written")
        }
    }
}
