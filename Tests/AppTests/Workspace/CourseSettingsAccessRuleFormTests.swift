@testable import App
import Foundation
import Testing

/// The access-rule editor's form: a rule becomes numbered fields and back without loss, each button's action
/// changes the tree as the page says, and invalid trees are refused with a problem naming the node.
@Suite struct CourseSettingsAccessRuleFormTests {
    static let vocabulary = AccessVocabulary(boards: ["ZR-HASSELT", "ZR-GENT"], groups: ["vaccination-centres"],
                                             courses: ["wondzorg", "basis"])

    static func reread(_ form: AccessRuleForm) -> AccessRuleForm {
        AccessRuleForm(fields: form.fields)
    }

    @Test func aNestedRuleSurvivesTheFormUnchanged() throws {
        let rule = AccessRule.anyOf([
            .allOf([.boardMember(roles: [.staff, .member], provinces: [.limburg]), .not(.boardMember(boards: ["ZR-GENT"]))]),
            .profession("gp", "pharmacist"),
            .condition(.completed(courses: ["wondzorg", "basis"])),
            .date(from: CalendarDay(iso: "2027-03-01"), until: CalendarDay(iso: "2027-12-31")),
            .inGroup("vaccination-centres"),
            .platformRole(.trainer),
            .hasRegistrationNumber,
            .enrolmentKey,
        ])
        let form = Self.reread(AccessRuleForm(rule: rule, whenDenied: .hide))

        let (read, problems) = form.rule(vocabulary: Self.vocabulary)

        #expect(problems.isEmpty)
        #expect(read == rule)
        #expect(form.whenDenied == .hide)
        #expect(form.flattened.map(\.path) == ["1", "1.1", "1.1.1", "1.1.2", "1.1.2.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8"])
    }

    @Test func aSingleConditionStaysASingleConditionAndAnEmptyFormIsNoRule() {
        let single = AccessRuleForm(rule: .boardMember(), whenDenied: .showLocked)
        #expect(single.root.kind == .allOf, "the editor always shows a group to add to")
        #expect(Self.reread(single).rule(vocabulary: Self.vocabulary).rule == .boardMember())

        let empty = AccessRuleForm(rule: nil, whenDenied: .showLocked)
        let (rule, problems) = Self.reread(empty).rule(vocabulary: Self.vocabulary)
        #expect(rule == nil)
        #expect(problems.isEmpty)
    }

    @Test func buttonsAddAndRemoveNodesWhereThePageSays() throws {
        var form = AccessRuleForm(rule: nil, whenDenied: .showLocked)
        var fields = form.fields + [("1.add", "any-of"), ("action", "add:1")]
        form = AccessRuleForm(fields: fields)
        let applied1 = form.apply(AccessRuleForm.action(from: fields))
        #expect(applied1)
        #expect(form.root.children.map(\.kind) == [.anyOf])

        fields = form.fields + [("1.1.add", "profession"), ("action", "add:1.1")]
        form = AccessRuleForm(fields: fields)
        let applied2 = form.apply(AccessRuleForm.action(from: fields))
        #expect(applied2)
        fields = form.fields + [("1.1.add", "has-registration-number"), ("action", "add:1.1")]
        form = AccessRuleForm(fields: fields)
        let applied3 = form.apply(AccessRuleForm.action(from: fields))
        #expect(applied3)
        #expect(form.root.children[0].children.map(\.kind) == [.profession, .hasRegistrationNumber])

        fields = form.fields + [("1.1.1.professions", "gp"), ("action", "preview")]
        form = AccessRuleForm(fields: fields)
        #expect(AccessRuleForm.action(from: fields) == .preview)
        #expect(form.rule(vocabulary: Self.vocabulary).rule == .anyOf([.profession("gp"), .hasRegistrationNumber]))

        fields = form.fields + [("action", "remove:1.1.2")]
        form = AccessRuleForm(fields: fields)
        let applied4 = form.apply(AccessRuleForm.action(from: fields))
        #expect(applied4)
        #expect(form.rule(vocabulary: Self.vocabulary).rule == .anyOf([.profession("gp")]))

        let applied5 = form.apply(.remove(path: "1.7"))
        #expect(!applied5, "a stale button changes nothing")
        let applied6 = form.apply(.add(path: "1.1.1", kind: .date))
        #expect(!applied6, "conditions hold no parts")
        let applied7 = form.apply(.remove(path: "1"))
        #expect(applied7)
        #expect(form.rule(vocabulary: Self.vocabulary).rule == nil)
    }

