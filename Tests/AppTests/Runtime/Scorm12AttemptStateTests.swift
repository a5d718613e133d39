@testable import App
import Testing

@Suite struct Scorm12AttemptStateTests {
    static let launch = ScormLaunchContext(learnerID: "u-42", learnerName: "Peeters, An", launchData: "chapter=2")

    func running(_ launch: ScormLaunchContext = launch, previous: ScormAttemptState? = nil) -> ScormAttemptState {
        var state = ScormAttemptState(version: .scorm12, launch: launch, previous: previous)
        state.initialize()
        return state
    }

    @Test func callsOutsideASessionGive301() {
        var state = ScormAttemptState(version: .scorm12, launch: Self.launch)
        #expect(state.getValue("cmi.core.lesson_status").error.rawValue == 301)
        #expect(state.setValue("cmi.core.lesson_status", "completed").rawValue == 301)
        #expect(state.commit().rawValue == 301)
        #expect(state.terminate().rawValue == 301)
        #expect(state.lastError.rawValue == 301)
        #expect(state.errorString(for: state.lastError) == "Not initialized")

        #expect(state.initialize() == .noError)
        #expect(state.initialize().rawValue == 101)
        #expect(state.terminate() == .noError)
        #expect(state.getValue("cmi.core.student_id").error.rawValue == 301)
        #expect(state.setValue("cmi.suspend_data", "x").rawValue == 301)
        #expect(state.initialize().rawValue == 101)
    }

    @Test func initializeWantsAnEmptyParameter() {
        var state = ScormAttemptState(version: .scorm12, launch: Self.launch)
        #expect(state.initialize("x").rawValue == 201)
        #expect(state.phase == .notInitialized)
    }

    @Test func launchValuesAreReadOnly() {
        var state = running()
        #expect(state.getValue("cmi.core.student_id").value == "u-42")
        #expect(state.getValue("cmi.core.student_name").value == "Peeters, An")
        #expect(state.getValue("cmi.launch_data").value == "chapter=2")
        #expect(state.getValue("cmi.core.credit").value == "credit")
        #expect(state.getValue("cmi.core.lesson_mode").value == "normal")
        #expect(state.getValue("cmi._version").value == "3.4")
        for element in ["cmi.core.student_id", "cmi.core.total_time", "cmi.core.entry", "cmi.launch_data", "cmi.core.credit"] {
            #expect(state.setValue(element, "x").rawValue == 403, "\(element)")
        }
    }

    @Test func writeOnlyElementsCannotBeRead() {
        var state = running()
        #expect(state.setValue("cmi.core.exit", "suspend") == .noError)
        #expect(state.getValue("cmi.core.exit").error.rawValue == 404)
        #expect(state.getValue("cmi.core.session_time").error.rawValue == 404)
        #expect(state.setValue("cmi.interactions.0.id", "q1") == .noError)
        #expect(state.getValue("cmi.interactions.0.id").error.rawValue == 404)
        #expect(state.errorString(for: ScormErrorCode(404)) == "Element is write only")
    }

    @Test func lessonStatusVocabulary() {
        var state = running()
        #expect(state.getValue("cmi.core.lesson_status").value == "not attempted")
        for status in ["passed", "completed", "failed", "incomplete", "browsed"] {
            #expect(state.setValue("cmi.core.lesson_status", status) == .noError)
            #expect(state.getValue("cmi.core.lesson_status").value == status)
        }
        #expect(state.setValue("cmi.core.lesson_status", "not attempted").rawValue == 405)
        #expect(state.setValue("cmi.core.lesson_status", "Passed").rawValue == 405)
        #expect(state.setValue("cmi.core.lesson_status", "unknown").rawValue == 405)
    }

