@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The care board pages through the real app: admins manage every board, staff only their own.
@Suite struct BoardAdminPageTests {
    static func user(_ app: Application, _ email: String, name: String, role: User.Role = .learner) async throws -> UUID {
        let user = User(email: email, name: name, passwordHash: try app.password.hash("een lang wachtwoord"), role: role, profession: "gp")
        try await user.save(on: app.db)
        return try #require(user.id)
    }

    static func signIn(_ app: Application, _ email: String) async throws -> Browser {
        let browser = Browser(app)
        let response = try await browser.post("/login", form: ["email": email, "password": "een lang wachtwoord"])
        #expect(response.status == .seeOther, "signed in as \(email)")
        return browser
    }

    static func admin(_ app: Application) async throws -> Browser {
        _ = try await user(app, "admin@vivel.test", name: "Ada Admin", role: .admin)
        return try await signIn(app, "admin@vivel.test")
    }

    static func membership(_ app: Application, user: UUID, board: UUID, role: BoardRole = .member) async throws -> BoardMembership? {
        try await BoardMembership.query(on: app.db).filter(\.$user.$id == user).filter(\.$board.$id == board)
            .filter(\.$role == role.rawValue).first()
    }

    @Test(arguments: TestDatabase.all)
    func adminsListEveryBoardWithCountsAndOpenOne(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await Self.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let ella = try await Self.user(app, "ella@zorgraad.be", name: "Ella Maes")
            try await BoardMembership(userID: jan, boardID: boards.herkenrode, role: .member, cluster: .care).save(on: app.db)
            try await BoardMembership(userID: ella, boardID: boards.herkenrode, role: .staff).save(on: app.db)
            try await BoardMembership(userID: ella, boardID: boards.gent, role: .member, validUntil: BoardAccessPageTests.day(-1)).save(on: app.db)
            let browser = try await Self.admin(app)

            let list = try await browser.get("/admin/boards")
            let page = try await browser.get("/admin/boards/ZR-HERKENRODE")
            let gentCurrent = try await browser.get("/admin/boards/ZR-GENT").body.string
            let gentEnded = try await browser.get("/admin/boards/ZR-GENT?show=ended").body.string

            #expect(list.status == .ok)
            let html = list.body.string
            #expect(html.contains("Zorgraad Herkenrode") && html.contains("Zorgraad Gent"))
            let boardCount = try await CareBoard.query(on: app.db).count()
            #expect(html.components(separatedBy: "<tr>").count - 2 == boardCount, "one row per board")
            let herkenrodeRow = try #require(html.components(separatedBy: "<tr>").first { $0.contains("ZR-HERKENRODE") })
            #expect(herkenrodeRow.contains("Limburg"))
            #expect(herkenrodeRow.contains("<td>1</td><td>1</td>"), "one member and one staff")
            #expect(html.contains("href=\"/admin/boards/import\""))
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Jan Peeters") && page.body.string.contains("Lid") && page.body.string.contains("Zorg"))
            #expect(page.body.string.contains("Ella Maes") && page.body.string.contains("Medewerker"))
            #expect(!gentCurrent.contains("Ella Maes"), "an ended membership is not current")
            #expect(gentEnded.contains("Ella Maes"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func addingAMembershipKeepsTheFieldsAndSaysWhatIsWrong(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await Self.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let browser = try await Self.admin(app)

            let form = try await browser.get("/admin/boards/ZR-HERKENRODE/memberships/new")
            let unknown = try await browser.post("/admin/boards/ZR-HERKENRODE/memberships/new", form: [
                "email": "niemand@zorgraad.be", "role": "member", "cluster": "welfare", "validFrom": "2026-01-01", "validUntil": "2025-12-31"])
            let unknownPerson = try await browser.post("/admin/boards/ZR-HERKENRODE/memberships/new", form: [
                "email": "niemand@zorgraad.be", "role": "member", "cluster": "welfare", "validFrom": "2026-01-01"])
            let added = try await browser.post("/admin/boards/ZR-HERKENRODE/memberships/new", form: [
                "email": "Jan@Zorgraad.be", "role": "member", "cluster": "welfare", "validFrom": "2026-01-01"])
            let again = try await browser.post("/admin/boards/ZR-HERKENRODE/memberships/new", form: [
                "email": "jan@zorgraad.be", "role": "member"])
            let boardPage = try await browser.get("/admin/boards/ZR-HERKENRODE").body.string

            #expect(form.status == .ok && form.body.string.contains("name=\"_csrf\""))
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("value=\"niemand@zorgraad.be\""), "the typed address is kept")
            #expect(unknown.body.string.contains("value=\"2026-01-01\""))
            #expect(unknown.body.string.contains("De laatste dag (2025-12-31) ligt voor de eerste (2026-01-01)."))
            #expect(unknown.body.string.contains("<option value=\"welfare\" selected>"))
            #expect(unknownPerson.status == .unprocessableEntity)
            #expect(unknownPerson.body.string.contains("Niemand heeft een account met het adres niemand@zorgraad.be"))
            #expect(added.status == .seeOther)
            let membership = try #require(try await Self.membership(app, user: jan, board: boards.herkenrode))
            #expect(membership.cluster == "welfare" && membership.validFrom == "2026-01-01" && membership.validUntil == nil)
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.string.contains("heeft deze rol al in deze zorgraad"))
            #expect(boardPage.contains("jan@zorgraad.be is toegevoegd als Lid."))
            #expect(try await BoardMembership.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changingRoleClusterAndValidity(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await Self.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let membership = BoardMembership(userID: jan, boardID: boards.herkenrode, role: .member, cluster: .care)
            try await membership.save(on: app.db)
            let path = "/admin/boards/ZR-HERKENRODE/memberships/\(try #require(membership.id).uuidString.lowercased())"
            let browser = try await Self.admin(app)

            let form = try await browser.get(path)
            let bad = try await browser.post(path, form: ["role": "chair", "cluster": "", "validFrom": "1/02/2026", "validUntil": "32/12/2026"])
            let saved = try await browser.post(path, form: ["role": "chair", "cluster": "", "validFrom": "1/02/2026", "validUntil": "31/12/2026"])
            let otherBoard = try await browser.get("/admin/boards/ZR-GENT/memberships/\(membership.id!.uuidString.lowercased())")

            #expect(form.status == .ok && form.body.string.contains("Jan Peeters (jan@zorgraad.be)"))
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("‘32/12/2026’ is geen datum"))
            #expect(bad.body.string.contains("value=\"1/02/2026\""))
            #expect(saved.status == .seeOther)
            let stored = try #require(try await BoardMembership.find(membership.id, on: app.db))
            #expect(stored.role == "chair" && stored.cluster == nil && stored.validFrom == "2026-02-01" && stored.validUntil == "2026-12-31")
            #expect(otherBoard.status == .notFound, "a membership is reached only through its own board")
        }
    }

    @Test(arguments: TestDatabase.all)
    func endingAMembershipClosesABoardCourseForThatPersonAtOnce(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            try await BoardAccessPageTests.publish(app, slug: "limburgse-zorgraden", title: "Werken in een Limburgse zorgraad",
                                                   rule: BoardAccessPageTests.limburgOnly)
            let learner = Browser(app)
            let jan = try await BoardAccessPageTests.signUp(learner, email: "jan@zorgraad.be")
            let membership = BoardMembership(userID: jan, boardID: boards.herkenrode, role: .member, cluster: .care,
                                             validFrom: BoardAccessPageTests.day(-30))
            try await membership.save(on: app.db)
            let admin = try await Self.admin(app)

            let openBefore = try await BoardAccessPageTests.canEnrol(learner, slug: "limburgse-zorgraden")
            let ended = try await admin.post("/admin/boards/ZR-HERKENRODE/memberships/\(membership.id!.uuidString.lowercased())/end", form: [:])
            let lockedAfter = try await BoardAccessPageTests.isLockedInCatalogue(learner, "Werken in een Limburgse zorgraad")
            let enrolAfter = try await learner.post("/courses/limburgse-zorgraden/enrol", form: [:])
            let boardPage = try await admin.get("/admin/boards/ZR-HERKENRODE").body.string

            #expect(openBefore)
            #expect(ended.status == .seeOther)
            #expect(try await BoardMembership.find(membership.id, on: app.db)?.validUntil == BoardAccessPageTests.day(-1).iso)
            #expect(lockedAfter, "the course is locked on the learner's very next page")
            #expect(enrolAfter.status == .forbidden)
            #expect(boardPage.contains("Het lidmaatschap van jan@zorgraad.be is beëindigd"))
            #expect(!boardPage.contains("<span class=\"hint\">jan@zorgraad.be</span>"), "the ended membership leaves the current list")
        }
    }

    @Test(arguments: TestDatabase.all)
    func boardStaffManageOnlyTheirOwnBoardsMembersAndChairs(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let staffID = try await Self.user(app, "staf@herkenrode.be", name: "Sam Staf")
            try await BoardMembership(userID: staffID, boardID: boards.herkenrode, role: .staff).save(on: app.db)
            let jan = try await Self.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let gentMember = BoardMembership(userID: jan, boardID: boards.gent, role: .member)
            try await gentMember.save(on: app.db)
            let staff = try await Self.signIn(app, "staf@herkenrode.be")

            let list = try await staff.get("/admin/boards").body.string
            let own = try await staff.get("/admin/boards/ZR-HERKENRODE")
            let added = try await staff.post("/admin/boards/ZR-HERKENRODE/memberships/new", form: ["email": "jan@zorgraad.be", "role": "chair"])
            let otherPage = try await staff.get("/admin/boards/ZR-GENT")
            let otherAdd = try await staff.post("/admin/boards/ZR-GENT/memberships/new", form: ["email": "jan@zorgraad.be", "role": "member"])
            let otherEnd = try await staff.post("/admin/boards/ZR-GENT/memberships/\(gentMember.id!.uuidString.lowercased())/end", form: [:])
            let otherExport = try await staff.get("/admin/boards/ZR-GENT/export.csv")
            let makeStaff = try await staff.post("/admin/boards/ZR-HERKENRODE/memberships/new", form: ["email": "jan@zorgraad.be", "role": "staff"])
            let importPage = try await staff.get("/admin/boards/import")
            let importPost = try await staff.post("/admin/boards/import", form: ["csv": "email,board,role\njan@zorgraad.be,ZR-GENT,staff\n"])
            let exportAll = try await staff.get("/admin/boards/export.csv")
            let groups = try await staff.get("/admin/groups")
            let ownExport = try await staff.get("/admin/boards/ZR-HERKENRODE/export.csv")

            #expect(list.contains("Zorgraad Herkenrode") && !list.contains("Zorgraad Gent"), "staff see only their own board")
            #expect(!list.contains("/admin/boards/import"))
            #expect(own.status == .ok)
            #expect(!own.body.string.contains("<option value=\"staff\""))
            #expect(added.status == .seeOther)
            #expect(try await Self.membership(app, user: jan, board: boards.herkenrode, role: .chair) != nil)
            #expect(otherPage.status == .forbidden)
            #expect(otherPage.body.string.contains("Je beheert alleen de lidmaatschappen van je eigen zorgraad."))
            #expect(otherAdd.status == .forbidden && otherEnd.status == .forbidden && otherExport.status == .forbidden)
            #expect(try await BoardMembership.find(gentMember.id, on: app.db)?.validUntil == nil)
            #expect(makeStaff.status == .forbidden, "staff cannot hand out the staff role")
            #expect(importPage.status == .forbidden && importPost.status == .forbidden)
            #expect(exportAll.status == .forbidden && groups.status == .forbidden)
            #expect(ownExport.status == .ok && ownExport.body.string.contains("jan@zorgraad.be,ZR-HERKENRODE,chair"))
            #expect(!ownExport.body.string.contains("ZR-GENT"))
            #expect(try await Self.membership(app, user: jan, board: boards.herkenrode, role: .staff) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func learnersAndFormsWithoutTheTokenAreRefused(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await BoardAccessPageTests.loadBoards(app)
            _ = try await Self.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let learner = try await Self.signIn(app, "jan@zorgraad.be")
            let admin = try await Self.admin(app)

            let learnerList = try await learner.get("/admin/boards")
            let anonymous = try await Browser(app).get("/admin/boards")
            let noToken = try await admin.post("/admin/boards/ZR-GENT/memberships/new", form: ["email": "jan@zorgraad.be", "role": "member"], csrf: false)
            let unknownBoard = try await admin.get("/admin/boards/ZR-ATLANTIS")

            #expect(learnerList.status == .forbidden)
            #expect(anonymous.status == .seeOther && anonymous.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(noToken.status == .forbidden)
            #expect(unknownBoard.status == .notFound)
            #expect(try await BoardMembership.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func importShowsTheDryRunReportThenAppliesAllOrNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await Self.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            let ella = try await Self.user(app, "ella@zorgraad.be", name: "Ella Maes")
            try await BoardMembership(userID: ella, boardID: boards.gent, role: .member, cluster: .care).save(on: app.db)
            let browser = try await Self.admin(app)
            let bad = "email;board;role;cluster;valid_from;valid_until\njan@zorgraad.be;ZR-HERKENRODE;member;care;;\nniemand@zorgraad.be;ZR-GENT;member;;;\n"
            let good = "email,board,role,cluster,valid_from,valid_until\njan@zorgraad.be,ZR-HERKENRODE,member,care,2026-01-01,\nella@zorgraad.be,ZR-GENT,member,care,,2026-12-31\n"

            let form = try await browser.get("/admin/boards/import")
            let refused = try await browser.post("/admin/boards/import", form: ["csv": bad])
            let afterRefused = try await BoardMembership.query(on: app.db).count()
            let report = try await browser.upload("/admin/boards/import", field: "file", fileName: "leden.csv", data: Data(good.utf8))
            let afterDryRun = try await BoardMembership.query(on: app.db).count()
            let applied = try await browser.post("/admin/boards/import/apply", form: ["csv": good])
            let unreadable = try await browser.post("/admin/boards/import", form: ["csv": "naam,zorgraad\nJan,ZR-GENT\n"])

            #expect(form.status == .ok && form.body.string.contains("enctype=\"multipart/form-data\""))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Niemand heeft een account met het adres niemand@zorgraad.be"))
            #expect(refused.body.string.contains("er is niets bewaard"))
            #expect(!refused.body.string.contains("/admin/boards/import/apply"), "a refused file offers no way to apply it")
            #expect(afterRefused == 1)
            #expect(report.status == .ok)
            #expect(report.body.string.contains("Proefdraai: 1 toe te voegen, 1 te wijzigen, 0 ongewijzigd, 0 geweigerd."))
            #expect(report.body.string.contains("valid_until (none) → 2026-12-31"))
            #expect(report.body.string.contains("action=\"/admin/boards/import/apply?_csrf="))
            #expect(afterDryRun == 1, "the dry run writes nothing")
            #expect(applied.status == .seeOther)
            #expect(try await Self.membership(app, user: jan, board: boards.herkenrode)?.validFrom == "2026-01-01")
            #expect(try await Self.membership(app, user: ella, board: boards.gent)?.validUntil == "2026-12-31")
            #expect(unreadable.status == .unprocessableEntity && unreadable.body.string.contains("Het bestand kan niet gelezen worden"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func exportGivesEveryMembershipAsCSV(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let jan = try await Self.user(app, "jan@zorgraad.be", name: "Jan Peeters")
            try await BoardMembership(userID: jan, boardID: boards.herkenrode, role: .member, cluster: .care,
                                      validFrom: CalendarDay(iso: "2026-01-01")).save(on: app.db)
            try await BoardMembership(userID: jan, boardID: boards.gent, role: .staff).save(on: app.db)
            let browser = try await Self.admin(app)

            let export = try await browser.get("/admin/boards/export.csv")

            #expect(export.status == .ok)
            #expect(export.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(export.body.string == "email,board,role,cluster,valid_from,valid_until\r\njan@zorgraad.be,ZR-GENT,staff,,,\r\njan@zorgraad.be,ZR-HERKENRODE,member,care,2026-01-01,\r\n")
        }
    }
}
