@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The participants of a course: search, status filter, pages, one participant, resetting an attempt
/// (audited, reason required) and the CSV export.
@Suite struct ParticipantsPageTests {
    /// A course of three modules, owned by the signed-in trainer, with 30 active learners ("Learner 01" ...)
    /// of whom the first has done module 1, and three called Peeters (one completed, one waiting, one withdrawn).
    static func setUp(_ app: Application) async throws -> (Browser, User, WorkspaceFixture.Seeded, Enrolment, ModuleAttempt) {
        let course = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg thuis")
        let (browser, trainer) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "trainer@vivel.test")
        try await WorkspaceFixture.own(app, course, by: trainer)
        var first: Enrolment?
        for index in 1...30 {
            let learner = try await WorkspaceFixture.user(app, name: String(format: "Learner %02d", index), email: "learner\(index)@vivel.test")
            let enrolment = try await WorkspaceFixture.enrol(app, learner, in: course, lastActivity: index == 1 ? Date() : nil)
            if index == 1 { first = enrolment }
        }
        let enrolment = try #require(first)
        let attempt = try await WorkspaceFixture.attempt(app, enrolment, module: "m1", completion: .completed, success: .passed,
                                                         score: 0.9, state: #"{"answers":[1,2]}"#)
        try await WorkspaceFixture.attempt(app, enrolment, module: "m2", completion: .incomplete)
        let done = try await WorkspaceFixture.enrol(app, try await WorkspaceFixture.user(app, name: "Pieter Peeters", email: "pieter@vivel.test"),
                                                    in: course, status: .completed, lastActivity: Date(), completedAt: Date())
        try await WorkspaceFixture.completion(app, done, score: 0.75)
        try await WorkspaceFixture.enrol(app, try await WorkspaceFixture.user(app, name: "Paula Peeters", email: "paula@vivel.test"),
                                         in: course, status: .waiting)
        try await WorkspaceFixture.enrol(app, try await WorkspaceFixture.user(app, name: "Piet Peeters", email: "piet=1@vivel.test"),
                                         in: course, status: .withdrawn)
        return (browser, trainer, course, enrolment, attempt)
    }