    @Test func exitVocabulary() {
        var state = running()
        for exit in ["time-out", "suspend", "logout", ""] { #expect(state.setValue("cmi.core.exit", exit) == .noError) }
        #expect(state.setValue("cmi.core.exit", "normal").rawValue == 405)
    }

    @Test func scoreBoundaries() {
        var state = running()
        #expect(state.setValue("cmi.core.score.raw", "0") == .noError)
        #expect(state.setValue("cmi.core.score.raw", "100") == .noError)
        #expect(state.setValue("cmi.core.score.raw", "") == .noError)
        #expect(state.setValue("cmi.core.score.raw", "100.1").rawValue == 405)
        #expect(state.setValue("cmi.core.score.max", "-0.5").rawValue == 405)
        #expect(state.setValue("cmi.core.score.min", "ten").rawValue == 405)
    }

    @Test func suspendDataHoldsExactly4096Characters() {
        var state = running()
        let full = String(repeating: "é", count: 4096)
        #expect(state.setValue("cmi.suspend_data", full) == .noError)
        #expect(state.getValue("cmi.suspend_data").value == full)
        #expect(state.setValue("cmi.suspend_data", full + "x").rawValue == 405)
        #expect(state.getValue("cmi.suspend_data").value == full)
    }

    @Test func lessonLocationHolds255Characters() {
        var state = running()
        #expect(state.setValue("cmi.core.lesson_location", String(repeating: "a", count: 255)) == .noError)
        #expect(state.setValue("cmi.core.lesson_location", String(repeating: "a", count: 256)).rawValue == 405)
    }

    @Test(arguments: [("0000:10:00", true), ("00:00:05.5", true), ("PT10M", false), ("0:10:00", false), ("00:61:00", false)])
    func sessionTimeIsATimespan(value: String, valid: Bool) {
        var state = running()
        #expect((state.setValue("cmi.core.session_time", value) == .noError) == valid)
    }

    @Test func childrenAndCount() {
        var state = running()
        #expect(state.getValue("cmi.core._children").value.contains("lesson_status"))
        #expect(state.getValue("cmi.core.score._children").value == "raw,min,max")
        #expect(state.getValue("cmi.objectives._children").value == "id,score,status")
        #expect(state.getValue("cmi.objectives._count").value == "0")
        #expect(state.getValue("cmi.core.lesson_status._children").error.rawValue == 202)
        #expect(state.getValue("cmi.core._count").error.rawValue == 203)
        #expect(state.getValue("cmi.nothing._children").error.rawValue == 201)
        #expect(state.setValue("cmi.objectives._count", "3").rawValue == 402)
        #expect(state.setValue("cmi.core._children", "x").rawValue == 402)
        #expect(state.setValue("cmi._version", "x").rawValue == 402)
    }

    @Test func undefinedElementsGive201() {
        var state = running()
        #expect(state.getValue("cmi.core.lesson_statuss").error.rawValue == 201)
        #expect(state.setValue("cmi.completion_status", "completed").rawValue == 201)
        #expect(state.getValue("").error.rawValue == 201)
    }

    @Test func arraysGrowOneIndexAtATime() {
        var state = running()
        #expect(state.setValue("cmi.objectives.1.id", "obj-b").rawValue == 201)
        #expect(state.setValue("cmi.objectives.0.id", "obj-a") == .noError)
        #expect(state.setValue("cmi.objectives.0.status", "passed") == .noError)
        #expect(state.setValue("cmi.objectives.1.score.raw", "80") == .noError)
        #expect(state.getValue("cmi.objectives._count").value == "2")
        #expect(state.getValue("cmi.objectives.0.id").value == "obj-a")
        #expect(state.getValue("cmi.objectives.2.id").error.rawValue == 201)

        #expect(state.setValue("cmi.interactions.0.id", "q1") == .noError)
        #expect(state.setValue("cmi.interactions.0.objectives.1.id", "obj-a").rawValue == 201)
        #expect(state.setValue("cmi.interactions.0.objectives.0.id", "obj-a") == .noError)
        #expect(state.setValue("cmi.interactions.0.result", "wrong") == .noError)
        #expect(state.setValue("cmi.interactions.0.result", "incorrect").rawValue == 405)
        #expect(state.setValue("cmi.interactions.0.result", "0.5") == .noError)
        #expect(state.setValue("cmi.interactions.0.time", "13:05:00") == .noError)
        #expect(state.getValue("cmi.interactions._count").value == "1")
        #expect(state.getValue("cmi.interactions.0.objectives._count").value == "1")
        #expect(state.getValue("cmi.interactions.0.correct_responses._count").value == "0")
    }

    @Test func rejectedValueDoesNotGrowAnArray() {
        var state = running()
        #expect(state.setValue("cmi.objectives.0.status", "great").rawValue == 405)
        #expect(state.getValue("cmi.objectives._count").value == "0")
    }

    @Test func studentPreferenceRanges() {
        var state = running()
        #expect(state.setValue("cmi.student_preference.audio", "-1") == .noError)
        #expect(state.setValue("cmi.student_preference.audio", "101").rawValue == 405)
        #expect(state.setValue("cmi.student_preference.text", "2").rawValue == 405)
        #expect(state.setValue("cmi.student_preference.speed", "-100") == .noError)
        #expect(state.setValue("cmi.student_preference.speed", "1.5").rawValue == 405)
    }

    @Test func diagnosticExplainsTheLastError() {
        var state = running()
        state.setValue("cmi.objectives.3.id", "x")
        #expect(state.diagnostic().contains("index 0"))
        #expect(state.diagnostic(for: "405") == "Incorrect data type")
    }

    // MARK: entry, total time, outcome

    @Test func firstSessionIsAbInitio() {
        var state = running()
        #expect(state.getValue("cmi.core.entry").value == "ab-initio")
        #expect(state.getValue("cmi.core.total_time").value == "0000:00:00.00")
        #expect(state.attemptNumber == 1)
    }

    @Test func suspendedSessionResumesWithItsDataAndTime() {
        var first = running()
        first.setValue("cmi.suspend_data", "page=7")
        first.setValue("cmi.core.lesson_location", "p7")
        first.setValue("cmi.core.lesson_status", "incomplete")
        first.setValue("cmi.core.session_time", "00:10:00")
        first.setValue("cmi.core.exit", "suspend")
        first.terminate()
        #expect(first.values["cmi.core.total_time"] == "0000:10:00.00")

        var second = running(previous: first)
        #expect(second.getValue("cmi.core.entry").value == "resume")
        #expect(second.getValue("cmi.suspend_data").value == "page=7")
        #expect(second.getValue("cmi.core.lesson_location").value == "p7")
        #expect(second.getValue("cmi.core.total_time").value == "0000:10:00.00")
        #expect(second.attemptNumber == 1)
        second.setValue("cmi.core.session_time", "00:05:30.5")
        second.commit()
        #expect(second.getValue("cmi.core.total_time").value == "0000:15:30.50")
        // A later session_time in the same session replaces the earlier one, it does not add to it.
        second.setValue("cmi.core.session_time", "00:06:00")
        second.terminate()
        #expect(second.values["cmi.core.total_time"] == "0000:16:00.00")
        #expect(second.outcome.totalTimeSeconds == 960)
    }

    @Test func sessionWithoutSuspendStartsANewAttempt() {
        var first = running()
        first.setValue("cmi.suspend_data", "page=7")
        first.setValue("cmi.core.session_time", "00:10:00")
        first.setValue("cmi.core.exit", "logout")
        first.terminate()

        var second = running(previous: first)
        #expect(second.getValue("cmi.core.entry").value == "ab-initio")
        #expect(second.getValue("cmi.suspend_data").value == "")
        #expect(second.getValue("cmi.core.total_time").value == "0000:00:00.00")
        #expect(second.getValue("cmi.core.lesson_status").value == "not attempted")
        #expect(second.attemptNumber == 2)
    }

    @Test func finishWithoutStatusMeansCompleted() {
        var state = running()
        state.terminate()
        #expect(state.values["cmi.core.lesson_status"] == "completed")
        #expect(state.outcome.isCompleted)
        #expect(state.outcome.success == .unknown)
    }

    @Test func finishInBrowseModeMeansBrowsed() {
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", mode: "browse"))
        state.terminate()
        #expect(state.values["cmi.core.lesson_status"] == "browsed")
        #expect(!state.outcome.isCompleted)
    }

    @Test(arguments: [("passed", ScormOutcome.Completion.completed, ScormOutcome.Success.passed),
                      ("failed", .completed, .failed), ("completed", .completed, .unknown),
                      ("incomplete", .incomplete, .unknown), ("browsed", .incomplete, .unknown)])
    func statusMapsToOutcome(status: String, completion: ScormOutcome.Completion, success: ScormOutcome.Success) {
        var state = running()
        state.setValue("cmi.core.lesson_status", status)
        #expect(state.outcome.completion == completion)
        #expect(state.outcome.success == success)
    }

    @Test(arguments: [("80", "passed"), ("79.5", "failed"), ("80.0", "passed")])
    func masteryScoreDecidesPassedOrFailed(raw: String, expected: String) {
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", masteryScore: 80))
        #expect(state.getValue("cmi.student_data.mastery_score").value == "80")
        state.setValue("cmi.core.lesson_status", "completed")
        state.setValue("cmi.core.score.raw", raw)
        #expect(state.outcome.success.rawValue == expected)
        #expect(state.outcome.isCompleted)
        state.terminate()
        #expect(state.values["cmi.core.lesson_status"] == expected)
    }

    @Test func masteryScoreLeavesAnIncompleteStatusAlone() {
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", masteryScore: 80))
        state.setValue("cmi.core.lesson_status", "incomplete")
        state.setValue("cmi.core.score.raw", "95")
        #expect(state.outcome.completion == .incomplete)
        #expect(state.outcome.success == .unknown)
        state.terminate()
        #expect(state.values["cmi.core.lesson_status"] == "incomplete")
    }

    @Test func masteryScoreJudgesAScoThatNeverSetAStatus() {
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", masteryScore: 80))
        state.setValue("cmi.core.score.raw", "60")
        state.terminate()
        #expect(state.values["cmi.core.lesson_status"] == "failed")
        #expect(state.outcome.isCompleted)
        #expect(!state.outcome.isPassed)
    }

    @Test func masteryScoreIsIgnoredWithoutCredit() {
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", credit: false, masteryScore: 80))
        state.setValue("cmi.core.lesson_status", "completed")
        state.setValue("cmi.core.score.raw", "95")
        #expect(state.outcome.success == .unknown)
    }

    @Test func scoreScalesByMinAndMax() {
        var state = running()
        state.setValue("cmi.core.score.raw", "15")
        #expect(state.outcome.scaledScore == 0.15)
        state.setValue("cmi.core.score.min", "10")
        state.setValue("cmi.core.score.max", "20")
        #expect(state.outcome.scaledScore == 0.5)
        #expect(state.outcome.rawScore == 15)
    }
}
