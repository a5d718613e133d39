@testable import App
import Foundation
import Testing

/// Which attempt a new player page load continues (`ScormAttemptState.opening`), and the launch data
/// the endpoint derives from the account and the manifest.
@Suite struct ScormSessionOpeningTests {
    static let launch = ScormLaunchContext(learnerID: "u", learnerName: "Peeters, An")

    func open(_ latest: ScormAttemptState?, _ version: ScormVersion = .scorm12) -> ScormAttemptState {
        ScormAttemptState.opening(version: version, launch: Self.launch, latest: latest)
    }

    @Test func theFirstSessionStartsAttemptOne() {
        let state = open(nil)
        #expect(state.attemptNumber == 1 && state.session == 1 && state.phase == .notInitialized)
        #expect(state.values["cmi.core.entry"] == "ab-initio")
    }

    @Test func aSessionThatNeverInitializedIsOpenedAgain() {
        let first = open(nil)
        let second = open(first)
        #expect(second.attemptNumber == 1 && second.session == 2)
        #expect(second.values == first.values)
    }

    @Test func anUnterminatedSessionResumesWithItsTime() {
        var first = open(nil, .scorm2004)
        first.apply(RuntimeCommit(sequence: 1, initialize: true, calls: [.init(element: "cmi.location", value: "p4"),
                                                                           .init(element: "cmi.session_time", value: "PT10M")]))
        let second = open(first, .scorm2004)
        #expect(second.attemptNumber == 1 && second.session == 2)
        #expect(second.values["cmi.entry"] == "resume")
        #expect(second.values["cmi.location"] == "p4")
        #expect(second.values["cmi.total_time"] == "PT10M")
        #expect(second.values["cmi.exit"] == nil && second.lastCommitResult == nil)
    }

    @Test func aTerminatedAttemptWithoutSuspendIsFollowedByTheNext() {
        var first = open(nil)
        first.apply(RuntimeCommit(sequence: 1, initialize: true, calls: [.init(element: "cmi.core.lesson_status", value: "passed")],
                                  terminate: true))
        let second = open(first)
        #expect(second.attemptNumber == 2 && second.session == 1)
        #expect(second.values["cmi.core.lesson_status"] == "not attempted")
    }

    @Test func aStateOfTheOtherVersionIsNotContinued() {
        var first = open(nil, .scorm2004)
        first.apply(RuntimeCommit(sequence: 1, initialize: true, calls: [.init(element: "cmi.exit", value: "suspend")], terminate: true))
        let second = open(first, .scorm12)
        #expect(second.version == .scorm12 && second.session == 1 && second.values["cmi.core.entry"] == "ab-initio")
    }

    @Test func scorm12StudentNameIsLastCommaFirst() {
        #expect(ScormLaunchContext.scorm12StudentName("An Peeters") == "Peeters, An")
        #expect(ScormLaunchContext.scorm12StudentName("Jan Van den Broeck") == "Van den Broeck, Jan")
        #expect(ScormLaunchContext.scorm12StudentName("  Madonna ") == "Madonna")
        #expect(ScormLaunchContext.scorm12StudentName("") == "")
    }

    @Test func scaledPassingScoreComesFromThePrimaryObjective() {
        let measured = """
        <imsss:sequencing xmlns:imsss="http://www.imsglobal.org/xsd/imsss"><imsss:objectives>
          <imsss:primaryObjective objectiveID="o" satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure></imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
        """
        let defaulted = """
        <imsss:sequencing xmlns:imsss="http://www.imsglobal.org/xsd/imsss"><imsss:objectives>
          <imsss:primaryObjective objectiveID="o" satisfiedByMeasure="true"/></imsss:objectives></imsss:sequencing>
        """
        let notByMeasure = """
        <imsss:sequencing xmlns:imsss="http://www.imsglobal.org/xsd/imsss"><imsss:objectives>
          <imsss:primaryObjective objectiveID="o"><imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure></imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
        """
        #expect(ScormSequencingRules.scaledPassingScore(sequencingXML: measured) == 0.75)
        #expect(ScormSequencingRules.scaledPassingScore(sequencingXML: defaulted) == 1)
        #expect(ScormSequencingRules.scaledPassingScore(sequencingXML: notByMeasure) == nil)
        #expect(ScormSequencingRules.scaledPassingScore(sequencingXML: "<not xml") == nil)
        #expect(ScormSequencingRules.scaledPassingScore(sequencingXML: nil) == nil)
    }

    @Test func theClientModelDescribesEveryElement() throws {
        for version in ScormVersion.allCases {
            let model = ScormClientModel(version)
            #expect(model.elements.count == CMIDataModel.of(version).elements.count)
            #expect(Set(model.arrays) == CMIDataModel.of(version).arrays)
            #expect(model.errorStrings.count == version.errorCodes.count)
        }
        let twelve = ScormClientModel(.scorm12)
        #expect(twelve.elements["cmi.core.exit"]?.access == "w")
        #expect(twelve.elements["cmi.core.score.raw"]?.value == .init(type: "decimal", max: 100, min: 0, blank: true))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(twelve), as: UTF8.self)
        #expect(json.contains(#""cmi.core.lesson_status":{"access":"rw","value":{"type":"vocabulary","words":["#))
    }

    @Test func launchURLsKeepTheirParameters() {
        #expect(ScormFrame.launchURL(slug: "c", version: 2, launch: "sco.html?lesson=1") == "/content/c/2/sco.html?lesson=1")
        #expect(ScormFrame.launchURL(slug: "c", version: 2, launch: "my pages/a b.html#p2") == "/content/c/2/my%20pages/a%20b.html#p2")
        #expect(ScormFrame.launchURL(slug: "c", version: 2, launch: "my%20page.html") == "/content/c/2/my%20page.html")
        #expect(ScormFrame.launchURL(slug: "c", version: 2, launch: "https://example.org/sco") == "https://example.org/sco")
    }
}
