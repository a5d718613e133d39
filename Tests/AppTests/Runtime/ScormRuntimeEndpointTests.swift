@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// GET/POST /learn/:slug/:module/runtime through the real app, on SQLite and PostgreSQL.
@Suite struct ScormRuntimeEndpointTests {
    @Test(arguments: TestDatabase.all)
    func startHandsTheAdapterItsDataAndModel(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm12")

            let start = try await fixture.start()

            #expect(start.version == "1.2")
            #expect((start.attempt, start.session, start.sequence) == (1, 1, 0))
            #expect(start.entry == "ab-initio")
            #expect(start.values["cmi.core.student_name"] == "Peeters, An")
            #expect(start.values["cmi.core.student_id"] == fixture.userID.uuidString.lowercased())
            #expect(start.values["cmi.launch_data"] == "chapter=1")
            #expect(start.values["cmi.student_data.mastery_score"] == "70")
            #expect(start.values["cmi.core.lesson_status"] == "not attempted")
            #expect(start.model.elements["cmi.core.lesson_status"]?.access == "rw")
            #expect(start.model.elements["cmi.suspend_data"]?.value.max == 4096)
            #expect(start.model.errorStrings["405"] == "Incorrect data type")
            #expect(start.completion == "not-attempted" && !start.courseComplete)
            let rows = try await fixture.attempts()
            #expect(rows.count == 1 && rows.first?.kind == "sco" && rows.first?.completion == .notAttempted)
        }
    }

    @Test(arguments: TestDatabase.all)
    func scorm2004StartCarriesTheManifestThresholds(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm2004")

            let start = try await fixture.start()

            #expect(start.version == "2004")
            #expect(start.values["cmi.learner_name"] == "An Peeters")
            #expect(start.completionThreshold == 0.8)
            #expect(start.scaledPassingScore == 0.6)
            #expect(start.values["cmi.completion_threshold"] == "0.8")
            #expect(start.model.elements["cmi.suspend_data"]?.value.max == 64_000)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCommitIsStoredAndItsOutcomeReachesTheAttempt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm2004")
            let start = try await fixture.start()

            let answer = try await fixture.commit(RuntimeCommit(start, sequence: 1, initialize: true, [
                ("cmi.location", "slide-9"), ("cmi.progress_measure", "0.9"), ("cmi.score.scaled", "0.7"),
                ("cmi.session_time", "PT3M"),
            ], commit: true))

            #expect(answer.result.disposition == .applied)
            #expect(answer.result.succeeded)
            #expect(answer.values == nil, "no server values when every call succeeded")
            #expect(answer.completion == "completed" && answer.success == "passed" && answer.scoreScaled == 0.7)
            let row = try #require(try await fixture.attempts().first)
            let state = try fixture.state(of: row)
            #expect(state.values["cmi.location"] == "slide-9")
            #expect(state.values["cmi.total_time"] == "PT3M")
            #expect(row.lastSequence == 1)
            #expect(row.completion == .completed && row.success == .passed)
            #expect(row.scoreScaled == 0.7 && row.progress == 0.9)
            #expect(row.completedAt != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func scorm12PassedFailedAndCompletedAllMeanCompleted(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm12")
            let start = try await fixture.start()

            let incomplete = try await fixture.commit(RuntimeCommit(start, sequence: 1, initialize: true,
                                                                    [("cmi.core.lesson_status", "incomplete")], commit: true))
            // Mastery score 70: the LMS judges a raw score of 50 as failed, which still completes the SCO.
            let failed = try await fixture.commit(RuntimeCommit(start, sequence: 2, [("cmi.core.lesson_status", "completed"),
                                                                                  ("cmi.core.score.raw", "50")], commit: true))

            #expect(incomplete.completion == "incomplete" && incomplete.success == "unknown")
            #expect(failed.completion == "completed" && failed.success == "failed" && failed.scoreScaled == 0.5)
            let row = try #require(try await fixture.attempts().first)
            #expect(row.completion == .completed && row.success == .failed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongCallsGetTheStandardCodesAndTheServerValues(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let twelve = try await ScormRuntimeFixture.make(app, "scorm12")
            let start12 = try await twelve.start()
            let answer12 = try await twelve.commit(RuntimeCommit(start12, sequence: 1, initialize: true, [
                ("cmi.core.lesson_status", "bogus"), ("cmi.core.student_id", "x"), ("cmi.core.nonsense", "x"),
                ("cmi.suspend_data", String(repeating: "x", count: 4097)), ("cmi.core._children", "x"),
                ("cmi.core.score.raw", "101"), ("cmi.interactions.1.id", "q"),
                ("cmi.suspend_data", String(repeating: "y", count: 4096)),
            ]))
            #expect(answer12.result.calls.map(\.error) == [405, 403, 201, 405, 402, 405, 201, 0])
            #expect(answer12.result.calls[0].diagnostic?.contains("bogus") == true)
            #expect(answer12.values?["cmi.suspend_data"]?.count == 4096, "the server's values come back for the adapter")
            #expect(answer12.values?["cmi.core.lesson_status"] == "not attempted")

            let twentyOhFour = try await ScormRuntimeFixture.make(app, "scorm2004", email: "bert@zorgraad.be")
            let start2004 = try await twentyOhFour.start()
            let answer2004 = try await twentyOhFour.commit(RuntimeCommit(start2004, sequence: 1, initialize: true, [
                ("cmi.completion_status", "bogus"), ("cmi.score.scaled", "2"), ("cmi.interactions.0.type", "choice"),
                ("cmi.nonsense", "x"), ("cmi.learner_id", "x"), ("cmi.suspend_data", String(repeating: "x", count: 64_001)),
                ("cmi.suspend_data", String(repeating: "y", count: 64_000)),
            ]))
            #expect(answer2004.result.calls.map(\.error) == [406, 407, 408, 401, 404, 406, 0])
            #expect(answer2004.values?["cmi.suspend_data"]?.count == 64_000)

            let stored = try twentyOhFour.state(of: try #require(try await twentyOhFour.attempts().first))
            #expect(stored.values["cmi.suspend_data"]?.count == 64_000)
            #expect(stored.values["cmi.completion_status"] == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aReplayedBatchChangesNothingAndAStaleOneIsIgnored(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm2004")
            let start = try await fixture.start()
            let batch = RuntimeCommit(start, sequence: 1, initialize: true, [
                ("cmi.interactions.0.id", "q1"), ("cmi.session_time", "PT5M"), ("cmi.location", "a"),
            ], commit: true)

            let first = try await fixture.commit(batch)
            let afterFirst = try #require(try await fixture.attempts().first)
            let replay = try await fixture.commit(batch)
            let afterReplay = try #require(try await fixture.attempts().first)
            _ = try await fixture.commit(RuntimeCommit(start, sequence: 2, [("cmi.location", "b")]))
            let stale = try await fixture.commit(RuntimeCommit(start, sequence: 1, [("cmi.location", "a")]))
            let afterStale = try fixture.state(of: try #require(try await fixture.attempts().first))

            #expect(first.result.disposition == .applied)
            #expect(replay.result.disposition == .replayed)
            #expect(replay.result.calls == first.result.calls && replay.result.initializeError == 0)
            #expect(afterReplay.state == afterFirst.state)
            #expect(afterReplay.updatedAt == afterFirst.updatedAt)
            #expect(try fixture.state(of: afterReplay).counts["cmi.interactions"] == 1)
            #expect(stale.result.disposition == .stale)
            #expect(afterStale.values["cmi.location"] == "b")
            #expect(afterStale.lastCommitResult?.sequence == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlySignedInEnrolledLearnersWithTheTokenGetIn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm12")
            let start = try await fixture.start()
            let body = try JSONEncoder().encode(RuntimeCommit(start, sequence: 1, initialize: true))
            let outsider = try await ScormRuntimeFixture.make(app, "scorm12", email: "weg@zorgraad.be", enrol: false)

            let anonymousGet = try await app.testing().sendRequest(.GET, fixture.runtimePath)
            let anonymousPost = try await fixture.post(body, cookies: false)
            let noToken = try await fixture.post(body, csrf: false)
            let notEnrolled = try await outsider.browser.get(fixture.runtimePath)
            let unknownModule = try await fixture.browser.get(SiteRoute.scormRuntime(slug: fixture.slug, module: "nope").path)
            let notJSON = try await fixture.post(Data("sequence=1".utf8))

            #expect(anonymousGet.status == .unauthorized)
            #expect(anonymousGet.body.string.contains("not-signed-in"))
            #expect(anonymousPost.status == .forbidden, "without cookies the CSRF check refuses first")
            #expect(noToken.status == .forbidden)
            #expect(notEnrolled.status == .forbidden && notEnrolled.body.string.contains("not-enrolled"))
            #expect(unknownModule.status == .notFound)
            #expect(notJSON.status == .badRequest)
            #expect(try await fixture.attempts().first?.lastSequence == nil, "nothing was applied")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLaterPageLoadSupersedesTheEarlierSession(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm12")
            let first = try await fixture.start()
            let second = try await fixture.start()

            let late = try await fixture.post(RuntimeCommit(first, sequence: 1, initialize: true, [("cmi.core.lesson_location", "x")]))
            let current = try await fixture.commit(RuntimeCommit(second, sequence: 1, initialize: true, [("cmi.core.lesson_location", "y")]))

            #expect(second.session == first.session + 1 && second.attempt == first.attempt)
            #expect(late.status == .conflict && late.body.string.contains("superseded"))
            #expect(current.result.succeeded)
        }
    }

    @Test(arguments: TestDatabase.all)
    func suspendResumesAndACompletedAttemptIsFollowedByANewOne(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm12")
            let first = try await fixture.start()
            _ = try await fixture.commit(RuntimeCommit(first, sequence: 1, initialize: true, [
                ("cmi.core.lesson_location", "page-3"), ("cmi.suspend_data", "s"), ("cmi.core.lesson_status", "incomplete"),
                ("cmi.core.session_time", "00:01:00"), ("cmi.core.exit", "suspend"),
            ], terminate: true))

            let resumed = try await fixture.start()
            #expect(resumed.attempt == 1 && resumed.session == 2 && resumed.entry == "resume")
            #expect(resumed.values["cmi.core.lesson_location"] == "page-3")
            #expect(resumed.values["cmi.core.total_time"] == "0000:01:00.00")
            let passed = try await fixture.commit(RuntimeCommit(resumed, sequence: 1, initialize: true, [
                ("cmi.core.score.raw", "90"), ("cmi.core.lesson_status", "passed"),
            ], terminate: true))
            #expect(passed.completion == "completed" && passed.success == "passed")

            let again = try await fixture.start()
            #expect(again.attempt == 2 && again.session == 1 && again.entry == "ab-initio")
            #expect(again.values["cmi.core.lesson_location"] == nil)
            let rows = try await fixture.attempts()
            #expect(rows.map(\.number) == [1, 2])
            #expect(rows[0].completion == .completed && rows[0].success == .passed, "the completed attempt stays as evidence")
            #expect(rows[1].completion == .notAttempted)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSessionThatNeverTerminatedResumes(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm2004")
            let first = try await fixture.start()
            _ = try await fixture.commit(RuntimeCommit(first, sequence: 1, initialize: true, [
                ("cmi.location", "slide-2"), ("cmi.session_time", "PT4M"),
            ], commit: true))

            let next = try await fixture.start()

            #expect(next.attempt == 1 && next.entry == "resume")
            #expect(next.values["cmi.location"] == "slide-2")
            #expect(next.values["cmi.total_time"] == "PT4M")
            #expect(try await fixture.attempts().count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func completingTheOnlyModuleCompletesTheCourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm12")
            let start = try await fixture.start()

            let answer = try await fixture.commit(RuntimeCommit(start, sequence: 1, initialize: true, [
                ("cmi.core.score.raw", "80"), ("cmi.core.lesson_status", "passed"),
            ], terminate: true))

            #expect(answer.completion == "completed")
            #expect(answer.courseComplete)
            #expect(try await CourseCompletion.query(on: app.db).filter(\.$enrolment.$id == fixture.enrolmentID).count() == 1)
        }
    }

    /// Two app instances posting the same batch at once: the row lock lets one apply it and the other
    /// replay it. Called beneath the in-process lock on purpose, so only the database serialises them.
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func twoConcurrentPostsOfTheSameBatchMakeOneChange(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let fixture = try await ScormRuntimeFixture.make(app, "scorm2004")
            let start = try await fixture.start()
            let launch = try await Self.launch(fixture)
            for sequence in 1...10 {
                let batch = RuntimeCommit(start, sequence: sequence, initialize: sequence == 1, [
                    ("cmi.interactions.\(sequence - 1).id", "q\(sequence)"), ("cmi.location", "p\(sequence)"),
                ], commit: true)
                async let one = app.db.transaction { db in try await ScormRuntimeController.apply(batch, launch, on: db) }
                async let other = app.db.transaction { db in try await ScormRuntimeController.apply(batch, launch, on: db) }
                let dispositions = try await [one.result.disposition, other.result.disposition]
                #expect(dispositions.sorted { $0.rawValue < $1.rawValue } == [.applied, .replayed], "batch \(sequence)")
            }
            let state = try fixture.state(of: try #require(try await fixture.attempts().first))
            #expect(state.counts["cmi.interactions"] == 10)
            #expect(state.values["cmi.location"] == "p10")
        }
    }

    static func launch(_ fixture: ScormRuntimeFixture) async throws -> ScormRuntimeController.Launch {
        let db = fixture.app.db
        let enrolment = try #require(try await Enrolment.find(fixture.enrolmentID, on: db))
        let module = try #require(try await CourseModule.query(on: db).filter(\.$version.$id == enrolment.$version.id)
            .filter(\.$key == fixture.moduleKey).first())
        let version = try await CourseVersion.find(enrolment.$version.id, on: db)
        return ScormRuntimeController.Launch(userID: fixture.userID, userName: "An Peeters", enrolmentID: fixture.enrolmentID,
                                             enrolment: enrolment, module: module,
                                             version: ScormRuntimeController.scormVersion(standard: version?.standard))
    }
}
