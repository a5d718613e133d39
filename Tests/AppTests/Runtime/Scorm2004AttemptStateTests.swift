@testable import App
import Testing

@Suite struct Scorm2004AttemptStateTests {
    static let launch = ScormLaunchContext(learnerID: "u-42", learnerName: "{lang=nl}Peeters, An")

    func running(_ launch: ScormLaunchContext = launch, previous: ScormAttemptState? = nil) -> ScormAttemptState {
        var state = ScormAttemptState(version: .scorm2004, launch: launch, previous: previous)
        state.initialize()
        return state
    }

    @Test func stateMachineErrors() {
        var state = ScormAttemptState(version: .scorm2004, launch: Self.launch)
        #expect(state.getValue("cmi.location").error.rawValue == 122)
        #expect(state.setValue("cmi.location", "a").rawValue == 132)
        #expect(state.commit().rawValue == 142)
        #expect(state.terminate().rawValue == 112)
        #expect(state.errorString(for: state.lastError) == "Termination Before Initialization")

        #expect(state.initialize() == .noError)
        #expect(state.initialize().rawValue == 103)
        #expect(state.commit("x").rawValue == 201)
        #expect(state.terminate() == .noError)
        #expect(state.getValue("cmi.location").error.rawValue == 123)
        #expect(state.setValue("cmi.location", "a").rawValue == 133)
        #expect(state.commit().rawValue == 143)
        #expect(state.terminate().rawValue == 113)
        #expect(state.initialize().rawValue == 104)
    }

