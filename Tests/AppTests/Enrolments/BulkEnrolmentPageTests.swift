@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The enrolment desk of a course (/enrolments/:slug): dry-run report, all-or-nothing apply, capacity,
/// rules, enrol one by hand and unenrol, for owners and admins only.
@Suite struct BulkEnrolmentPageTests {
    struct Setup {
        let courseID: UUID
        let trainer: Browser
    }

    /// A course owned by a trainer, with `capacity` seats, and learners an, jan and lies.
    static func setUp(_ app: Application, capacity: Int?, waitingList: Bool = false, rule: String? = nil) async throws -> Setup {
        let courseID = try await EnrolmentPageTests.publish(app, slug: "wondzorg", rule: rule)
        try await EnrolmentSettings(courseID: courseID, enrolmentKey: "geheim", capacity: capacity, waitingList: waitingList).save(on: app.db)
        let trainerID = try await BoardAdminPageTests.user(app, "trainer@vivel.test", name: "Tess Trainer", role: .trainer)
        try await CourseOwnership(database: app.db).addOwner(courseID: courseID, userID: trainerID)
        for (email, name) in [("an@zorgraad.be", "An Peeters"), ("jan@zorgraad.be", "Jan Maes"), ("lies@zorgraad.be", "Lies Claes")] {
            _ = try await BoardAdminPageTests.user(app, email, name: name)
        }
        return Setup(courseID: courseID, trainer: try await BoardAdminPageTests.signIn(app, "trainer@vivel.test"))
    }

