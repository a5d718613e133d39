@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// /api/v1/care-boards: the pages' permissions, problem documents, and the OpenAPI description.
@Suite struct CareBoardAPITests {
    static func json(_ response: TestingHTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    static func send(_ browser: Browser, _ method: HTTPMethod, _ path: String, json body: String,
                     contentType: String = "application/json") async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        var buffer = ByteBufferAllocator().buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        return try await browser.app.testing().sendRequest(method, path, headers: headers, body: buffer)
    }

    @Test(arguments: TestDatabase.all)
    func adminsListBoardsReadOneAddChangeAndEndMemberships(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await BoardAdminPageTests.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            try await BoardMembership(userID: jan, boardID: boards.gent, role: .member).save(on: app.db)
            let admin = try await BoardAdminPageTests.admin(app)

            let list = try Self.json(try await admin.get("/api/v1/care-boards"))
            let created = try await Self.send(admin, .POST, "/api/v1/care-boards/zr-herkenrode/memberships",
                                              json: #"{"email":"JAN@zorgraad.be","role":"member","cluster":"care","validFrom":"2026-01-01"}"#)
            let createdBody = try Self.json(created)
            let id = try #require(createdBody["id"] as? String)
            let changed = try await Self.send(admin, .PATCH, "/api/v1/care-boards/ZR-HERKENRODE/memberships/\(id)",
                                              json: #"{"role":"chair","validUntil":"2026-12-31"}"#)
            let detail = try Self.json(try await admin.get("/api/v1/care-boards/ZR-HERKENRODE"))
            let ended = try await Self.send(admin, .PATCH, "/api/v1/care-boards/ZR-HERKENRODE/memberships/\(id)", json: #"{"end":true}"#)

            let items = try #require(list["items"] as? [[String: Any]])
            let boardCount = try await CareBoard.query(on: app.db).count()
            #expect(items.count == boardCount)
            let gent = try #require(items.first { $0["code"] as? String == "ZR-GENT" })
            #expect(gent["members"] as? Int == 1 && gent["province"] as? String == "oost-vlaanderen")
            #expect(created.status == .created)
            #expect(createdBody["email"] as? String == "jan@zorgraad.be" && createdBody["cluster"] as? String == "care")
            #expect(changed.status == .ok)
            #expect(try Self.json(changed)["role"] as? String == "chair")
            #expect(try Self.json(changed)["cluster"] as? String == "care", "fields left out keep their value")
            let memberships = try #require(detail["memberships"] as? [[String: Any]])
            #expect(memberships.count == 1 && memberships.first?["validUntil"] as? String == "2026-12-31")
            #expect(((detail["board"] as? [String: Any])?["members"]) as? Int == 1)
            #expect(ended.status == .ok)
            #expect(try Self.json(ended)["current"] as? Bool == false)
            #expect(try Self.json(ended)["validUntil"] as? String == BoardAccessPageTests.day(-1).iso)
        }
    }

    @Test(arguments: TestDatabase.all)
    func errorsAreProblemDocumentsThatSayWhatIsWrong(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await BoardAccessPageTests.loadBoards(app)
            let admin = try await BoardAdminPageTests.admin(app)

            let invalid = try await Self.send(admin, .POST, "/api/v1/care-boards/ZR-GENT/memberships",
                                              json: #"{"email":"niemand","role":"boss","validFrom":"2026-02-30"}"#)
            let unknownPerson = try await Self.send(admin, .POST, "/api/v1/care-boards/ZR-GENT/memberships",
                                                    json: #"{"email":"niemand@zorgraad.be","role":"member"}"#)
            let form = try await Self.send(admin, .POST, "/api/v1/care-boards/ZR-GENT/memberships",
                                           json: "email=jan%40zorgraad.be&role=member", contentType: "application/x-www-form-urlencoded")
            let notJSON = try await Self.send(admin, .POST, "/api/v1/care-boards/ZR-GENT/memberships", json: "[1,2")
            let noBoard = try await admin.get("/api/v1/care-boards/ZR-ATLANTIS")
            let anonymous = try await app.testing().sendRequest(.GET, "/api/v1/care-boards")

            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            let errors = try #require(try Self.json(invalid)["errors"] as? [[String: String]])
            #expect(errors.map { $0["field"] ?? "" } == ["email", "role", "validFrom"])
            #expect(unknownPerson.status == .unprocessableEntity)
            #expect(unknownPerson.body.string.contains("niemand@zorgraad.be"))
            #expect(form.status == .unsupportedMediaType, "a cross-site form cannot write through the session")
            #expect(notJSON.status == .badRequest)
            #expect(noBoard.status == .notFound)
            #expect(try Self.json(noBoard)["status"] as? Int == 404)
            #expect(anonymous.status == .unauthorized)
            #expect(try await BoardMembership.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func boardStaffReachOnlyTheirOwnBoard(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let staffID = try await BoardAdminPageTests.user(app, "staf@herkenrode.be", name: "Sam Staf")
            try await BoardMembership(userID: staffID, boardID: boards.herkenrode, role: .staff).save(on: app.db)
            _ = try await BoardAdminPageTests.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let staff = try await BoardAdminPageTests.signIn(app, "staf@herkenrode.be")

            let list = try Self.json(try await staff.get("/api/v1/care-boards"))
            let other = try await staff.get("/api/v1/care-boards/ZR-GENT")
            let otherAdd = try await Self.send(staff, .POST, "/api/v1/care-boards/ZR-GENT/memberships", json: #"{"email":"jan@zorgraad.be","role":"member"}"#)
            let staffRole = try await Self.send(staff, .POST, "/api/v1/care-boards/ZR-HERKENRODE/memberships", json: #"{"email":"jan@zorgraad.be","role":"staff"}"#)
            let member = try await Self.send(staff, .POST, "/api/v1/care-boards/ZR-HERKENRODE/memberships", json: #"{"email":"jan@zorgraad.be","role":"member"}"#)
            let foreignOrigin: TestingHTTPResponse = try await {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .contentType, value: "application/json")
                headers.replaceOrAdd(name: .origin, value: "https://evil.example")
                headers.replaceOrAdd(name: .host, value: "localhost:8080")
                headers.replaceOrAdd(name: .cookie, value: staff.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                var buffer = ByteBufferAllocator().buffer(capacity: 64)
                buffer.writeString(#"{"email":"jan@zorgraad.be","role":"chair"}"#)
                return try await app.testing().sendRequest(.POST, "/api/v1/care-boards/ZR-HERKENRODE/memberships", headers: headers, body: buffer)
            }()

            #expect((list["items"] as? [[String: Any]])?.map { $0["code"] as? String } == ["ZR-HERKENRODE"])
            #expect(other.status == .forbidden && otherAdd.status == .forbidden && staffRole.status == .forbidden)
            #expect(member.status == .created)
            #expect(foreignOrigin.status == .forbidden)
            #expect(try await BoardMembership.query(on: app.db).count() == 2)
        }
    }

    /// Every care-board route is in the OpenAPI document, and responses carry its required fields.
    @Test func theOpenAPIDocumentDescribesTheCareBoardRoutes() async throws {
        try await withAcademy(.sqlite) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await BoardAdminPageTests.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            try await BoardMembership(userID: jan, boardID: boards.gent, role: .member, cluster: .welfare).save(on: app.db)
            let admin = try await BoardAdminPageTests.admin(app)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            func required(_ name: String) -> [String] { ((schemas[name] as? [String: Any])?["required"] as? [String]) ?? [] }

            let routes = app.routes.all.filter { $0.path.starts(with: ["api", "v1", "care-boards"]) }.map { route in
                ("/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/"), route.method.rawValue.lowercased())
            }
            let detail = try Self.json(try await admin.get("/api/v1/care-boards/ZR-GENT"))
            let list = try Self.json(try await admin.get("/api/v1/care-boards"))

            #expect(routes.count == 4)
            for (path, method) in routes { #expect(paths[path]?[method] != nil, "\(method) \(path) is documented") }
            #expect(required("CareBoardList").allSatisfy { list[$0] != nil })
            #expect(required("CareBoardDetail").allSatisfy { detail[$0] != nil })
            let board = try #require(detail["board"] as? [String: Any])
            #expect(required("CareBoard").allSatisfy { board[$0] != nil })
            let membership = try #require((detail["memberships"] as? [[String: Any]])?.first)
            #expect(required("BoardMembership").allSatisfy { membership[$0] != nil })
        }
    }
}
