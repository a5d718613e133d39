import Foundation
import Testing
@testable import App

@Suite("Access policies and catalogue-scale evaluation")
struct AccessPolicyTests {
    let locked = AccessPolicy(rule: .boardMember(provinces: [.limburg]), whenDenied: .showLocked)
    let hidden = AccessPolicy(rule: .boardMember(provinces: [.limburg]), whenDenied: .hide)

    @Test("allowed is shown; denied is locked or hidden as the policy says")
    func visibility() {
        let context = AccessScenario.context()
        #expect(locked.evaluate(for: AccessScenario.limburgStaffGP, in: context).visibility == .shown)
        #expect(locked.evaluate(for: AccessScenario.ghentWelfareMember, in: context).visibility == .locked)
        #expect(hidden.evaluate(for: AccessScenario.ghentWelfareMember, in: context).visibility == .hidden)
        #expect(hidden.evaluate(for: AccessScenario.ghentWelfareMember, in: context).decision.reasons ==
                [.notBoardMember(provinces: ["limburg"])])
    }

    @Test("a manifest's packaged rule becomes a policy; unreadable JSON fails closed")
    func fromPackage() {
        let good = PackageAccessRule(scope: .enrolment, whenDenied: .hide,
                                     ruleJSON: AccessRule.boardMember(provinces: [.limburg]).jsonString())
        #expect(AccessPolicy(good) == hidden)

        let broken = AccessPolicy(PackageAccessRule(scope: .visibility, whenDenied: .showLocked, ruleJSON: "{oops"))
        let result = broken.evaluate(for: AccessScenario.limburgStaffGP, in: AccessScenario.context())
        #expect(result.visibility == .locked)
        #expect(result.decision.ruleIsBroken)
    }

    @Test("600 nested rules for one person: one evaluator, facts loaded once, every rule evaluated")
    func catalogueScale() {
        // Each course: all-of(any-of(board in a province, profession), not(group), date window, enrolment key).
        let provinces = Province.known
        let courses = (0..<600).map { index in
            (course: AccessCourse(slug: "this-course", enrolmentKey: index.isMultiple(of: 3) ? "key-\(index)" : nil),
             rule: AccessRule.allOf([
                .anyOf([.boardMember(roles: [.staff, .member], provinces: [provinces[index % provinces.count]]),
                        .profession(index.isMultiple(of: 2) ? "gp" : "dentist")]),
                .not(.inGroup("pilot-2026")),
                .date(from: AccessScenario.day("2026-01-01"), until: AccessScenario.day("2026-12-31")),
                index.isMultiple(of: 3) ? .enrolmentKey : .completed("zorgraad-basis"),
             ]))
        }
        var subject = AccessScenario.limburgStaffGP
        subject.enrolmentKeysGiven = ["this-course"]
        let evaluator = AccessEvaluator(subject: subject, context: AccessScenario.context())

        let decisions = courses.map { evaluator.evaluate($0.rule, course: $0.course) }

        // Staff in Limburg and a GP, not in pilot-2026, mid-2026, basics completed, key given: a course
        // opens when its board filter is Limburg (index % 6 == 1) or it admits GPs (even index).
        #expect(decisions.count == 600)
        #expect(decisions.map(\.allowed) == (0..<600).map { $0 % 6 == 1 || $0.isMultiple(of: 2) })
        #expect(decisions[3].reasons == [.oneOf([.notBoardMember(roles: ["staff", "member"], provinces: ["vlaams-brabant"]),
                                                 .missingProfession(["dentist"])])])

        var outsider = AccessScenario.ghentWelfareMember
        outsider.groups = ["pilot-2026"]
        let outsiderEvaluator = AccessEvaluator(subject: outsider, context: AccessScenario.context())
        let denied = courses.map { outsiderEvaluator.evaluate($0.rule, course: $0.course) }
        #expect(!denied.contains { $0.allowed })
        #expect(denied.allSatisfy { $0.reasons.contains(.excluded(.inGroup("pilot-2026"))) })
    }

    @Test("policies and decisions encode for the API")
    func policyJSON() throws {
        let decision = locked.evaluate(for: AccessScenario.trainer, in: AccessScenario.context())
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(decision), as: UTF8.self)
        #expect(text == #"{"decision":{"allowed":false,"reasons":[{"code":"not-board-member","provinces":["limburg"]}]},"visibility":"locked"}"#)
        #expect(try JSONDecoder().decode(AccessPolicyDecision.self, from: Data(text.utf8)) == decision)
    }
}