    @Test func aNotHoldsExactlyOnePart() {
        var form = AccessRuleForm(rule: nil, whenDenied: .showLocked)
        form.apply(.add(path: "1", kind: .not))
        #expect(form.rule(vocabulary: Self.vocabulary).problems == [.init("1.1", "not-one")])
        let applied8 = form.apply(.add(path: "1.1", kind: .enrolmentKey))
        #expect(applied8)
        let applied9 = form.apply(.add(path: "1.1", kind: .hasRegistrationNumber))
        #expect(!applied9, "a second part is not offered")
        #expect(form.rule(vocabulary: Self.vocabulary).rule == .not(.enrolmentKey))
    }

    @Test func invalidTreesAreRefusedWithTheNodeNamed() {
        let fields: [(String, String)] = [
            ("1.kind", "all-of"),
            ("1.1.kind", "board-member"), ("1.1.boards", "ZR-NOWHERE"), ("1.1.provinces", "atlantis"),
            ("1.2.kind", "any-of"),
            ("1.3.kind", "date"), ("1.3.from", "2027-12-31"), ("1.3.until", "2027-01-01"),
            ("1.4.kind", "date"), ("1.4.from", "31/12/2027"),
            ("1.5.kind", "profession"),
            ("1.6.kind", "in-group"), ("1.6.groups", "secret-club"),
            ("1.7.kind", "teleported"),
            ("1.8.kind", "completed"), ("1.8.courses", "not-published"),
        ]
        let form = AccessRuleForm(fields: fields)

        let (rule, problems) = form.rule(vocabulary: Self.vocabulary)

        #expect(rule == nil)
        #expect(problems == [
            .init("1.1", "unknown-key", ["boards", "ZR-NOWHERE"]),
            .init("1.1", "unknown-key", ["provinces", "atlantis"]),
            .init("1.2", "empty-group"),
            .init("1.3", "date-order", ["2027-12-31", "2027-01-01"]),
            .init("1.4", "date-invalid", ["from", "31/12/2027"]),
            .init("1.5", "needs-choice", ["professions"]),
            .init("1.6", "unknown-key", ["groups", "secret-club"]),
            .init("1.7", "unknown-condition", ["teleported"]),
            .init("1.8", "unknown-key", ["courses", "not-published"]),
        ])
        #expect(form.root.children[6].unknownType == "teleported", "an unknown condition is kept so it can be seen and removed")
    }

    @Test func anUnknownConditionFromAManifestIsShownAndRefusedUntilRemoved() throws {
        let stored = AccessRule.failClosed(jsonString: #"{"all-of":[{"board-member":{}},{"moon-phase":{"full":true}}]}"#)
        var form = Self.reread(AccessRuleForm(rule: stored, whenDenied: .showLocked))
        #expect(form.rule(vocabulary: Self.vocabulary).problems == [.init("1.2", "unknown-condition", ["moon-phase"])])
        form.apply(.remove(path: "1.2"))
        #expect(form.rule(vocabulary: Self.vocabulary).rule == .boardMember())
    }

    @Test func postedTreesAreBounded() {
        var fields: [(String, String)] = [("1.kind", "any-of")]
        for index in 1...500 { fields += [("1.\(index).kind", "enrolment-key")] }
        fields += [("1.1.1.1.1.1.1.1.1.kind", "all-of"), ("2.kind", "all-of"), ("1.x.kind", "all-of"), ("1.0.kind", "all-of")]

        let form = AccessRuleForm(fields: fields)

        #expect(form.nodeCount <= AccessRuleForm.maximumNodes)
        #expect(form.flattened.allSatisfy { $0.depth < AccessRuleForm.maximumDepth })
    }

    @Test func savedRulesKeepTheManifestsForm() throws {
        let rules = [PackageAccessRule(scope: .visibility, whenDenied: .hide, ruleJSON: #"{"board-member":{}}"#),
                     PackageAccessRule(scope: .module, moduleKey: "m2", whenDenied: .showLocked, ruleJSON: #"{"enrolment-key":{}}"#)]
        let policy = AccessPolicy(rule: .profession("gp"), whenDenied: .showLocked)

        let replaced = AccessRuleTarget.visibility.replacing(in: rules, with: policy)
        let module = AccessRuleTarget.module("m2").replacing(in: rules, with: nil)

        #expect(replaced == [rules[1], PackageAccessRule(scope: .visibility, whenDenied: .showLocked, ruleJSON: #"{"profession":{"in":["gp"]}}"#)])
        #expect(AccessRuleTarget.visibility.policy(in: replaced) == policy)
        #expect(module == [rules[0]])
        #expect(AccessRuleTarget("module:m2") == .module("m2"))
        #expect(AccessRuleTarget("module:") == nil)
        #expect(AccessRuleTarget("everything") == nil)
        let two = [rules[0], PackageAccessRule(scope: .visibility, whenDenied: .showLocked, ruleJSON: #"{"profession":{"in":["gp"]}}"#)]
        #expect(AccessRuleTarget.visibility.policy(in: two) == AccessPolicy(rule: .allOf([.boardMember(), .profession("gp")]), whenDenied: .hide))
    }
}
