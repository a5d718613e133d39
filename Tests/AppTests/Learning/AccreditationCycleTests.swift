@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Taking a course again in a new accreditation cycle, through the real pages on both databases: the record
/// shows until when it counts, the learner starts a new round once it is due (the trainer opens one when records
/// do not lapse), the new round starts with fresh progress and its completion makes a completion and records of
/// its own, while the first round's attempts, completion, records and certificate stay exactly as they were.
@Suite struct AccreditationCycleTests {
    static let slug = "wondzorg-cyclus"
    static let registrationNumber = "12345625003"

    @discardableResult
    static func publish(_ app: Application, validityMonths: Int?) async throws -> UUID {
        let accreditation = PackageAccreditation(body: "riziv-inami", number: "ACC-77", points: 2, rubric: "6",
                                                 validityMonths: validityMonths)
        let written = try await TestCourses.publish(TestCourses.package(slug: slug, title: "Wondzorg in cycli",
                                                                        accreditation: accreditation, modules: 2), on: app.db)
        await app.catalogue.invalidate()
        return written.courseID
    }

    /// A signed-up learner with a registration number, enrolled through the course page.
    static func learner(_ app: Application, email: String = "an@wijkzorg.be") async throws -> (Browser, Enrolment) {
        let (browser, userID) = try await EnrolmentPageTests.signUp(app, email)
        try await User.query(on: app.db).filter(\.$id == userID).set(\.$registrationNumber, to: registrationNumber).update()
        let enrolled = try await browser.post("/courses/\(slug)/enrol", form: [:])
        #expect(enrolled.status == .seeOther)
        let enrolment = try #require(try await Enrolment.query(on: app.db).filter(\.$user.$id == userID).first())
        return (browser, enrolment)
    }

    /// Opens both pages in the player: each is complete once viewed.
    static func finish(_ browser: Browser) async throws {
        for module in ["m1", "m2"] {
            #expect(try await browser.get("/learn/\(slug)/\(module)").status == .ok)
        }
    }

    static func reload(_ app: Application, _ enrolment: Enrolment) async throws -> Enrolment {
        try #require(try await Enrolment.find(enrolment.requireID(), on: app.db))
    }

    struct RecordFacts: Equatable {
        let id: UUID?, completion: UUID, code: String, validUntil: String?, completedOn: String, kind: AccreditationRecord.Kind
        init(_ record: AccreditationRecord) {
            id = record.id; completion = record.$completion.id; code = record.verificationCode
            validUntil = record.validUntil; completedOn = record.completedOn; kind = record.kind
        }
    }

