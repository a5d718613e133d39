import Foundation
import Testing
@testable import App

@Suite("Evaluating access rules")
struct AccessEvaluatorTests {
    let context = AccessScenario.context()
    let person = AccessScenario.limburgStaffGP
    let yes = AccessScenario.yes
    let no = AccessScenario.no

    func allowed(_ rule: AccessRule, _ subject: AccessSubject = AccessScenario.limburgStaffGP,
                 _ context: AccessContext = AccessScenario.context()) -> Bool {
        rule.evaluate(for: subject, in: context).allowed
    }

    @Test("the yes/no building blocks are what the truth tables assume")
    func buildingBlocks() {
        #expect(allowed(yes))
        #expect(!allowed(no))
    }

    @Test("all-of truth table", arguments: [
        ([false, false], false), ([false, true], false), ([true, false], false), ([true, true], true),
        ([true, true, true], true), ([true, true, false], false), ([], true),
    ])
    func allOfTable(inputs: [Bool], expected: Bool) {
        let rule = AccessRule.allOf(inputs.map { $0 ? yes : no })
        #expect(allowed(rule) == expected)
    }

    @Test("any-of truth table", arguments: [
        ([false, false], false), ([false, true], true), ([true, false], true), ([true, true], true),
        ([false, false, true], true), ([false, false, false], false), ([], false),
    ])
    func anyOfTable(inputs: [Bool], expected: Bool) {
        let rule = AccessRule.anyOf(inputs.map { $0 ? yes : no })
        #expect(allowed(rule) == expected)
    }

    @Test("not inverts, twice restores")
    func notTable() {
        #expect(!allowed(.not(yes)))
        #expect(allowed(.not(no)))
        #expect(allowed(.not(.not(yes))))
        #expect(!allowed(.not(.not(no))))
    }

    @Test("nesting: all-of(any-of(a, b), not(c))")
    func nesting() {
        func rule(_ a: Bool, _ b: Bool, _ c: Bool) -> AccessRule {
            .allOf([.anyOf([a ? yes : no, b ? yes : no]), .not(c ? yes : no)])
        }
        for a in [false, true] {
            for b in [false, true] {
                for c in [false, true] {
                    #expect(allowed(rule(a, b, c)) == ((a || b) && !c), "a=\(a) b=\(b) c=\(c)")
                }
            }
        }
    }

