@testable import App
import Foundation
import Testing

@Suite struct RuntimeCommitTests {
    func newState(_ version: ScormVersion = .scorm2004) -> ScormAttemptState {
        ScormAttemptState(version: version, launch: ScormLaunchContext(learnerID: "u", learnerName: "n"))
    }

    @Test func decodesTheAdapterPayloadWithDefaults() throws {
        let json = #"{"sequence": 3, "calls": [{"element": "cmi.location", "value": "p2"}], "commit": true}"#
        let commit = try JSONDecoder().decode(RuntimeCommit.self, from: Data(json.utf8))
        #expect(commit == RuntimeCommit(sequence: 3, calls: [.init(element: "cmi.location", value: "p2")], commit: true))
        let roundTrip = try JSONDecoder().decode(RuntimeCommit.self, from: JSONEncoder().encode(commit))
        #expect(roundTrip == commit)
    }

    @Test func appliesCallsInOrderAndReportsEachCode() {
        var state = newState()
        let result = state.apply(RuntimeCommit(sequence: 1, initialize: true, calls: [
            .init(element: "cmi.location", value: "p2"),
            .init(element: "cmi.score.scaled", value: "3"),
            .init(element: "cmi.total_time", value: "PT1H"),
            .init(element: "cmi.session_time", value: "PT2M"),
        ], commit: true))
        #expect(result.disposition == .applied)
        #expect(result.initializeError == 0)
        #expect(result.calls.map(\.error) == [0, 407, 404, 0])
        #expect(result.commitError == 0)
        #expect(!result.succeeded)
        #expect(state.values["cmi.location"] == "p2")
        #expect(state.values["cmi.total_time"] == "PT2M")
        #expect(state.lastCommitResult == result)
    }

    @Test func repeatedSequenceChangesNothing() {
        var state = newState()
        let batch = RuntimeCommit(sequence: 1, initialize: true, calls: [
            .init(element: "cmi.interactions.0.id", value: "q1"),
            .init(element: "cmi.session_time", value: "PT5M"),
        ], commit: true)
        let first = state.apply(batch)
        let afterFirst = state
        let replay = state.apply(batch)
        #expect(state == afterFirst)
        #expect(replay.disposition == .replayed)
        #expect(replay.calls == first.calls)
        #expect(replay.initializeError == 0)
        #expect(state.values["cmi.total_time"] == "PT5M")
        #expect(state.counts["cmi.interactions"] == 1)
    }

    @Test func olderSequenceIsStaleAndChangesNothing() {
        var state = newState()
        state.apply(RuntimeCommit(sequence: 1, initialize: true, calls: [.init(element: "cmi.location", value: "a")]))
        state.apply(RuntimeCommit(sequence: 2, calls: [.init(element: "cmi.location", value: "b")]))
        let before = state
        let stale = state.apply(RuntimeCommit(sequence: 1, calls: [.init(element: "cmi.location", value: "a")]))
        #expect(stale.disposition == .stale)
        #expect(state == before)
        #expect(state.values["cmi.location"] == "b")
    }

    @Test func replayedTerminateDoesNotFailTheSecondTime() {
        var state = newState(.scorm12)
        let batch = RuntimeCommit(sequence: 1, initialize: true,
                                  calls: [.init(element: "cmi.core.lesson_status", value: "passed")], terminate: true)
        state.apply(batch)
        #expect(state.phase == .terminated)
        let replay = state.apply(batch)
        #expect(replay.terminateError == 0)
        #expect(replay.succeeded)
        #expect(state.outcome.isPassed)
    }

    @Test func attemptStateSurvivesEncoding() throws {
        var state = newState()
        state.apply(RuntimeCommit(sequence: 1, initialize: true, calls: [.init(element: "cmi.objectives.0.id", value: "o")]))
        let decoded = try JSONDecoder().decode(ScormAttemptState.self, from: JSONEncoder().encode(state))
        #expect(decoded == state)
        var resumed = decoded
        #expect(resumed.apply(RuntimeCommit(sequence: 1)).disposition == .replayed)
    }
}