    struct AttemptFacts: Equatable {
        let id: UUID?, module: String, number: Int, cycle: Int, completion: ModuleAttempt.Completion, updatedAt: Date
        init(_ attempt: ModuleAttempt) {
            id = attempt.id; module = attempt.moduleKey; number = attempt.number; cycle = attempt.cycle
            completion = attempt.completion; updatedAt = attempt.updatedAt
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLapsingRecordLetsTheLearnerTakeTheCourseAgainAndTheNewRoundEarnsItsOwnRecord(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            // One month of validity: the record lapses within the 90-day window, so a new cycle may start at once.
            try await Self.publish(app, validityMonths: 1)
            let (browser, enrolment) = try await Self.learner(app)
            try await Self.finish(browser)
            let firstCompletion = try #require(try await CourseCompletion.query(on: app.db).first())
            let firstRecords = try await AccreditationRecord.query(on: app.db).all()
            let firstAttempts = try await ModuleAttempt.query(on: app.db).sort(\.$moduleKey).all().map(AttemptFacts.init)
            let expectedUntil = CycleRenewal.lastDay(completedOn: CalendarDay(firstCompletion.completedAt), months: 1)
            let shownUntil = BrusselsTime.day(iso: expectedUntil.iso, language: .nl)

            let learning = try await browser.get("/my-learning").body.string
            let certificate = try await browser.get("/certificates/\(try firstCompletion.requireID().uuidString.lowercased())").body.string

            #expect(firstRecords.count == 1 && firstRecords.first?.validUntil == expectedUntil.iso)
            #expect(learning.contains("Telt voor je accreditering tot en met \(shownUntil)"))
            #expect(learning.contains(#"action="/my-learning/courses/wondzorg-cyclus/new-cycle""#))
            #expect(learning.contains(#"<input type="hidden" name="cycle" value="1">"#))
            #expect(learning.contains("Opnieuw volgen voor een nieuwe accreditatiecyclus"))
            #expect(certificate.contains("Geldig tot en met \(shownUntil)"))

            // Two tabs (or a double click) ask for the next round at once: one round opens.
            let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let (headers, body) = PlayerPageTests.form(browser, ["cycle": "1"])
                        return try await PlayerPageTests.send(browser, .POST, "/my-learning/courses/\(Self.slug)/new-cycle",
                                                              headers: headers, body: body).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            let renewed = try await Self.reload(app, enrolment)
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == EnrolmentRound.action).all()
            let fresh = try await browser.get("/my-learning").body.string

            #expect(codes.allSatisfy { $0 == 303 }, "\(codes)")
            #expect(renewed.cycle == 2 && renewed.status == .active && renewed.completedAt == nil && renewed.lastModuleKey == nil)
            #expect(events.count == 1)
            #expect(events.first?.subjectID == enrolment.id?.uuidString.lowercased())
            #expect(events.first?.beforeJSON?.contains(#""cycle":1"#) == true && events.first?.afterJSON?.contains(#""cycle":2"#) == true)
            #expect(fresh.contains("0 van 2 onderdelen klaar"), "the new round starts with fresh progress")
            #expect(fresh.contains("Cyclus 2"))
            #expect(fresh.contains("/certificates/\(try firstCompletion.requireID().uuidString.lowercased())"), "the first certificate stays listed")
            #expect(!fresh.contains(#"name="cycle" value="1""#), "no second button for the round already opened")

            let firstPage = try await browser.get("/learn/\(Self.slug)/m1").body.string
            #expect(firstPage.contains("1 van 2 verplichte onderdelen klaar"))
            #expect(try await CourseCompletion.query(on: app.db).count() == 1, "one page of the new round does not complete it")
            #expect(try await Self.reload(app, enrolment).status == .active)
            try await Self.finish(browser)

            let completions = try await CourseCompletion.query(on: app.db).sort(\.$cycle).all()
            let records = try await AccreditationRecord.query(on: app.db).sort(\.$createdAt).all()
            let attempts = try await ModuleAttempt.query(on: app.db).sort(\.$cycle).sort(\.$moduleKey).all()
            let done = try await Self.reload(app, enrolment)

            #expect(completions.map(\.cycle) == [1, 2])
            #expect(completions.first?.id == firstCompletion.id && completions.first?.completedAt == firstCompletion.completedAt)
            #expect(completions.first?.verificationCode == firstCompletion.verificationCode)
            #expect(completions.last?.verificationCode != firstCompletion.verificationCode)
            #expect(done.status == .completed && done.cycle == 2)
            #expect(records.count == 2)
            #expect(records.first.map(RecordFacts.init) == firstRecords.first.map(RecordFacts.init), "the first record is untouched")
            #expect(records.last?.$completion.id == completions.last?.id)
            #expect(records.last?.verificationCode != records.first?.verificationCode)
            #expect(Array(attempts.prefix(2)).map(AttemptFacts.init) == firstAttempts, "the first round's attempts are untouched")
            #expect(attempts.suffix(2).map(\.cycle) == [2, 2] && attempts.suffix(2).map(\.number) == [2, 2])

            // Both certificates and both verification codes stand; My learning lists both completions.
            let after = try await browser.get("/my-learning").body.string
            for completion in completions {
                let page = try await browser.get("/certificates/\(try completion.requireID().uuidString.lowercased())")
                #expect(page.status == .ok)
                #expect(after.contains("/certificates/\(try completion.requireID().uuidString.lowercased())"))
            }
            for record in records {
                let verified = try await Browser(app).get("/verify/\(record.verificationCode)")
                #expect(verified.status == .ok && verified.body.string.contains("ACC-77"))
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSameCompletionArrivingManyTimesInTheSecondCycleMakesOneCompletionAndOneRecord(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app, validityMonths: 1)
            let (browser, enrolment) = try await Self.learner(app)
            try await Self.finish(browser)
            #expect(try await browser.post("/my-learning/courses/\(Self.slug)/new-cycle", form: ["cycle": "1"]).status == .seeOther)
            #expect(try await browser.get("/learn/\(Self.slug)/m1").status == .ok)

            // The last page of the new round opened from twelve tabs at once.
            let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await PlayerPageTests.send(browser, .GET, "/learn/\(Self.slug)/m2").status.code }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            let completions = try await CourseCompletion.query(on: app.db).filter(\.$cycle == 2).all()
            let records = try await AccreditationRecord.query(on: app.db).all()
            let roundTwo = try await ModuleAttempt.query(on: app.db).filter(\.$cycle == 2).all()

            #expect(codes.allSatisfy { $0 == 200 }, "\(codes)")
            #expect(completions.count == 1)
            #expect(records.count == 2 && Set(records.map(\.$completion.id)).count == 2, "one record per cycle")
            #expect(roundTwo.count == 2, "one attempt per module in the new round")
            #expect(try await Self.reload(app, enrolment).status == .completed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func beforeTheWindowTheLearnerSeesFromWhenAndCannotStartEarly(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app, validityMonths: 36)
            let (browser, enrolment) = try await Self.learner(app)
            try await Self.finish(browser)
            let record = try #require(try await AccreditationRecord.query(on: app.db).first())
            let until = try #require(record.validUntil.flatMap(CalendarDay.init(iso:)))
            let opens = BrusselsTime.day(iso: CycleRenewal.adding(days: -90, to: until).iso, language: .nl)

            let learning = try await browser.get("/my-learning").body.string
            let forged = try await browser.post("/my-learning/courses/\(Self.slug)/new-cycle", form: ["cycle": "1"])
            let told = try await browser.get("/my-learning").body.string

            #expect(learning.contains("Vanaf \(opens) kun je deze opleiding opnieuw volgen"))
            #expect(!learning.contains("/new-cycle"))
            #expect(forged.headers.first(name: .location) == "/my-learning")
            #expect(told.contains("Je kunt deze opleiding pas vanaf \(opens) opnieuw volgen"))
            #expect(try await Self.reload(app, enrolment).cycle == 1)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == EnrolmentRound.action).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func withoutValidityTheTrainerOpensANewRoundWithAReason(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await Self.publish(app, validityMonths: nil)
            let (learnerBrowser, enrolment) = try await Self.learner(app)
            try await Self.finish(learnerBrowser)
            let (trainer, trainerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "els@vivel.test")
            try await CourseOwnership(database: app.db).addOwner(courseID: courseID, userID: try trainerUser.requireID())
            let enrolmentID = try enrolment.requireID().uuidString.lowercased()
            let participant = "/trainer/courses/\(Self.slug)/participants/\(enrolmentID)"

            let learning = try await learnerBrowser.get("/my-learning").body.string
            let learnerTry = try await learnerBrowser.post("/my-learning/courses/\(Self.slug)/new-cycle", form: ["cycle": "1"])
            let page = try await trainer.get(participant).body.string
            let noReason = try await trainer.post(participant + "/new-round", form: ["cycle": "1", "reason": "  "])
            let byLearner = try await learnerBrowser.post(participant + "/new-round", form: ["cycle": "1", "reason": "zelf"])
            let opened = try await trainer.post(participant + "/new-round", form: ["cycle": "1", "reason": "Herhaling gevraagd door de kring"])
            let again = try await trainer.post(participant + "/new-round", form: ["cycle": "1", "reason": "dubbel"])
            let after = try await trainer.get(participant).body.string
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == EnrolmentRound.action).all()

