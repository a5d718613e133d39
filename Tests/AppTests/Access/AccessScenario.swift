import Foundation
@testable import App

/// A small, fixed world for access rule tests: known boards, groups and courses, and a few people.
enum AccessScenario {
    static let vocabulary = AccessVocabulary(
        boards: ["ZR-LIM-NOORD", "ZR-LIM-ZUID", "ZR-ANT-KEMPEN", "ZR-OVL-GENT", "ZR-BRU"],
        groups: ["vaccination-population-managers", "pilot-2026"],
        courses: ["zorgraad-basis", "privacy-basis", "populatiemanagement", "this-course"])

    /// 15 June 2026, 12:00 in Brussels (10:00 UTC).
    static let midJune2026 = utc("2026-06-15T10:00:00Z")

    static func context(at now: Date = midJune2026, course: AccessCourse? = nil) -> AccessContext {
        AccessContext(now: now, vocabulary: vocabulary, course: course)
    }

    static func utc(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    static func day(_ text: String) -> CalendarDay {
        CalendarDay(iso: text)!
    }

    /// Staff of a Limburg board, GP with a RIZIV number, completed the basics, in the vaccination cohort.
    static let limburgStaffGP = AccessSubject(
        userID: UUID(), platformRoles: [.learner], profession: "gp", hasRegistrationNumber: true,
        memberships: [AccessSubject.Membership(board: "ZR-LIM-NOORD", province: .limburg, role: .staff,
                                      validFrom: day("2025-01-01"))],
        groups: ["vaccination-population-managers"], completedCourses: ["zorgraad-basis"])

    /// Member (cluster welfare) of a Ghent board; pharmacist without number.
    static let ghentWelfareMember = AccessSubject(
        userID: UUID(), platformRoles: [.learner], profession: "pharmacist",
        memberships: [AccessSubject.Membership(board: "ZR-OVL-GENT", province: .oostVlaanderen, cluster: .welfare,
                                      role: .member, validFrom: day("2024-09-01"), validUntil: day("2027-08-31"))])

    /// No memberships, trainer on the platform.
    static let trainer = AccessSubject(userID: UUID(), platformRoles: [.learner, .trainer], profession: "other")

    /// Always true / always false for `limburgStaffGP` (learner, not admin): to build truth tables.
    static let yes = AccessRule.platformRole(.learner)
    static let no = AccessRule.platformRole(.admin)
}
