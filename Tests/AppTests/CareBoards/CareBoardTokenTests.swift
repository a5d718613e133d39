@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The boards API with a person's own API token (scope `boards`): 401 without a usable token, 403 without the
/// scope or the rights, and the holder's own rights otherwise (board staff their board, even as learners).
@Suite struct CareBoardTokenTests {
    static func token(_ app: Application, user: UUID, scopes: [String] = [UserAPIToken.boardsScope],
                      expiresAt: Date? = nil) async throws -> String {
        let (token, secret) = UserAPIToken.make(userID: user, label: "test", scopes: scopes, expiresAt: expiresAt)
        try await token.create(on: app.db)
        return secret
    }

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        var body = ByteBuffer()
        if let json {
            headers.contentType = .json
            body.writeString(json)
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }

    @Test(arguments: TestDatabase.all)
    func tokensWithTheBoardsScopeCarryTheHoldersRights(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let staffID = try await BoardAdminPageTests.user(app, "staf@herkenrode.be", name: "Sam Staf")
            try await BoardMembership(userID: staffID, boardID: boards.herkenrode, role: .staff).save(on: app.db)
            let learnerID = try await BoardAdminPageTests.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let adminID = try await BoardAdminPageTests.user(app, "admin@vivel.test", name: "Ada Admin", role: .admin)
            let staff = try await Self.token(app, user: staffID)
            let learner = try await Self.token(app, user: learnerID)
            let admin = try await Self.token(app, user: adminID)
            let packagesOnly = try await Self.token(app, user: adminID, scopes: [UserAPIToken.packagesScope])
            let expired = try await Self.token(app, user: adminID, expiresAt: Date().addingTimeInterval(-60))

            let none = try await Self.send(app, .GET, "/api/v1/care-boards", token: nil)
            let unknown = try await Self.send(app, .GET, "/api/v1/care-boards", token: "vivel_not-a-token")
            let old = try await Self.send(app, .GET, "/api/v1/care-boards", token: expired)
            let wrongScope = try await Self.send(app, .GET, "/api/v1/care-boards", token: packagesOnly)
            let notStaff = try await Self.send(app, .GET, "/api/v1/care-boards", token: learner)
            let adminList = try await Self.send(app, .GET, "/api/v1/care-boards", token: admin)
            let staffList = try await Self.send(app, .GET, "/api/v1/care-boards", token: staff)
            let otherBoard = try await Self.send(app, .GET, "/api/v1/care-boards/ZR-GENT", token: staff)
            let added = try await Self.send(app, .POST, "/api/v1/care-boards/ZR-HERKENRODE/memberships", token: staff,
                                            json: #"{"email":"jan@zorgraad.be","role":"member","cluster":"care"}"#)

            #expect(none.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(old.status == .unauthorized)
            #expect(wrongScope.status == .forbidden)
            #expect(notStaff.status == .forbidden)
            #expect(adminList.status == .ok)
            #expect(((try CareBoardAPITests.json(adminList))["items"] as? [Any])?.count ?? 0 > 1)
            #expect(staffList.status == .ok)
            #expect(((try CareBoardAPITests.json(staffList))["items"] as? [[String: Any]])?.map { $0["code"] as? String } == ["ZR-HERKENRODE"])
            #expect(otherBoard.status == .forbidden)
            #expect(added.status == .created)
            #expect(!staffList.headers[.setCookie].contains { $0.contains("session") }, "a token call opens no session")
        }
    }
}