            #expect(!learning.contains("/new-cycle"), "records that do not lapse give the learner no button")
            #expect(learnerTry.status == .seeOther)
            #expect(try await learnerBrowser.get("/my-learning").body.string.contains("Deze accreditering verloopt niet"))
            #expect(page.contains("Nieuwe ronde openen"))
            #expect(page.contains(#"action="\#(participant)/new-round""#))
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("Geef een reden op voor de nieuwe ronde."))
            #expect(byLearner.status == .forbidden)
            #expect(opened.status == .seeOther && again.status == .seeOther)
            #expect(after.contains("Er is een nieuwe ronde geopend voor deze deelnemer."))
            #expect(!after.contains(#"action="\#(participant)/new-round""#), "the new round is in progress")
            #expect(after.contains("<dt>Ronde</dt><dd>2</dd>"))
            #expect(try await Self.reload(app, enrolment).cycle == 2)
            #expect(events.count == 1 && events.first?.reason == "Herhaling gevraagd door de kring")
            #expect(events.first?.actorName.contains("els@vivel.test") == true)
            #expect(try await CourseCompletion.query(on: app.db).count() == 1, "the first completion stays")
        }
    }

    @Test(arguments: TestDatabase.all)
    func bothCyclesRecordsReachThePartnerExport(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app, validityMonths: 1)
            let (browser, _) = try await Self.learner(app)
            try await Self.finish(browser)
            #expect(try await browser.post("/my-learning/courses/\(Self.slug)/new-cycle", form: ["cycle": "1"]).status == .seeOther)
            try await Self.finish(browser)
            let token = try await AccreditationRecordAPITests.partner(app, name: "RIZIV", bodies: ["riziv-inami"])

            let response = try await AccreditationRecordAPITests.get(app, "/api/v1/accreditation-records", token: token)
            let codes = try await AccreditationRecord.query(on: app.db).all().map(\.verificationCode)
            let mine = try await browser.get("/my-learning/records?format=csv").body.string

            #expect(response.status == .ok)
            #expect(codes.count == 2)
            for code in codes {
                #expect(response.body.string.contains(code), "the export carries the record \(code)")
                #expect(mine.contains(code), "the learner's own file carries the record \(code)")
            }
        }
    }
}

