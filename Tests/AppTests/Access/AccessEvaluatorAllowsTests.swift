@testable import App
import Foundation
import Testing

/// `allows` (no reasons, for the catalogue's every course) answers exactly as `evaluate(...).allowed`.
@Suite struct AccessEvaluatorAllowsTests {
    static let subjects = [AccessScenario.limburgStaffGP, AccessScenario.ghentWelfareMember, AccessScenario.trainer,
                           AccessSubject.anonymous]
    static let course = AccessCourse(slug: "this-course", enrolmentKey: "zorg")

    static let rules: [AccessRule] = [
        .allOf([]), .anyOf([]), .not(.allOf([])),
        .boardMember(), .boardMember(roles: [.staff]), .boardMember(provinces: [.limburg, .oostVlaanderen]),
        .boardMember(boards: ["ZR-OVL-GENT"], clusters: [.welfare]), .boardMember(boards: ["ZR-NOWHERE"]),
        .profession("gp"), .hasRegistrationNumber, .platformRole(.trainer), .completed("zorgraad-basis"),
        .completed("zorgraad-basis", "privacy-basis"), .completed("no-such-course"), .enrolmentKey,
        .inGroup("vaccination-population-managers"), .inGroup("no-such-group"),
        .date(from: AccessScenario.day("2026-06-15")), .date(until: AccessScenario.day("2026-06-14")),
        .condition(.unknown(type: "moon-phase")),
        .anyOf([.boardMember(), .not(.condition(.unknown(type: "x")))]),
        .not(.boardMember(roles: [.staff])),
        .anyOf([.allOf([.boardMember(provinces: [.limburg]), .not(.boardMember(roles: [.member]))]),
                .allOf([.profession("pharmacist"), .not(.hasRegistrationNumber)])]),
        .allOf([.anyOf([.completed("zorgraad-basis"), .inGroup("pilot-2026")]), .not(.platformRole(.trainer))]),
    ]

    @Test(arguments: rules)
    func allowsAgreesWithEvaluate(rule: AccessRule) {
        for subject in Self.subjects {
            for course in [Self.course, AccessCourse(slug: "this-course"), nil] {
                let evaluator = AccessEvaluator(subject: subject, context: AccessScenario.context())
                #expect(evaluator.allows(rule, course: course) == evaluator.evaluate(rule, course: course).allowed,
                        "\(rule.jsonString()) for \(subject.memberships.map(\.board)) course \(course?.enrolmentKey ?? "none")")
            }
        }
    }
}