    static func statuses(_ app: Application, _ courseID: UUID) async throws -> [String: Enrolment.Status] {
        let rows = try await Enrolment.query(on: app.db).filter(\.$course.$id == courseID).with(\.$user).all()
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.user.email, $0.status) })
    }

    @Test(arguments: TestDatabase.all)
    func aListIsCheckedFirstThenEnrolledAllOrNothingWithinCapacity(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.setUp(app, capacity: 2)
            let browser = setup.trainer

            let desk = try await browser.get("/enrolments/wondzorg")
            let tooMany = try await browser.upload("/enrolments/wondzorg/check", field: "file", fileName: "lijst.csv",
                                                   data: Data("email\nan@zorgraad.be\njan@zorgraad.be\nlies@zorgraad.be\nniemand@zorgraad.be\n".utf8))
            let applyRefused = try await browser.post("/enrolments/wondzorg/apply",
                                                      form: ["list": "an@zorgraad.be\njan@zorgraad.be\nlies@zorgraad.be\n"])
            let afterRefused = try await Self.statuses(app, setup.courseID)
            let dryRun = try await browser.post("/enrolments/wondzorg/check", form: ["list": "an@zorgraad.be\nJAN@zorgraad.be\n"])
            let afterDryRun = try await Self.statuses(app, setup.courseID)
            let applied = try await browser.post("/enrolments/wondzorg/apply", form: ["list": "an@zorgraad.be\nJAN@zorgraad.be\n"])
            let deskAfter = try await browser.get("/enrolments/wondzorg").body.string

            #expect(desk.status == .ok && desk.body.string.contains("/enrolments/wondzorg/check?_csrf="))
            #expect(tooMany.status == .unprocessableEntity)
            let report = tooMany.body.string
            #expect(report.contains("Geen plaats meer vrij en de opleiding heeft geen wachtlijst."))
            #expect(report.contains("Niemand heeft een account met het adres niemand@zorgraad.be"))
            #expect(report.contains("2 in te schrijven") && !report.contains("/enrolments/wondzorg/apply"))
            #expect(applyRefused.status == .unprocessableEntity)
            #expect(afterRefused.isEmpty, "a list with a refused line enrols nobody")
            #expect(dryRun.status == .ok && dryRun.body.string.contains("Proefdraai: 2 in te schrijven"))
            #expect(dryRun.body.string.contains("/enrolments/wondzorg/apply?_csrf="))
            #expect(afterDryRun.isEmpty)
            #expect(applied.status == .seeOther)
            #expect(try await Self.statuses(app, setup.courseID) == ["an@zorgraad.be": .active, "jan@zorgraad.be": .active])
            #expect(deskAfter.contains("2 ingeschreven, 0 op de wachtlijst gezet, 0 waren al ingeschreven."))
            #expect(deskAfter.contains("2 van 2 plaatsen bezet"))
            let keyAccepted = try await Enrolment.query(on: app.db).filter(\.$course.$id == setup.courseID).all().allSatisfy { $0.keyAccepted == true }
            #expect(keyAccepted, "a trainer's enrolment stands in for the course key")
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneByHandTheWaitingListAndUnenrolMovingTheLineUp(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.setUp(app, capacity: 1, waitingList: true)
            let browser = setup.trainer
            let jan = try #require(try await User.query(on: app.db).filter(\.$email == "jan@zorgraad.be").first()?.id)

            let first = try await browser.post("/enrolments/wondzorg/apply", form: ["email": "jan@zorgraad.be", "board": ""])
            let second = try await browser.post("/enrolments/wondzorg/apply", form: ["email": "an@zorgraad.be"])
            let again = try await browser.post("/enrolments/wondzorg/apply", form: ["email": "an@zorgraad.be"])
            let afterEnrolling = try await Self.statuses(app, setup.courseID)
            let withdrawn = try await browser.post("/enrolments/wondzorg/withdraw", form: ["user": jan.uuidString])
            let desk = try await browser.get("/enrolments/wondzorg").body.string
            let unknownBoard = try await browser.post("/enrolments/wondzorg/apply", form: ["email": "lies@zorgraad.be", "board": "zr-atlantis"])

            #expect(first.status == .seeOther && second.status == .seeOther && again.status == .seeOther)
            #expect(afterEnrolling == ["jan@zorgraad.be": .active, "an@zorgraad.be": .waiting])
            #expect(withdrawn.status == .seeOther)
            #expect(try await Self.statuses(app, setup.courseID) == ["jan@zorgraad.be": .withdrawn, "an@zorgraad.be": .active])
            #expect(desk.contains("jan@zorgraad.be is uitgeschreven; an@zorgraad.be kreeg de vrije plaats van de wachtlijst."))
            #expect(unknownBoard.status == .unprocessableEntity && unknownBoard.body.string.contains("ZR-ATLANTIS"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func peopleTheRulesDenyAreRefusedWithTheReason(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let setup = try await Self.setUp(app, capacity: nil, rule: BoardAccessPageTests.limburgOnly)
            let an = try #require(try await User.query(on: app.db).filter(\.$email == "an@zorgraad.be").first()?.id)
            try await BoardMembership(userID: an, boardID: boards.herkenrode, role: .member).save(on: app.db)

            let report = try await setup.trainer.post("/enrolments/wondzorg/check", form: ["list": "an@zorgraad.be\njan@zorgraad.be"])

            #expect(report.status == .unprocessableEntity)
            let rows = report.body.string.components(separatedBy: "<tr class=\"outcome-")
            #expect(rows.first { $0.contains("an@zorgraad.be") }?.hasPrefix("enrol") == true)
            let janRow = try #require(rows.first { $0.contains("jan@zorgraad.be") })
            #expect(janRow.hasPrefix("refused") && janRow.contains("Enkel voor medewerkers en leden van een zorgraad in Limburg"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyOwnersAndAdminsReachTheDesk(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await Self.setUp(app, capacity: nil)
            _ = try await BoardAdminPageTests.user(app, "ander@vivel.test", name: "Andere Trainer", role: .trainer)
            let otherTrainer = try await BoardAdminPageTests.signIn(app, "ander@vivel.test")
            let learner = try await BoardAdminPageTests.signIn(app, "an@zorgraad.be")
            let admin = try await BoardAdminPageTests.admin(app)

            let other = try await otherTrainer.get("/enrolments/wondzorg")
            let otherApply = try await otherTrainer.post("/enrolments/wondzorg/apply", form: ["email": "an@zorgraad.be"])
            let learnerDesk = try await learner.get("/enrolments/wondzorg")
            let adminDesk = try await admin.get("/enrolments/wondzorg")
            let missing = try await admin.get("/enrolments/bestaat-niet")

            #expect(other.status == .forbidden && otherApply.status == .forbidden && learnerDesk.status == .forbidden)
            #expect(adminDesk.status == .ok)
            #expect(missing.status == .notFound)
            #expect(try await Enrolment.query(on: app.db).count() == 0)
        }
    }
}
