@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// When seats are added, the waiting list moves up in the order people joined it, and each person promoted
/// gets a mail; a withdrawal that moves someone up mails them too.
@Suite struct WaitingListPromotionTests {
    static func waiting(_ app: Application, _ email: String, course: UUID, version: UUID, at offset: TimeInterval) async throws -> UUID {
        let id = try await BoardAdminPageTests.user(app, email, name: email.components(separatedBy: "@")[0].capitalized)
        let enrolment = Enrolment(userID: id, courseID: course, versionID: version)
        enrolment.status = .waiting
        enrolment.queuedAt = Date(timeIntervalSince1970: 1_800_000_000 + offset)
        try await enrolment.save(on: app.db)
        return id
    }

    @Test(arguments: TestDatabase.all)
    func raisingTheCapacityPromotesTheFirstWaitingAndMailsThem(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await EnrolmentPageTests.publish(app, slug: "reanimatie")
            let versionID = try #require(try await Course.find(courseID, on: app.db)?.$currentVersion.id)
            let settings = EnrolmentSettings(courseID: courseID, capacity: 1, waitingList: true)
            try await settings.save(on: app.db)
            let seated = try await Self.waiting(app, "een@zorgraad.be", course: courseID, version: versionID, at: 0)
            try await Enrolment.query(on: app.db).filter(\.$user.$id == seated).set(\.$status, to: .active).set(\.$queuedAt, to: nil).update()
            let late = try await Self.waiting(app, "drie@zorgraad.be", course: courseID, version: versionID, at: 20)
            let early = try await Self.waiting(app, "twee@zorgraad.be", course: courseID, version: versionID, at: 10)
            let last = try await Self.waiting(app, "vier@zorgraad.be", course: courseID, version: versionID, at: 30)
            let desk = EnrolmentDesk(database: app.db, locks: app.courseLocks)

            let nothingFree = try await desk.promoteFromWaitingList(courseID: courseID)
            settings.capacity = 3
            try await settings.save(on: app.db)
            let promoted = try await desk.promoteFromWaitingList(courseID: courseID)
            try await WaitingListPromotion.mail(promoted, courseID: courseID, mailer: app.mailer, baseURL: "https://academie.vivel.be")
            let again = try await desk.promoteFromWaitingList(courseID: courseID)

            #expect(nothingFree.isEmpty)
            #expect(promoted == [early, late], "in the order they joined the list")
            #expect(again.isEmpty)
            #expect(try await EnrolmentPageTests.enrolment(app, user: last, course: courseID)?.status == .waiting)
            #expect(try await EnrolmentPageTests.statuses(app, course: courseID) == [.active: 3, .waiting: 1])
            let mails = try await OutboxMail.query(on: app.db).all().sorted { $0.recipient < $1.recipient }
            #expect(mails.map(\.recipient) == ["drie@zorgraad.be", "twee@zorgraad.be"])
            #expect(mails.first?.subject == "Er is een plaats vrijgekomen: Opleiding reanimatie")
            #expect(mails.first?.body.contains("https://academie.vivel.be/courses/reanimatie") == true)
            #expect(mails.first?.body.contains("Dag Drie,") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWithdrawalThatMovesSomeoneUpMailsThem(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await EnrolmentPageTests.publish(app, slug: "reanimatie")
            try await EnrolmentSettings(courseID: courseID, capacity: 1, waitingList: true).save(on: app.db)
            let (first, _) = try await EnrolmentPageTests.signUp(app, "een@zorgraad.be")
            let (second, secondID) = try await EnrolmentPageTests.signUp(app, "twee@zorgraad.be")
            try await first.post("/courses/reanimatie/enrol", form: [:])
            try await second.post("/courses/reanimatie/enrol", form: [:])
            let mailsBefore = try await OutboxMail.query(on: app.db).all().filter { $0.subject.hasPrefix("Er is een plaats") }.count

            try await first.post("/courses/reanimatie/unenrol", form: [:])

            #expect(mailsBefore == 0)
            #expect(try await EnrolmentPageTests.enrolment(app, user: secondID, course: courseID)?.status == .active)
            let mails = try await OutboxMail.query(on: app.db).all().filter { $0.subject.hasPrefix("Er is een plaats") }
            #expect(mails.map(\.recipient) == ["twee@zorgraad.be"])
        }
    }
}