/// A SCORM SCO in a new round: a fresh attempt with the next number, and a tab left open on the earlier
/// round's attempt can no longer change it.
@Suite struct ScormNewRoundTests {
    @Test(arguments: TestDatabase.all)
    func aNewRoundStartsTheScoAfreshAndLeavesTheFirstAttemptAsEvidence(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm12")
            let start = try await fixture.start()
            let passed = try await fixture.commit(RuntimeCommit(start, sequence: 1, initialize: true, [
                ("cmi.core.score.raw", "80"), ("cmi.core.lesson_status", "passed"),
            ]))
            #expect(passed.courseComplete)
            let first = try #require(try await fixture.attempts().first)
            let trainer = User(email: "els@vivel.test", name: "Els", passwordHash: "-", role: .admin, profession: "other")
            try await trainer.create(on: app.db)

            try await EnrolmentRound(database: app.db).open(enrolmentID: fixture.enrolmentID, fromCycle: 1, by: trainer,
                                                            as: .staff, reason: "Nieuwe cyclus")
            let stale = try await fixture.post(RuntimeCommit(start, sequence: 2, [("cmi.core.lesson_status", "failed")]))
            let again = try await fixture.start()
            let attempts = try await fixture.attempts()

            #expect(stale.status == .conflict, "the earlier round's attempt is closed: \(stale.body.string)")
            #expect(again.attempt == 2 && again.completion == "not-attempted" && again.values["cmi.core.lesson_status"] != "passed")
            #expect(attempts.map(\.cycle) == [1, 2])
            #expect(attempts.first?.success == .passed && attempts.first?.updatedAt == first.updatedAt)

            let done = try await fixture.commit(RuntimeCommit(again, sequence: 1, initialize: true, [
                ("cmi.core.score.raw", "90"), ("cmi.core.lesson_status", "passed"),
            ], terminate: true))
            let completions = try await CourseCompletion.query(on: app.db).filter(\.$enrolment.$id == fixture.enrolmentID)
                .sort(\.$cycle).all()

            #expect(done.courseComplete)
            #expect(completions.map(\.cycle) == [1, 2])
        }
    }
}
