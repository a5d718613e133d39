@testable import App
import Foundation
import Testing

@Suite struct CourseCompletionRuleTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func attempt(_ module: String, completed: Bool = true, passed: Bool = false, score: Double? = nil,
                        minutes: Double = 0, number: Int = 1) -> CourseCompletionRule.Attempt {
        .init(id: UUID(), moduleKey: module, number: number, completed: completed, passed: passed, scoreScaled: score,
              at: start.addingTimeInterval(minutes * 60))
    }

    @Test func everyRequiredModuleMustBeSatisfied() {
        let rule = CourseCompletionRule(modules: [
            .init(key: "intro", required: true, requirement: .completed),
            .init(key: "extra", required: false, requirement: .completed),
            .init(key: "quiz", required: true, requirement: .passed),
        ])

        let halfway = rule.decide([Self.attempt("intro"), Self.attempt("quiz", completed: true, passed: false, score: 0.4)])
        let done = rule.decide([Self.attempt("intro", minutes: 1),
                                Self.attempt("quiz", passed: false, score: 0.4, minutes: 5),
                                Self.attempt("quiz", passed: true, score: 0.9, minutes: 9, number: 2)])

        #expect(!halfway.complete && halfway.satisfied == 1 && halfway.required == 2)
        #expect(done.complete && done.satisfied == 2)
        #expect(done.completedAt == Self.start.addingTimeInterval(9 * 60), "the last required step is the moment of completion")
        #expect(done.scoreScaled == 0.9, "the failed try does not count in the score")
        #expect(done.evidence.steps.map(\.module) == ["intro", "quiz"] && done.evidence.steps[1].number == 2)
    }

    @Test func cmi5MoveOnDecidesWhatSatisfiesAnAU() {
        func requirement(_ moveOn: String) -> CourseCompletionRule.Requirement? {
            var cmi5 = Cmi5AUData()
            cmi5.moveOn = moveOn
            return CourseCompletionRule.requirement(kind: .au, runtime: ModuleRuntime(cmi5: cmi5))
        }
        let completedOnly = Self.attempt("au", completed: true, passed: false)
        let passedOnly = Self.attempt("au", completed: false, passed: true)

        #expect(requirement("NotApplicable") == CourseCompletionRule.Requirement.none)
        #expect(CourseCompletionRule.satisfies(completedOnly, requirement("CompletedOrPassed")!))
        #expect(CourseCompletionRule.satisfies(passedOnly, requirement("CompletedOrPassed")!))
        #expect(!CourseCompletionRule.satisfies(completedOnly, requirement("CompletedAndPassed")!))
        #expect(!CourseCompletionRule.satisfies(completedOnly, requirement("Passed")!))
        #expect(CourseCompletionRule.satisfies(completedOnly, requirement("Completed")!))
    }

    @Test func aScoWithAMasteryScoreMustBePassed() {
        var scorm = ScormItemData()
        scorm.masteryScore = 80
        #expect(CourseCompletionRule.requirement(kind: .sco, runtime: ModuleRuntime(scorm: scorm)) == .passed)
        #expect(CourseCompletionRule.requirement(kind: .sco, runtime: ModuleRuntime(scorm: ScormItemData())) == .completed)
        #expect(CourseCompletionRule.requirement(kind: .quiz, runtime: ModuleRuntime()) == .passed)
        #expect(CourseCompletionRule.requirement(kind: .folder, runtime: ModuleRuntime()) == nil)
    }

    @Test func notApplicableAUsAreSatisfiedWithoutALaunch() {
        let rule = CourseCompletionRule(modules: [.init(key: "au1", required: true, requirement: .none),
                                                  .init(key: "au2", required: true, requirement: .completed)])
        #expect(!rule.decide([]).complete)
        #expect(rule.decide([Self.attempt("au2")]).complete)
    }

    @Test func accreditationsCountOnlyWithinTheirPeriodAndWaitForARegistrationNumber() {
        let accreditations = [
            PackageAccreditation(body: "riziv-inami", number: "A-1", points: 2, rubric: "6", validFrom: "2027-01-01", validUntil: "2027-12-31"),
            PackageAccreditation(body: "apb", number: "P-9", points: 1.5, unit: "points", rubric: "B"),
        ]
        // 2027-12-31 23:30 in Brussels is 22:30 UTC: still the last accredited day.
        let lateOnLastDay = ISO8601DateFormatter().date(from: "2027-12-31T22:30:00Z")!
        let nextDay = ISO8601DateFormatter().date(from: "2027-12-31T23:30:00Z")!

        let inPeriod = AccreditationIssue.decide(accreditations: accreditations, completedAt: lateOnLastDay,
                                                 registrationNumber: "1-23456-78-901", organiserNumbers: ["riziv-inami": "ORG-7"])
        let after = AccreditationIssue.decide(accreditations: accreditations, completedAt: nextDay,
                                              registrationNumber: "1-23456-78-901", organiserNumbers: [:])
        let withoutNumber = AccreditationIssue.decide(accreditations: accreditations, completedAt: lateOnLastDay,
                                                      registrationNumber: "  ", organiserNumbers: [:])

        #expect(inPeriod.drafts.map(\.body) == ["riziv-inami", "apb"] && inPeriod.waiting == nil)
        #expect(inPeriod.drafts[0].organiserNumber == "ORG-7" && inPeriod.drafts[0].completedOn.description == "2027-12-31")
        #expect(after.drafts.map(\.body) == ["apb"] && after.drafts[0].index == 1)
        #expect(withoutNumber.waiting == .registrationNumber)
    }

    @Test func verificationCodesAreReadableAndForgiving() {
        let code = VerificationCode.make()
        #expect(code.count == 11 && code.dropFirst(5).first == "-")
        #expect(!code.contains { "ILOU".contains($0) })
        #expect(VerificationCode.normalise(code.lowercased().replacingOccurrences(of: "-", with: " ")) == code)
        #expect(VerificationCode.normalise("oi2345678l") == "01234-56781")
        #expect(VerificationCode.normalise("12345") == nil)
        #expect(VerificationCode.normalise("12345-6789U") == nil)
    }
}

@Suite struct PointsTallyTests {
    @Test func pointsAddUpPerYearAndBodyWithTheirRubrics() {
        let tally = PointsTally([
            .init(body: "riziv-inami", unit: "CP", rubric: "6", points: 1, completedOn: "2026-03-02"),
            .init(body: "riziv-inami", unit: "CP", rubric: "2", points: 1.5, completedOn: "2026-11-20"),
            .init(body: "riziv-inami", unit: "CP", rubric: "6", points: 0.5, completedOn: "2026-12-31"),
            .init(body: "riziv-inami", unit: "CP", rubric: "6", points: 2, completedOn: "2025-06-01"),
            .init(body: "apb", unit: "points", rubric: nil, points: 3, completedOn: "2026-05-05"),
        ])

        #expect(tally.rows.map(\.year) == [2026, 2026, 2025])
        #expect(tally.rows.map(\.body) == ["apb", "riziv-inami", "riziv-inami"])
        #expect(tally.rows[1].total == 3 && tally.rows[1].byRubric.map(\.rubric) == ["2", "6"])
        #expect(tally.rows[1].byRubric.map(\.points) == [1.5, 1.5])
        #expect(tally.rows[0].byRubric.isEmpty && tally.rows[0].unit == "points")
    }
}
