@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// A trainer exempts a participant from a module on the participant page: with grounds and an
/// explanation, audited, and counting for completion; for a cmi5 AU with the "waived" statement.
@Suite struct ModuleWaiverTests {
    @Test(arguments: TestDatabase.all)
    func waivingAModuleNeedsGroundsCountsForCompletionAndIsAudited(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (browser, trainer, course, enrolment, _) = try await ParticipantsPageTests.setUp(app)
            let enrolmentID = try enrolment.requireID()
            let path = SiteRoute.trainer(.participantWaive(slug: course.slug, enrolment: enrolmentID)).path
            let pagePath = SiteRoute.trainer(.participant(slug: course.slug, enrolment: enrolmentID)).path

            let form = try await browser.get(pagePath).body.string
            let noNote = try await browser.post(path, form: ["module": "m2", "reason": "equivalent-outside", "note": " "])
            let noReason = try await browser.post(path, form: ["module": "m2", "note": "Attest wondzorg 2025"])
            let done = try await browser.post(path, form: ["module": "m1", "reason": "administrative", "note": "Dubbel"])
            #expect(try await AuditEvent.query(on: app.db).count() == 0, "nothing written by a refused waiver")

            let waived = try await browser.post(path, form: ["module": "m2", "reason": "equivalent-outside",
                                                             "note": "Attest wondzorg UGent 2025"])
            let page = try await browser.get(pagePath).body.string
            let afterTwo = try #require(try await Enrolment.find(enrolmentID, on: app.db))
            let last = try await browser.post(path, form: ["module": "m3", "reason": "tested-out", "note": "Ingangstoets 9/10"])
            let afterThree = try #require(try await Enrolment.find(enrolmentID, on: app.db))

            #expect(form.contains("Vrijstelling geven") && form.contains("Gelijkwaardige opleiding buiten de academie"))
            #expect(noNote.status == .unprocessableEntity && noNote.body.string.contains("Licht de vrijstelling kort toe"))
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("Kies een grond"))
            #expect(done.status == .unprocessableEntity && done.body.string.contains("al voltooid"))
            #expect(waived.status == .seeOther)
            let attempt = try #require(try await ModuleAttempt.query(on: app.db).filter(\.$enrolment.$id == enrolmentID)
                .filter(\.$moduleKey == "m2").first())
            #expect(attempt.completion == .completed && attempt.success == .passed)
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == ModuleWaiver.action).first())
            #expect(event.$actor.id == trainer.id)
            #expect(event.reason == "Equivalent Outside Activity: Attest wondzorg UGent 2025")
            #expect(event.beforeJSON?.contains(#""completion":"incomplete""#) == true)
            #expect(page.contains("Het onderdeel is vrijgesteld") && page.contains("stelde „Module 2” vrij"))
            #expect(afterTwo.status == .active, "m3 is still to do")
            #expect(last.status == .seeOther)
            #expect(afterThree.status == .completed, "the last waiver completes the course")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWaivedAUGetsTheCmi5WaivedStatementAndSatisfiesTheCourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await Cmi5Fixture.make(app)
            let (admin, _) = try await WorkspaceFixture.signIn(app, role: .admin, email: "beheer@vivel.test")
            let path = SiteRoute.trainer(.participantWaive(slug: fixture.slug, enrolment: fixture.enrolmentID)).path

            let intro = try await admin.post(path, form: ["module": Cmi5Fixture.intro, "reason": "equivalent-module", "note": "Vorige versie gevolgd"])
            let quiz = try await admin.post(path, form: ["module": Cmi5Fixture.quiz, "reason": "tested-out", "note": "Toets op papier"])

            #expect(intro.status == .seeOther && quiz.status == .seeOther)
            let waived = try await fixture.statements(verb: .waived)
            #expect(waived.count == 2)
            let body = try #require(waived.first.flatMap { JSONValue.parse(Data($0.body.utf8)) })
            #expect(body["result"]?["success"] == .bool(true) && body["result"]?["completion"] == .bool(true))
            #expect(body["context"]?["extensions"]?[ModuleWaiver.reasonExtension] != nil)
            #expect(waived.allSatisfy { $0.origin == "lms" })
            let satisfied = try await fixture.statements(verb: .satisfied)
            #expect(satisfied.contains { $0.objectID.hasSuffix(fixture.courseID.uuidString.lowercased()) || $0.body.contains("activitytype/course") })
            #expect(try await Enrolment.find(fixture.enrolmentID, on: app.db)?.status == .completed)
        }
    }
}