    @Test("a denial lists every failed part of an all-of, and alternatives of an any-of as one-of")
    func reasonsFollowTheTree() {
        let rule = AccessRule.allOf([
            .boardMember(provinces: [.antwerpen]),
            .anyOf([.profession("dentist"), .inGroup("pilot-2026")]),
            .profession("gp"),
        ])

        let decision = rule.evaluate(for: person, in: context)

        #expect(!decision.allowed)
        #expect(decision.reasons == [
            .notBoardMember(provinces: ["antwerpen"]),
            .oneOf([.missingProfession(["dentist"]), .notInGroup(["pilot-2026"])]),
        ])
    }

    @Test("an any-of branch with several failures becomes an all-of group inside one-of")
    func anyOfWithCompoundBranch() {
        let rule = AccessRule.anyOf([
            .allOf([.profession("dentist"), .platformRole(.admin)]),
            .boardMember(provinces: [.brussel]),
        ])

        let decision = rule.evaluate(for: person, in: context)

        #expect(decision.reasons == [.oneOf([
            .allOf([.missingProfession(["dentist"]), .missingPlatformRole([.admin])]),
            .notBoardMember(provinces: ["brussel"]),
        ])])
    }

    @Test("not reports what it excluded")
    func notReason() {
        let excluded = AccessRule.boardMember(provinces: [.limburg])
        let decision = AccessRule.not(excluded).evaluate(for: person, in: context)
        #expect(decision == .deny([.excluded(excluded)]))
    }

    // MARK: Board membership

    @Test("board-member filters: roles, boards, provinces, clusters", arguments: [
        (AccessRule.boardMember(), true),
        (.boardMember(roles: [.staff]), true),
        (.boardMember(roles: [.member, .chair]), false),
        (.boardMember(boards: ["ZR-LIM-NOORD"]), true),
        (.boardMember(boards: ["ZR-LIM-ZUID"]), false),
        (.boardMember(provinces: [.limburg]), true),
        (.boardMember(provinces: [.antwerpen, .limburg]), true),
        (.boardMember(provinces: [.brussel]), false),
        (.boardMember(clusters: [.care]), false), // staff have no cluster
        (.boardMember(roles: [.staff], provinces: [.limburg]), true),
    ])
    func boardMemberFilters(rule: AccessRule, expected: Bool) {
        #expect(allowed(rule) == expected)
    }

    @Test("all filters must hold for the same membership")
    func filtersMatchOneMembership() {
        // Staff in Limburg and member in Ghent: no single membership is "member in Limburg".
        var subject = person
        subject.memberships.append(AccessSubject.Membership(board: "ZR-OVL-GENT", province: .oostVlaanderen,
                                                   cluster: .care, role: .member))
        #expect(!allowed(.boardMember(roles: [.member], provinces: [.limburg]), subject))
        #expect(allowed(.boardMember(roles: [.member], provinces: [.oostVlaanderen]), subject))
        #expect(allowed(.boardMember(clusters: [.care, .welfare]), subject))
    }

    @Test("expired and future memberships do not count; the first and last day do")
    func membershipValidity() {
        let membership = AccessSubject.Membership(board: "ZR-OVL-GENT", province: .oostVlaanderen, cluster: .welfare,
                                         role: .member, validFrom: AccessScenario.day("2024-09-01"),
                                         validUntil: AccessScenario.day("2027-08-31"))
        let subject = AccessSubject(memberships: [membership])
        let rule = AccessRule.boardMember(provinces: [.oostVlaanderen])

        let cases: [(String, Bool)] = [
            ("2024-08-31T21:59:59Z", false), // 31 Aug 2024, 23:59:59 in Brussels: not yet
            ("2024-08-31T22:00:00Z", true),  // 1 Sep 2024, 00:00 in Brussels
            ("2027-08-31T21:59:59Z", true),  // last second of 31 Aug 2027
            ("2027-08-31T22:00:00Z", false), // 1 Sep 2027: expired
        ]
        for (instant, expected) in cases {
            #expect(allowed(rule, subject, AccessScenario.context(at: AccessScenario.utc(instant))) == expected, "\(instant)")
        }
    }

    @Test("an expired membership does not satisfy, even when a future one exists")
    func expiredAndFuture() {
        let subject = AccessSubject(memberships: [
            AccessSubject.Membership(board: "ZR-BRU", province: .brussel, role: .chair, validUntil: AccessScenario.day("2026-01-31")),
            AccessSubject.Membership(board: "ZR-BRU", province: .brussel, role: .chair, validFrom: AccessScenario.day("2026-09-01")),
        ])
        let decision = AccessRule.boardMember(roles: [.chair]).evaluate(for: subject, in: context)
        #expect(decision == .deny([.notBoardMember(roles: ["chair"])]))
    }

    // MARK: Other conditions

    @Test("profession")
    func profession() {
        #expect(allowed(.profession("gp", "pharmacist")))
        #expect(!allowed(.profession("pharmacist")))
        #expect(!allowed(.profession("gp"), AccessSubject()))
        let decision = AccessRule.profession("dentist", "midwife").evaluate(for: person, in: context)
        #expect(decision.reasons == [.missingProfession(["dentist", "midwife"])])
    }

    @Test("registration number")
    func registrationNumber() {
        #expect(allowed(.hasRegistrationNumber))
        let decision = AccessRule.hasRegistrationNumber.evaluate(for: AccessScenario.ghentWelfareMember, in: context)
        #expect(decision == .deny([.missingRegistrationNumber]))
    }

    @Test("platform role")
    func platformRole() {
        #expect(allowed(.platformRole(.trainer, .admin), AccessScenario.trainer))
        #expect(!allowed(.platformRole(.trainer), person))
        #expect(!allowed(.platformRole(.learner), .anonymous))
    }

    @Test("completed: every listed course, and only the missing ones are reported")
    func completed() {
        #expect(allowed(.completed("zorgraad-basis")))
        let decision = AccessRule.completed("zorgraad-basis", "privacy-basis").evaluate(for: person, in: context)
        #expect(decision == .deny([.prerequisiteMissing(["privacy-basis"])]))
    }

    @Test("in-group: any of the listed groups")
    func inGroup() {
        #expect(allowed(.inGroup("pilot-2026", "vaccination-population-managers")))
        #expect(!allowed(.inGroup("pilot-2026")))
    }

    @Test("enrolment key: given before, typed now, wrong, or not configured")
    func enrolmentKey() {
        let evaluator = AccessEvaluator(subject: person, context: context)
        let keyed = AccessCourse(slug: "this-course", enrolmentKey: "LIM-2026")

        #expect(evaluator.evaluate(.enrolmentKey, course: keyed) == .deny([.enrolmentKeyRequired]))
        var typed = keyed
        typed.presentedKey = " LIM-2026 "
        #expect(evaluator.evaluate(.enrolmentKey, course: typed).allowed)
        typed.presentedKey = "LIM-2025"
        #expect(!evaluator.evaluate(.enrolmentKey, course: typed).allowed)

        var remembered = person
        remembered.enrolmentKeysGiven = ["this-course"]
        #expect(AccessEvaluator(subject: remembered, context: context).evaluate(.enrolmentKey, course: keyed).allowed)

        let unset = AccessCourse(slug: "this-course")
        #expect(evaluator.evaluate(.enrolmentKey, course: unset) == .deny([.enrolmentKeyNotConfigured]))
        // Not configured fails closed even beside a branch that holds.
        #expect(!evaluator.evaluate(.anyOf([yes, .enrolmentKey]), course: unset).allowed)
    }

    // MARK: Fail closed

    @Test("an unknown condition denies, even under not or beside a satisfied any-of branch")
    func unknownConditionDenies() {
        let unknown = AccessRule.condition(.unknown(type: "lives-in"))
        for rule in [unknown, .not(unknown), .anyOf([yes, unknown]), .allOf([yes, .not(.not(unknown))])] {
            let decision = rule.evaluate(for: person, in: context)
            #expect(decision == .deny([.unknownCondition("lives-in")]), "\(rule)")
            #expect(decision.ruleIsBroken)
        }
    }

    @Test("unknown keys deny and are each reported once", arguments: [
        (AccessRule.boardMember(boards: ["ZR-NOPE"]), AccessReason.unknownKey(.board, "ZR-NOPE")),
        (.inGroup("no-such-group"), .unknownKey(.group, "no-such-group")),
        (.completed("no-such-course"), .unknownKey(.course, "no-such-course")),
        (.boardMember(provinces: ["limburgh"]), .unknownKey(.province, "limburgh")),
        (.boardMember(clusters: ["health"]), .unknownKey(.cluster, "health")),
        (.boardMember(roles: ["boss"]), .unknownKey(.boardRole, "boss")),
        (.profession("astronaut"), .unknownKey(.profession, "astronaut")),
        (.platformRole("owner"), .unknownKey(.platformRole, "owner")),
    ])
    func unknownKeysDeny(rule: AccessRule, reason: AccessReason) {
        let wrapped = AccessRule.anyOf([yes, .not(rule), rule])
        #expect(wrapped.evaluate(for: person, in: context) == .deny([reason]))
    }

    @Test("a known key beside an unknown one still denies")
    func mixedKnownAndUnknownBoards() {
        let rule = AccessRule.boardMember(boards: ["ZR-LIM-NOORD", "ZR-TYPO"])
        #expect(rule.evaluate(for: person, in: context) == .deny([.unknownKey(.board, "ZR-TYPO")]))
    }

    @Test("the evaluator reuses its facts across many rules")
    func evaluatorPrecomputes() {
        let evaluator = AccessEvaluator(subject: AccessScenario.ghentWelfareMember,
                                        context: AccessScenario.context(at: AccessScenario.utc("2028-01-01T12:00:00Z")))
        #expect(evaluator.today == AccessScenario.day("2028-01-01"))
        #expect(evaluator.activeMemberships.isEmpty)
    }
}
