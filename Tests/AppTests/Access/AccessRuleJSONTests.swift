import Foundation
import Testing
@testable import App

@Suite("Access rules as JSON")
struct AccessRuleJSONTests {
    static let everything = AccessRule.allOf([
        .anyOf([
            .boardMember(roles: [.staff, .member], provinces: [.limburg]),
            .profession("gp", "pharmacist"),
        ]),
        .not(.boardMember(boards: ["ZR-BRU"], clusters: [.careUsers])),
        .date(from: AccessScenario.day("2026-01-01"), until: AccessScenario.day("2026-12-31")),
        .date(until: AccessScenario.day("2027-06-30")),
        .completed("zorgraad-basis"),
        .hasRegistrationNumber,
        .platformRole(.trainer),
        .enrolmentKey,
        .inGroup("vaccination-population-managers"),
        .boardMember(),
    ])

    @Test("round trip keeps the rule")
    func roundTrip() throws {
        let text = Self.everything.jsonString()
        #expect(try AccessRule(jsonString: text) == Self.everything)
    }

    @Test("the form is compact, readable and stable")
    func exactForm() {
        let rule = AccessRule.allOf([
            .boardMember(roles: [.staff, .member], provinces: [.limburg]),
            .date(from: AccessScenario.day("2026-03-01")),
            .enrolmentKey,
        ])
        #expect(rule.jsonString() == #"{"all-of":[{"board-member":{"provinces":["limburg"],"roles":["staff","member"]}},{"date":{"from":"2026-03-01"}},{"enrolment-key":{}}]}"#)
        #expect(rule.jsonString() == rule.jsonString())
    }

    @Test("reads the example of docs/access-rules.md")
    func documentedExample() throws {
        let text = """
        {"all-of":[
          {"any-of":[
            {"board-member":{"provinces":["limburg"],"roles":["staff","member"]}},
            {"profession":{"in":["gp","pharmacist"]}}
          ]},
          {"not":{"board-member":{"boards":["ZR-BRU-01"]}}},
          {"date":{"from":"2026-01-01","until":"2026-12-31"}},
          {"completed":{"courses":["zorgraad-basis"]}},
          {"has-registration-number":{}},
          {"platform-role":{"in":["trainer"]}},
          {"enrolment-key":{}},
          {"in-group":{"groups":["population-managers-vaccination-centres"]}}
        ]}
        """
        let rule = try AccessRule(jsonString: text)
        guard case .allOf(let parts) = rule else { Issue.record("not an all-of"); return }
        #expect(parts.count == 8)
        #expect(parts[1] == .not(.boardMember(boards: ["ZR-BRU-01"])))
    }

    @Test("an unknown condition type reads as unknown and writes back by name")
    func unknownType() throws {
        let rule = try AccessRule(jsonString: #"{"any-of":[{"lives-in":{"city":"Hasselt"}},{"enrolment-key":{}}]}"#)
        #expect(rule == .anyOf([.condition(.unknown(type: "lives-in")), .enrolmentKey]))
        #expect(rule.jsonString() == #"{"any-of":[{"lives-in":{}},{"enrolment-key":{}}]}"#)
    }

    @Test("unknown keys are kept, so evaluation can deny and report them")
    func unknownKeysKept() throws {
        let rule = try AccessRule(jsonString: #"{"board-member":{"provinces":["limburgh"]}}"#)
        #expect(rule == .boardMember(provinces: ["limburgh"]))
    }

    @Test("malformed rules are refused", arguments: [
        #"{}"#,
        #"{"all-of":[],"any-of":[]}"#,
        #"{"board-member":{"province":["limburg"]}}"#,
        #"{"board-member":{"provinces":[]}}"#,
        #"{"profession":{}}"#,
        #"{"profession":{"in":"gp"}}"#,
        #"{"date":{}}"#,
        #"{"date":{"from":"2026-02-30"}}"#,
        #"{"date":{"from":"2026-12-31","until":"2026-01-01"}}"#,
        #"{"enrolment-key":{"key":"secret"}}"#,
        #"{"not":[]}"#,
        #"["all-of"]"#,
    ])
    func malformed(text: String) {
        #expect(throws: (any Error).self) { try AccessRule(jsonString: text) }
        #expect(AccessRule.failClosed(jsonString: text) == .condition(.unknown(type: "unreadable-rule")))
    }

    @Test("a rule that cannot be read denies everyone")
    func failClosedDenies() {
        let rule = AccessRule.failClosed(jsonString: "not json")
        let decision = rule.evaluate(for: AccessScenario.limburgStaffGP, in: AccessScenario.context())
        #expect(decision == .deny([.unknownCondition("unreadable-rule")]))
    }

    @Test("decisions encode as flat reason objects and decode back")
    func decisionJSON() throws {
        let decision = AccessDecision.deny([
            .notBoardMember(provinces: ["limburg"]),
            .notYetOpen(from: AccessScenario.day("2027-03-01")),
            .unknownKey(.board, "ZR-XX"),
            .oneOf([.missingProfession(["gp"]), .allOf([.enrolmentKeyRequired, .notInGroup(["pilot-2026"])])]),
            .excluded(.boardMember(provinces: [.brussel])),
            .missingRegistrationNumber, .missingPlatformRole([.admin]), .closed(until: AccessScenario.day("2026-12-31")),
            .prerequisiteMissing(["zorgraad-basis"]), .enrolmentKeyNotConfigured, .unknownCondition("x"),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(decision), as: UTF8.self)

        #expect(text.hasPrefix(#"{"allowed":false,"reasons":[{"code":"not-board-member","provinces":["limburg"]},{"code":"not-yet-open","from":"2027-03-01"},{"code":"unknown-key","key":"ZR-XX","kind":"board"},"#))
        #expect(try JSONDecoder().decode(AccessDecision.self, from: Data(text.utf8)) == decision)
    }
}
