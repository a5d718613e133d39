@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// POST /api/v1/packages with a trainer's own token: the zip as the body, the report as JSON.
@Suite struct PackageAPITests {
    static func trainer(_ app: Application, email: String = "api@vivel.test", role: User.Role = .trainer,
                        scopes: [String] = [UserAPIToken.packagesScope]) async throws -> String {
        let user = User(email: email, name: "Api Trainer", passwordHash: "x", role: role, profession: "gp")
        try await user.save(on: app.db)
        let (token, secret) = UserAPIToken.make(userID: try user.requireID(), label: "test", scopes: scopes, expiresAt: nil)
        try await token.create(on: app.db)
        return secret
    }

    static func post(_ app: Application, _ query: String = "", token: String?, zip: Data) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .zip
        if let token { headers.bearerAuthorization = .init(token: token) }
        return try await app.testing().sendRequest(.POST, "/api/v1/packages" + query, headers: headers, body: ByteBuffer(data: zip))
    }

    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func zip(_ identifier: String, items: [(String, String)] = [("a", "Een")]) throws -> Data {
        try Data(contentsOf: try TestZip.make(CourseVersionsTests.package(identifier, items: items)))
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerPublishesANewCourseAnd201CarriesTheReport(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let token = try await Self.trainer(app)
            let zip = try Self.zip("api.one")

            let response = try await Self.post(app, "?publish=true", token: token, zip: zip)

            #expect(response.status == .created)
            #expect(response.headers.contentType?.subType == "json")
            let report = try Self.json(response)
            #expect(report["status"] as? String == "created")
            #expect(report["version"] as? Int == 1)
            #expect(report["published"] as? Bool == true)
            let slug = try #require(report["slug"] as? String)
            let plan = try #require(report["plan"] as? [String: Any])
            #expect(plan["action"] as? String == "new-course" && plan["slug"] as? String == slug)
            #expect((report["errors"] as? [Any])?.isEmpty == true)
            #expect(response.headers.first(name: .location) == "/api/v1/courses/\(slug)")
            let course = try await CourseVersionsTests.course(app, "api.one")
            #expect(try await CourseOwnership(database: app.db).owners(of: course.requireID()).map(\.email) == ["api@vivel.test"])
            #expect(try await Browser(app).get("/courses/\(slug)").status == .ok)
            #expect(TrainerUploadTests.uploadsLeft(app).isEmpty, "the streamed body is removed after the import")

            let again = try await Self.post(app, "?publish=true", token: token, zip: zip)
            #expect(again.status == .ok)
            #expect(try Self.json(again)["status"] as? String == "unchanged")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDryRunWritesNothingAndSaysWhatWouldHappen(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let token = try await Self.trainer(app)

            let response = try await Self.post(app, "?dry_run=true&publish=true", token: token, zip: try Self.zip("api.dry"))

            #expect(response.status == .ok)
            let report = try Self.json(response)
            #expect(report["status"] as? String == "dry-run")
            #expect((report["plan"] as? [String: Any])?["action"] as? String == "new-course")
            #expect(try await Course.query(on: app.db).count() == 0)
            let wrong = try await Self.post(app, "?dry_run=maybe", token: token, zip: try Self.zip("api.dry"))
            #expect(wrong.status == .badRequest)
            #expect(wrong.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBrokenPackageIs422WithFileLineColumnMessageAndHint(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let token = try await Self.trainer(app)
            let manifest = PackageFixtures.scorm12("""
            <organizations default="org"><organization identifier="org"><title>Kapot</title>
            <item identifier="i1" identifierref="nowhere"><title>Pagina</title></item>
            </organization></organizations>
            <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
            <file href="index.html"/></resource></resources>
            """, identifier: "api.broken")
            let zip = try Data(contentsOf: try TestZip.make([.text("imsmanifest.xml", manifest), .text("index.html", "<p>x</p>")]))

            let response = try await Self.post(app, "?publish=true", token: token, zip: zip)

            #expect(response.status == .unprocessableEntity)
            let report = try Self.json(response)
            #expect(report["status"] as? String == "refused")
            let error = try #require((report["errors"] as? [[String: Any]])?.first)
            #expect(error["file"] as? String == "imsmanifest.xml")
            #expect(error["line"] as? Int == 7)
            #expect(error["column"] is Int)
            #expect((error["message"] as? String)?.contains("nowhere") == true)
            #expect(error["hint"] is String)
            #expect(try await Course.query(on: app.db).count() == 0)
            #expect(try await Self.post(app, token: token, zip: Data()).status == .badRequest, "an empty body")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCourseOwnedBySomeoneElseIsRefusedWithTheOwnerNamed(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let owner = try await Self.trainer(app, email: "owner@vivel.test")
            let other = try await Self.trainer(app, email: "other@vivel.test")
            #expect(try await Self.post(app, "?publish=true", token: owner, zip: try Self.zip("api.owned")).status == .created)

            let response = try await Self.post(app, token: other, zip: try Self.zip("api.owned", items: [("a", "Een"), ("b", "Twee")]))

            #expect(response.status == .unprocessableEntity)
            let error = try #require((try Self.json(response)["errors"] as? [[String: Any]])?.first)
            #expect(error["code"] as? String == "course.not.owner")
            #expect((error["message"] as? String)?.contains("owner@vivel.test") == true)
            #expect(try await CourseVersion.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func authenticationErrorsAreProblemDocuments(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try Self.zip("api.auth")
            let readOnly = try await Self.trainer(app, email: "scope@vivel.test", scopes: ["records:read"])
            let learner = try await Self.trainer(app, email: "learner@vivel.test", role: .learner)
            let revoked = try await Self.trainer(app, email: "revoked@vivel.test")
            let row = try #require(try await UserAPIToken.query(on: app.db).filter(\.$tokenHash == APIToken.hash(revoked)).first())
            row.revokedAt = Date()
            try await row.save(on: app.db)

            let cases: [(String?, HTTPResponseStatus, String)] = [
                (nil, .unauthorized, "Authorization: Bearer"),
                ("vivel_unknown", .unauthorized, "not known"),
                (revoked, .unauthorized, "revoked"),
                (readOnly, .forbidden, "packages:write"),
                (learner, .forbidden, "no longer a trainer"),
            ]
            for (token, status, words) in cases {
                let response = try await Self.post(app, token: token, zip: zip)
                #expect(response.status == status, "\(words)")
                #expect(response.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
                let problem = try Self.json(response)
                #expect(problem["status"] as? Int == Int(status.code))
                #expect((problem["detail"] as? String)?.contains(words) == true, "\(problem)")
            }
            #expect(try await Course.query(on: app.db).count() == 0)
        }
    }

    @Test func theReportMatchesTheOpenAPIDescription() async throws {
        try await withAcademy(.sqlite) { app in
            let token = try await Self.trainer(app)
            let report = try Self.json(try await Self.post(app, "?publish=true", token: token, zip: try Self.zip("api.doc")))
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let required = ((schemas["ImportReport"] as? [String: Any])?["required"] as? [String]) ?? []
            #expect(!required.isEmpty && required.allSatisfy { report[$0] != nil })
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(paths["/api/v1/packages"] != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerMakesATokenOnTheTokensPageSeesItOnceAndRevokesIt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await TrainerUploadTests.signIn(app, role: .trainer)
            let empty = try await browser.get("/trainer/api-tokens")
            #expect(empty.status == .ok)

            let created = try await browser.post("/trainer/api-tokens", form: ["label": "Storyline", "days": "90"])

            #expect(created.status == .ok)
            let html = created.body.string
            let range = try #require(html.range(of: #"vivel_[A-Za-z0-9_-]{40,}"#, options: .regularExpression))
            let secret = String(html[range])
            #expect(html.contains("Storyline"))
            let listed = try await browser.get("/trainer/api-tokens")
            #expect(!listed.body.string.contains(secret), "shown once")
            #expect(try await Self.post(app, "?dry_run=true", token: secret, zip: try Self.zip("api.page")).status == .ok)

            let id = try #require(try await UserAPIToken.query(on: app.db).first()?.id)
            let stranger = try await TrainerUploadTests.signIn(app, role: .trainer, email: "stranger@vivel.test")
            #expect(try await stranger.post("/trainer/api-tokens/\(id.uuidString.lowercased())/revoke", form: [:]).status == .notFound)
            let revoked = try await browser.post("/trainer/api-tokens/\(id.uuidString.lowercased())/revoke", form: [:])
            #expect(revoked.status == .seeOther)
            #expect(try await Self.post(app, "?dry_run=true", token: secret, zip: try Self.zip("api.page")).status == .unauthorized)
            let learner = try await TrainerUploadTests.signIn(app, role: .learner, email: "l@vivel.test")
            #expect(try await learner.get("/trainer/api-tokens").status == .forbidden)
        }
    }
}