    @Test func everyCodeHasItsStandardString() {
        #expect(ScormVersion.scorm2004.errorCodes.count == 26)
        for code in ScormVersion.scorm2004.errorCodes { #expect(!ScormVersion.scorm2004.errorString(for: code).isEmpty) }
        for code in ScormVersion.scorm12.errorCodes { #expect(!ScormVersion.scorm12.errorString(for: code).isEmpty) }
        #expect(ScormVersion.scorm2004.errorString(for: ScormErrorCode(408)) == "Data Model Dependency Not Established")
        #expect(ScormVersion.scorm2004.errorString(for: ScormErrorCode(999)) == "")
        #expect(ScormVersion.scorm12.errorString(for: ScormErrorCode(408)) == "")
    }

    @Test func accessErrors() {
        var state = running()
        #expect(state.setValue("cmi.total_time", "PT1H").rawValue == 404)
        #expect(state.setValue("cmi.completion_threshold", "0.5").rawValue == 404)
        #expect(state.setValue("cmi.scaled_passing_score", "0.5").rawValue == 404)
        #expect(state.setValue("cmi.learner_id", "x").rawValue == 404)
        #expect(state.setValue("cmi.score._children", "x").rawValue == 404)
        #expect(state.setValue("cmi.session_time", "PT1M") == .noError)
        #expect(state.getValue("cmi.session_time").error.rawValue == 405)
        #expect(state.getValue("cmi.exit").error.rawValue == 405)
        #expect(state.getValue("cmi.core.lesson_status").error.rawValue == 401)
        #expect(state.setValue("cmi.lesson_status", "passed").rawValue == 401)
        #expect(state.getValue("").error.rawValue == 301)
        #expect(state.setValue("", "x").rawValue == 351)
    }

    @Test func uninitializedValuesGive403() {
        var state = running()
        #expect(state.getValue("cmi.location").error.rawValue == 403)
        #expect(state.getValue("cmi.score.scaled").error.rawValue == 403)
        #expect(state.getValue("cmi.completion_threshold").error.rawValue == 403)
        #expect(state.getValue("cmi.completion_status").value == "unknown")
        #expect(state.getValue("cmi.success_status").value == "unknown")
        #expect(state.getValue("cmi._version").value == "1.0")
        #expect(state.getValue("cmi.learner_name").value == "{lang=nl}Peeters, An")
        #expect(state.getValue("adl.nav.request").value == "_none_")
    }

    @Test func vocabularies() {
        var state = running()
        for value in ["completed", "incomplete", "not attempted", "unknown"] {
            #expect(state.setValue("cmi.completion_status", value) == .noError)
        }
        #expect(state.setValue("cmi.completion_status", "passed").rawValue == 406)
        for value in ["passed", "failed", "unknown"] { #expect(state.setValue("cmi.success_status", value) == .noError) }
        #expect(state.setValue("cmi.success_status", "completed").rawValue == 406)
        for value in ["time-out", "suspend", "logout", "normal", ""] { #expect(state.setValue("cmi.exit", value) == .noError) }
        #expect(state.setValue("cmi.exit", "quit").rawValue == 406)
        #expect(state.setValue("adl.nav.request", "{target=sco-3}choice") == .noError)
        #expect(state.setValue("adl.nav.request", "next").rawValue == 406)
    }

    @Test func numericRanges() {
        var state = running()
        #expect(state.setValue("cmi.score.scaled", "-1") == .noError)
        #expect(state.setValue("cmi.score.scaled", "1") == .noError)
        #expect(state.setValue("cmi.score.scaled", "1.0000001").rawValue == 407)
        #expect(state.setValue("cmi.score.scaled", "-2").rawValue == 407)
        #expect(state.setValue("cmi.score.scaled", "high").rawValue == 406)
        #expect(state.setValue("cmi.score.raw", "-250.5") == .noError)
        #expect(state.setValue("cmi.score.max", "1000") == .noError)
        #expect(state.setValue("cmi.progress_measure", "0") == .noError)
        #expect(state.setValue("cmi.progress_measure", "1.01").rawValue == 407)
        #expect(state.setValue("cmi.learner_preference.audio_level", "-0.1").rawValue == 407)
        #expect(state.setValue("cmi.learner_preference.audio_captioning", "2").rawValue == 407)
        #expect(state.setValue("cmi.learner_preference.language", "nl-BE") == .noError)
        #expect(state.setValue("cmi.learner_preference.language", "nl_BE").rawValue == 406)
    }

    @Test func stringLimits() {
        var state = running()
        let suspend = String(repeating: "ü", count: 64_000)
        #expect(state.setValue("cmi.suspend_data", suspend) == .noError)
        #expect(state.getValue("cmi.suspend_data").value == suspend)
        #expect(state.setValue("cmi.suspend_data", suspend + "a").rawValue == 406)
        #expect(state.setValue("cmi.location", String(repeating: "l", count: 1000)) == .noError)
        #expect(state.setValue("cmi.location", String(repeating: "l", count: 1001)).rawValue == 406)
    }

    @Test(arguments: [("PT1H30M", true), ("PT0.5S", true), ("P0D", true), ("00:10:00", false), ("PT", false),
                      ("PT1.234S", false)])
    func sessionTimeIsADuration(value: String, valid: Bool) {
        var state = running()
        let code = state.setValue("cmi.session_time", value)
        #expect((code == .noError) == valid)
        if !valid { #expect(code.rawValue == 406) }
    }

    @Test func childrenAndCount() {
        var state = running()
        #expect(state.getValue("cmi.score._children").value == "scaled,raw,min,max")
        #expect(state.getValue("cmi.objectives._children").value == "id,score,success_status,completion_status,progress_measure,description")
        #expect(state.getValue("cmi.interactions._count").value == "0")
        #expect(state.getValue("cmi.comments_from_lms._count").value == "0")
        #expect(state.getValue("cmi.location._children").error.rawValue == 301)
        #expect(state.getValue("cmi.score._count").error.rawValue == 301)
        #expect(state.getValue("cmi.bogus._count").error.rawValue == 401)
        #expect(state.setValue("cmi.interactions._count", "1").rawValue == 404)
    }

    @Test func objectivesFollowTheOrderingAndIdRules() {
        var state = running()
        #expect(state.setValue("cmi.objectives.1.id", "b").rawValue == 351)
        #expect(state.setValue("cmi.objectives.0.score.scaled", "0.5").rawValue == 408)
        #expect(state.getValue("cmi.objectives._count").value == "0")
        #expect(state.setValue("cmi.objectives.0.id", "urn:vivel:obj:a") == .noError)
        #expect(state.setValue("cmi.objectives.0.score.scaled", "0.5") == .noError)
        #expect(state.setValue("cmi.objectives.0.id", "urn:vivel:obj:a") == .noError)
        #expect(state.setValue("cmi.objectives.0.id", "urn:vivel:obj:z").rawValue == 351)
        #expect(state.setValue("cmi.objectives.1.id", "urn:vivel:obj:a").rawValue == 351)
        #expect(state.setValue("cmi.objectives.1.id", "urn:vivel:obj:b") == .noError)
        #expect(state.getValue("cmi.objectives._count").value == "2")
        #expect(state.getValue("cmi.objectives.1.id").value == "urn:vivel:obj:b")
        #expect(state.getValue("cmi.objectives.1.success_status").error.rawValue == 403)
        #expect(state.getValue("cmi.objectives.2.id").error.rawValue == 301)
    }

    @Test func interactionsNeedIdThenTypeBeforeResponses() {
        var state = running()
        #expect(state.setValue("cmi.interactions.0.type", "choice").rawValue == 408)
        #expect(state.setValue("cmi.interactions.0.id", "q1") == .noError)
        #expect(state.setValue("cmi.interactions.0.learner_response", "true").rawValue == 408)
        #expect(state.setValue("cmi.interactions.0.type", "true-false") == .noError)
        #expect(state.setValue("cmi.interactions.0.learner_response", "yes").rawValue == 406)
        #expect(state.setValue("cmi.interactions.0.learner_response", "true") == .noError)
        #expect(state.setValue("cmi.interactions.0.correct_responses.1.pattern", "true").rawValue == 351)
        #expect(state.setValue("cmi.interactions.0.correct_responses.0.pattern", "false") == .noError)
        #expect(state.setValue("cmi.interactions.0.correct_responses.1.pattern", "true").rawValue == 351)
        #expect(state.setValue("cmi.interactions.0.objectives.0.id", "obj-a") == .noError)
        #expect(state.setValue("cmi.interactions.0.objectives.1.id", "obj-a").rawValue == 351)
        #expect(state.setValue("cmi.interactions.0.result", "incorrect") == .noError)
        #expect(state.setValue("cmi.interactions.0.result", "wrong").rawValue == 406)
        #expect(state.setValue("cmi.interactions.0.latency", "PT12S") == .noError)
        #expect(state.setValue("cmi.interactions.0.timestamp", "2026-11-23T10:00:00") == .noError)
        #expect(state.getValue("cmi.interactions.0.id").value == "q1")
        #expect(state.getValue("cmi.interactions.0.correct_responses._count").value == "1")
        #expect(state.getValue("cmi.interactions.0.objectives._count").value == "1")
        #expect(state.setValue("cmi.interactions.1.objectives.0.id", "obj-a").rawValue == 408)
    }

    @Test func navigationValidityIsUnknownWithoutASequencingEngine() {
        var state = running()
        #expect(state.getValue("adl.nav.request_valid.continue").value == "unknown")
        #expect(state.getValue("adl.nav.request_valid.previous").value == "unknown")
        #expect(state.getValue("adl.nav.request_valid.choice.{target=sco-2}").value == "unknown")
        #expect(state.setValue("adl.nav.request_valid.continue", "true").rawValue == 404)
    }

    @Test func commentsFromLearnerGrowInOrder() {
        var state = running()
        #expect(state.setValue("cmi.comments_from_learner.0.comment", "{lang=nl}Goed") == .noError)
        #expect(state.setValue("cmi.comments_from_learner.2.comment", "x").rawValue == 351)
        #expect(state.setValue("cmi.comments_from_lms.0.comment", "x").rawValue == 404)
        #expect(state.getValue("cmi.comments_from_learner._count").value == "1")
    }

    // MARK: entry, total time, outcome

    @Test func suspendResumesAndTotalTimeAccumulates() {
        var first = running()
        #expect(first.getValue("cmi.entry").value == "ab-initio")
        #expect(first.getValue("cmi.total_time").value == "PT0S")
        first.setValue("cmi.location", "slide-4")
        first.setValue("cmi.session_time", "PT20M")
        first.setValue("cmi.exit", "suspend")
        first.terminate()
        #expect(first.values["cmi.total_time"] == "PT20M")

        var second = running(previous: first)
        #expect(second.getValue("cmi.entry").value == "resume")
        #expect(second.getValue("cmi.location").value == "slide-4")
        #expect(second.getValue("cmi.total_time").value == "PT20M")
        #expect(second.values["cmi.exit"] == nil)
        second.setValue("cmi.session_time", "PT1H0M5.25S")
        second.commit()
        #expect(second.getValue("cmi.total_time").value == "PT1H20M5.25S")
        second.setValue("cmi.exit", "normal")
        second.terminate()
        #expect(second.outcome.totalTimeSeconds == 4805.25)

        var third = running(previous: second)
        #expect(third.getValue("cmi.entry").value == "ab-initio")
        #expect(third.getValue("cmi.location").error.rawValue == 403)
        #expect(third.getValue("cmi.total_time").value == "PT0S")
        #expect(third.attemptNumber == 2)
    }

    @Test func statusesAsTheScoSetsThemWithoutManifestValues() {
        var state = running()
        state.setValue("cmi.completion_status", "completed")
        state.setValue("cmi.success_status", "failed")
        state.setValue("cmi.score.scaled", "0.3")
        #expect(state.outcome == ScormOutcome(completion: .completed, success: .failed, scaledScore: 0.3,
                                              rawScore: nil, totalTimeSeconds: 0))
    }

    @Test func completionThresholdOverridesTheScoStatus() {
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", completionThreshold: 0.8))
        #expect(state.getValue("cmi.completion_threshold").value == "0.8")
        state.setValue("cmi.completion_status", "completed")
        #expect(state.getValue("cmi.completion_status").value == "unknown")
        state.setValue("cmi.progress_measure", "0.79")
        #expect(state.getValue("cmi.completion_status").value == "incomplete")
        #expect(!state.outcome.isCompleted)
        state.setValue("cmi.progress_measure", "0.8")
        #expect(state.getValue("cmi.completion_status").value == "completed")
        #expect(state.outcome.isCompleted)
    }

    @Test func scaledPassingScoreOverridesTheScoStatus() {
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", scaledPassingScore: 0.7))
        #expect(state.getValue("cmi.scaled_passing_score").value == "0.7")
        state.setValue("cmi.success_status", "passed")
        #expect(state.getValue("cmi.success_status").value == "unknown")
        state.setValue("cmi.score.scaled", "0.69")
        #expect(state.outcome.success == .failed)
        state.setValue("cmi.score.scaled", "0.7")
        #expect(state.getValue("cmi.success_status").value == "passed")
        #expect(state.outcome.isPassed)
    }

    @Test func launchContextTakesManifestValuesFromTheItem() {
        var item = ScormItemData()
        item.dataFromLMS = "mode=exam"
        item.completionThreshold = 0.5
        item.maxTimeAllowed = "PT1H"
        var state = running(ScormLaunchContext(learnerID: "u", learnerName: "n", item: item, scaledPassingScore: 0.6))
        #expect(state.getValue("cmi.launch_data").value == "mode=exam")
        #expect(state.getValue("cmi.completion_threshold").value == "0.5")
        #expect(state.getValue("cmi.scaled_passing_score").value == "0.6")
        #expect(state.getValue("cmi.max_time_allowed").value == "PT1H")
    }
}
