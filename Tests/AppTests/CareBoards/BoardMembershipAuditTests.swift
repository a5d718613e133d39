@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Memberships open and close courses, so every change to one lands in the audit trail with who, before and
/// after: through the admin pages, the JSON API and a CSV import alike.
@Suite struct BoardMembershipAuditTests {
    static func events(_ app: Application) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: app.db).filter(\.$subjectType == "board-membership").sort(\.$createdAt).all()
    }

    @Test(arguments: TestDatabase.all)
    func addingChangingAndEndingThroughTheAPIIsAudited(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await BoardAccessPageTests.loadBoards(app)
            _ = try await BoardAdminPageTests.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let admin = try await BoardAdminPageTests.admin(app)

            let created = try await CareBoardAPITests.send(admin, .POST, "/api/v1/care-boards/ZR-HERKENRODE/memberships",
                                                           json: #"{"email":"jan@zorgraad.be","role":"member","cluster":"care","validFrom":"2026-01-01"}"#)
            let id = try #require(try CareBoardAPITests.json(created)["id"] as? String)
            let refused = try await CareBoardAPITests.send(admin, .PATCH, "/api/v1/care-boards/ZR-HERKENRODE/memberships/\(id)",
                                                           json: #"{"validUntil":"someday"}"#)
            _ = try await CareBoardAPITests.send(admin, .PATCH, "/api/v1/care-boards/ZR-HERKENRODE/memberships/\(id)",
                                                 json: #"{"role":"chair"}"#)
            _ = try await CareBoardAPITests.send(admin, .PATCH, "/api/v1/care-boards/ZR-HERKENRODE/memberships/\(id)", json: #"{"end":true}"#)
            let log = try await admin.get("/admin/audit").body.string

            let events = try await Self.events(app)
            #expect(refused.status == .unprocessableEntity)
            #expect(events.map(\.action) == ["board-membership.add", "board-membership.change", "board-membership.end"],
                    "a refused change writes nothing")
            #expect(events.allSatisfy { $0.subjectID == id.lowercased() && $0.actorName.contains("admin@vivel.test") })
            #expect(events[0].beforeJSON == nil)
            #expect(events[0].afterJSON?.contains(#""board":"ZR-HERKENRODE""#) == true)
            #expect(events[0].afterJSON?.contains(#""person":"jan@zorgraad.be""#) == true)
            #expect(events[1].beforeJSON?.contains(#""role":"member""#) == true && events[1].afterJSON?.contains(#""role":"chair""#) == true)
            #expect(events[2].afterJSON?.contains("\"validUntil\":\"\(BoardAccessPageTests.day(-1).iso)\"") == true)
            #expect(log.contains("Lidmaatschap van een zorgraad beëindigd"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func endingOnThePageAndImportingAFileAreAuditedButADryRunIsNot(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await BoardAdminPageTests.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            _ = try await BoardAdminPageTests.user(app, "an@zorgraad.be", name: "An Claes")
            let membership = BoardMembership(userID: jan, boardID: boards.gent, role: .member, validFrom: BoardAccessPageTests.day(-30))
            try await membership.save(on: app.db)
            let admin = try await BoardAdminPageTests.admin(app)
            let csv = "email,board,role,cluster\nan@zorgraad.be,ZR-GENT,member,welfare\njan@zorgraad.be,ZR-GENT,member,care\n"

            _ = try await admin.post("/admin/boards/ZR-GENT/memberships/\(membership.id!.uuidString.lowercased())/end", form: [:])
            let checked = try await admin.post("/admin/boards/import", form: ["csv": csv])
            let afterDryRun = try await Self.events(app).count
            let applied = try await admin.post("/admin/boards/import/apply", form: ["csv": csv])

            let events = try await Self.events(app)
            #expect(checked.status == .ok && (applied.status == .ok || applied.status == .seeOther))
            #expect(afterDryRun == 1, "a dry run changes nothing and audits nothing")
            #expect(events.map(\.action) == ["board-membership.end", "board-membership.import"])
            let imported = try #require(events.last?.afterJSON)
            #expect(imported.contains(#""added":1"#) && imported.contains(#""changed":1"#))
            #expect(imported.contains("an@zorgraad.be ZR-GENT member (welfare)"))
        }
    }
}
