@testable import App
import Testing

/// Value checks of the element types; the API-level codes are in ScormAttemptState tests.
@Suite struct CMIDataModelTests {
    @Test func everyArrayHasAnElementOrChildren() {
        for model in [CMIDataModel.scorm12, .scorm2004] {
            for array in model.arrays {
                #expect(model.elements.keys.contains { $0.hasPrefix(array + ".n.") }, "\(array)")
            }
        }
    }

    @Test func scorm12InteractionsAreWriteOnly() {
        let interactions = CMIDataModel.scorm12.elements.values.filter { $0.pattern.hasPrefix("cmi.interactions.") }
        #expect(!interactions.isEmpty)
        #expect(interactions.allSatisfy { $0.access == .writeOnly })
    }

    @Test func pathNamesIndicesAndArrays() throws {
        let path = try #require(CMIDataModel.Path("cmi.interactions.3.objectives.12.id"))
        #expect(path.pattern == "cmi.interactions.n.objectives.n.id")
        #expect(path.indices == [3, 12])
        #expect(path.arrayName(level: 0) == "cmi.interactions")
        #expect(path.arrayName(level: 1) == "cmi.interactions.3.objectives")
        #expect(path.arrayPattern(level: 1) == "cmi.interactions.n.objectives")
        #expect(CMIDataModel.Path("cmi.objectives.01.id") == nil)
    }

    @Test(arguments: [("0", nil), ("100", nil), ("55.5", nil), ("", nil), ("100.01", CMIValueProblem.outOfRange),
                      ("-1", .outOfRange), ("abc", .typeMismatch), ("1e2", .typeMismatch), ("5.", .typeMismatch)])
    func scorm12Score(value: String, problem: CMIValueProblem?) throws {
        let raw = try #require(CMIDataModel.scorm12.elements["cmi.core.score.raw"])
        #expect(raw.type.problem(with: value) == problem)
    }

    @Test(arguments: [("-1", nil), ("1", nil), ("0.5", nil), ("-1.0001", CMIValueProblem.outOfRange),
                      ("1.1", .outOfRange), ("", .typeMismatch), ("half", .typeMismatch)])
    func scorm2004ScaledScore(value: String, problem: CMIValueProblem?) throws {
        let scaled = try #require(CMIDataModel.scorm2004.elements["cmi.score.scaled"])
        #expect(scaled.type.problem(with: value) == problem)
    }

    @Test func localizedStringCountsWithoutItsLanguagePrefix() {
        let type = CMIValueType.localizedString(maxLength: 5)
        #expect(type.problem(with: "{lang=nl-BE}hallo") == nil)
        #expect(type.problem(with: "{lang=nl}hallo!") == .typeMismatch)
        #expect(type.problem(with: "{lang=}hi") == .typeMismatch)
    }

    @Test(arguments: [("continue", true), ("_none_", true), ("suspendAll", true), ("{target=sco-2}choice", true),
                      ("{target=sco-2}jump", true), ("{target=}choice", false), ("{target=a}continue", false),
                      ("start", false), ("", false)])
    func navigationRequests(value: String, valid: Bool) {
        #expect((CMIValueType.navigationRequest.problem(with: value) == nil) == valid)
    }

    @Test func identifiersHaveNoWhiteSpace() {
        #expect(CMIValueType.identifier(maxLength: 255).problem(with: "q-1") == nil)
        #expect(CMIValueType.identifier(maxLength: 255).problem(with: "q 1") == .typeMismatch)
        #expect(CMIValueType.identifier(maxLength: 255).problem(with: "") == .typeMismatch)
        #expect(CMIValueType.identifier(maxLength: 3).problem(with: "abcd") == .typeMismatch)
    }
}