    @Test(arguments: TestDatabase.all)
    func theListIsPagedSearchedAndFiltered(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (browser, _, _, _, _) = try await Self.setUp(app)

            let first = try await browser.get("/trainer/courses/wondzorg/participants")
            #expect(first.status == .ok)
            let html = first.body.string
            #expect(html.contains("33 deelnemers"))
            #expect(html.contains("Learner 01"))
            #expect(html.contains("1 van 3 verplicht"), "progress counts required modules done")
            #expect(html.contains("Learner 25") && !html.contains("Learner 26"), "25 a page, by name")
            #expect(html.contains(#"rel="next" href="/trainer/courses/wondzorg/participants?page=2""#))

            let second = try await browser.get("/trainer/courses/wondzorg/participants?page=2").body.string
            #expect(second.contains("Learner 30") && second.contains("Piet Peeters") && !second.contains("Learner 01"))

            let search = try await browser.get("/trainer/courses/wondzorg/participants?q=PEETERS").body.string
            #expect(search.contains("3 deelnemers"))
            #expect(search.contains("Pieter Peeters") && search.contains("Paula Peeters") && !search.contains("Learner 01"))
            #expect(search.contains("75\u{00A0}%"), "the completion's score")

            let byMail = try await browser.get("/trainer/courses/wondzorg/participants?q=learner1%40").body.string
            #expect(byMail.contains("1 deelnemer"), "searching the e-mail address")

            let wildcard = try await browser.get("/trainer/courses/wondzorg/participants?q=%25").body.string
            #expect(wildcard.contains("Geen deelnemers gevonden"), "% is searched for, not a wildcard")

            let waiting = try await browser.get("/trainer/courses/wondzorg/participants?status=waiting").body.string
            #expect(waiting.contains("1 deelnemer") && waiting.contains("Paula Peeters"))
            #expect(waiting.contains(#"<option value="waiting" selected>Wachtlijst (1)</option>"#))
            let started = try await browser.get("/trainer/courses/wondzorg/participants?status=in-progress").body.string
            #expect(started.contains("1 deelnemer") && started.contains("Learner 01"))
            let notStarted = try await browser.get("/trainer/courses/wondzorg/participants?status=not-started").body.string
            #expect(notStarted.contains("29 deelnemers"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func oneParticipantShowsEveryModuleAndAttempt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (browser, _, course, enrolment, attempt) = try await Self.setUp(app)

            let page = try await browser.get(SiteRoute.trainer(.participant(slug: course.slug, enrolment: try enrolment.requireID())).path)

            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Learner 01"))
            #expect(html.contains("Module 1") && html.contains("Module 2") && html.contains("Module 3"))
            #expect(html.contains("ws-state-done") && html.contains("ws-state-in-progress") && html.contains("ws-state-not-started"))
            #expect(html.contains("Poging 1"))
            #expect(html.contains("90\u{00A0}%"))
            #expect(html.contains(#"name="attempt" value="\#(try attempt.requireID().uuidString.lowercased())""#))
            #expect(html.contains("required"), "the reason is required in the form too")

            let stranger = try await browser.get("/trainer/courses/wondzorg/participants/\(UUID().uuidString.lowercased())")
            #expect(stranger.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func resettingAnAttemptNeedsAReasonAndIsAudited(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (browser, trainer, course, enrolment, attempt) = try await Self.setUp(app)
            let path = SiteRoute.trainer(.participantReset(slug: course.slug, enrolment: try enrolment.requireID())).path
            let attemptID = try attempt.requireID()

            let refused = try await browser.post(path, form: ["attempt": attemptID.uuidString, "reason": "   "])

            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Geef een reden op"))
            #expect(try await ModuleAttempt.find(attemptID, on: app.db)?.completion == .completed, "nothing changed")
            #expect(try await AuditEvent.query(on: app.db).count() == 0)

            let reset = try await browser.post(path, form: ["attempt": attemptID.uuidString, "reason": "Quiz had a wrong answer key"])

            #expect(reset.status == .seeOther)
            let row = try #require(try await ModuleAttempt.find(attemptID, on: app.db))
            #expect(row.completion == .notAttempted && row.success == .unknown && row.scoreScaled == nil && row.state == nil)
            let event = try #require(try await AuditEvent.query(on: app.db).first())
            #expect(event.action == "module-attempt.reset")
            #expect(event.subjectType == "module-attempt")
            #expect(event.subjectID == attemptID.uuidString.lowercased())
            #expect(event.$actor.id == trainer.id)
            #expect(event.actorName.contains("trainer@vivel.test"))
            #expect(event.reason == "Quiz had a wrong answer key")
            let before = try #require(event.beforeJSON)
            #expect(before.contains(#""completion":"completed""#) && before.contains(#""scoreScaled":0.9"#) && before.contains("answers"))
            #expect(event.afterJSON?.contains(#""completion":"not-attempted""#) == true)

            let page = try await browser.get(try #require(reset.headers.first(name: .location))).body.string
            #expect(page.contains("De poging is teruggezet"))
            #expect(page.contains("Teruggezet en vrijgesteld") && page.contains("Quiz had a wrong answer key"))

            let other = try await WorkspaceFixture.course(app, slug: "ander", title: "Ander")
            try await WorkspaceFixture.own(app, other, by: trainer)
            let elsewhere = try await browser.post(SiteRoute.trainer(.participantReset(slug: "ander", enrolment: try enrolment.requireID())).path,
                                                   form: ["attempt": attemptID.uuidString, "reason": "x"])
            #expect(elsewhere.status == .notFound, "an enrolment of another course is not reachable through this one")
            let unsigned = try await browser.post(path, form: ["attempt": attemptID.uuidString, "reason": "x"], csrf: false)
            #expect(unsigned.status == .forbidden, "the form needs its CSRF token")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCSVHoldsEveryFilteredParticipantWithModuleStates(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (browser, _, _, _, _) = try await Self.setUp(app)

            let all = try await browser.get("/trainer/courses/wondzorg/participants.csv")

            #expect(all.status == .ok)
            #expect(all.headers.contentType?.subType == "csv")
            #expect(all.headers.first(name: .contentDisposition)?.contains("wondzorg-participants.csv") == true)
            let lines = all.body.string.split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(lines.count == 34, "a header and 33 participants")
            #expect(lines[0] == "Naam,E-mailadres,Status,Ingeschreven op,Laatste activiteit,Afgerond op,Score,Verplichte onderdelen klaar,Verplichte onderdelen,Module 1,Module 2,Module 3")
            let learner = try #require(lines.first { $0.hasPrefix("Learner 01,") })
            #expect(learner.hasSuffix(",,1,3,Klaar,Bezig,Niet begonnen"))
            #expect(lines.contains { $0.hasPrefix("Pieter Peeters,pieter@vivel.test,Afgerond,") && $0.contains(",75,") })

            let filtered = try await browser.get("/trainer/courses/wondzorg/participants.csv?q=peeters&status=withdrawn").body.string
            let rows = filtered.split(separator: "\r\n")
            #expect(rows.count == 2)
            #expect(rows[1].hasPrefix("Piet Peeters,piet=1@vivel.test,Uitgeschreven,"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCSVReadsInChunks(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (_, _, course, _, _) = try await Self.setUp(app)
            let list = ParticipantList(database: app.db, courseID: course.courseID)
            var chunks: [Int] = []
            var seen = Set<UUID>()

            try await list.forEachChunk(ParticipantQuery(), chunkSize: 7) { rows in
                chunks.append(rows.count)
                seen.formUnion(rows.map(\.enrolmentID))
            }

            #expect(chunks == [7, 7, 7, 7, 5])
            #expect(seen.count == 33, "every enrolment once")
        }
    }
}
