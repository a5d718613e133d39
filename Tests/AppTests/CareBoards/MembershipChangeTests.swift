@testable import App
import Foundation
import Testing

/// Adding, changing and ending memberships by hand, and who may do it, without a database.
@Suite struct MembershipChangeTests {
    static func day(_ iso: String) -> CalendarDay { CalendarDay(iso: iso)! }

    @Test func aCompleteFormGivesTermsAndANormalisedAddress() {
        let checked = MembershipChange.check(MembershipInput(email: " An@Zorgraad.BE ", role: "Member", cluster: "care",
                                                             validFrom: "2026-03-01", validUntil: "31/12/2026"))

        #expect(checked.isValid)
        #expect(checked.email?.value == "an@zorgraad.be")
        #expect(checked.terms == MembershipTerms(role: .member, cluster: .care, validFrom: Self.day("2026-03-01"),
                                                 validUntil: Self.day("2026-12-31")))
    }

    @Test func everyWrongFieldIsNamedWithItsOwnMessage() {
        let checked = MembershipChange.check(MembershipInput(email: "not-an-address", role: "boss", cluster: "sports",
                                                             validFrom: "2026-13-01", validUntil: "morgen"))

        #expect(checked.terms == nil)
        #expect(checked.problems.map(\.field) == ["email", "role", "cluster", "validFrom", "validUntil"])
        #expect(checked.problems.map(\.key) == ["boards.error.email.invalid", "boards.error.role.unknown",
                                                "boards.error.cluster.unknown", "boards.error.date", "boards.error.date"])
        #expect(checked.problems.first?.arguments == ["not-an-address"])
    }

    @Test func missingEmailAndRoleAndAnEndBeforeTheStartAreRefused() {
        let checked = MembershipChange.check(MembershipInput(email: "", role: "", validFrom: "2026-05-02", validUntil: "2026-05-01"))

        #expect(checked.problems.map(\.key) == ["boards.error.email.missing", "boards.error.role.missing", "boards.error.until.before.from"])
    }

    @Test func changingAMembershipDoesNotAskForAnAddress() {
        let checked = MembershipChange.check(MembershipInput(email: nil, role: "chair"))

        #expect(checked.isValid)
        #expect(checked.email == nil)
        #expect(checked.terms?.role == .chair)
        #expect(checked.terms?.cluster == nil)
    }

    @Test func endingTodayMakesYesterdayTheLastDay() {
        let today = Self.day("2026-03-01")

        #expect(MembershipChange.ending(validFrom: Self.day("2025-01-01"), validUntil: nil, today: today) == .lastDay(Self.day("2026-02-28")))
        #expect(MembershipChange.ending(validFrom: nil, validUntil: Self.day("2026-12-31"), today: today) == .lastDay(Self.day("2026-02-28")))
        #expect(MembershipChange.ending(validFrom: nil, validUntil: today, today: today) == .lastDay(Self.day("2026-02-28")),
                "a membership whose last day is today still counts today: ending it moves the end back")
        #expect(MembershipChange.ending(validFrom: Self.day("2026-02-28"), validUntil: nil, today: today) == .lastDay(Self.day("2026-02-28")))
    }

    @Test func aMembershipThatHadNotBegunIsRemovedAndAnEndedOneLeftAlone() {
        let today = Self.day("2026-03-01")

        #expect(MembershipChange.ending(validFrom: today, validUntil: nil, today: today) == .remove)
        #expect(MembershipChange.ending(validFrom: Self.day("2026-06-01"), validUntil: nil, today: today) == .remove)
        #expect(MembershipChange.ending(validFrom: nil, validUntil: Self.day("2026-02-28"), today: today) == .alreadyEnded)
    }

    @Test func filtersSplitCurrentFromEndedAtToday() {
        let today = Self.day("2026-03-01")

        #expect(MembershipChange.shows(.current, validUntil: nil, today: today))
        #expect(MembershipChange.shows(.current, validUntil: today, today: today))
        #expect(!MembershipChange.shows(.current, validUntil: Self.day("2026-02-28"), today: today))
        #expect(MembershipChange.shows(.ended, validUntil: Self.day("2026-02-28"), today: today))
        #expect(!MembershipChange.shows(.ended, validUntil: nil, today: today))
        #expect(MembershipChange.shows(.all, validUntil: Self.day("2020-01-01"), today: today))
    }

    @Test func daysAddAcrossMonthsYearsAndDaylightSaving() {
        #expect(Self.day("2026-03-01").adding(days: -1) == Self.day("2026-02-28"))
        #expect(Self.day("2024-03-01").adding(days: -1) == Self.day("2024-02-29"))
        #expect(Self.day("2027-01-01").adding(days: -1) == Self.day("2026-12-31"))
        #expect(Self.day("2026-03-29").adding(days: 1) == Self.day("2026-03-30"), "the night the clocks go forward in Brussels")
        #expect(Self.day("2026-10-25").adding(days: -1) == Self.day("2026-10-24"))
    }

    @Test func staffManageTheMembersAndChairsOfTheirOwnBoardOnly() {
        let today = Self.day("2026-03-01")
        let memberships = [
            AccessSubject.Membership(board: "ZR-HERKENRODE", province: .limburg, role: .staff),
            AccessSubject.Membership(board: "ZR-GENT", province: .oostVlaanderen, role: .member),
            AccessSubject.Membership(board: "ZR-BRUGGE", province: .westVlaanderen, role: .staff, validUntil: Self.day("2026-02-28")),
        ]
        let staff = BoardPermissions(isAdmin: false, memberships: memberships, today: today)

        #expect(staff.staffOf == ["ZR-HERKENRODE"], "a member is not staff, and an ended staff membership no longer counts")
        #expect(staff.mayUseBoards)
        #expect(staff.mayView(board: "ZR-HERKENRODE") && !staff.mayView(board: "ZR-GENT"))
        #expect(staff.mayManage(board: "ZR-HERKENRODE", role: .member) && staff.mayManage(board: "ZR-HERKENRODE", role: .chair))
        #expect(!staff.mayManage(board: "ZR-HERKENRODE", role: .staff))
        #expect(!staff.mayManage(board: "ZR-GENT", role: .member))
        #expect(staff.grantableRoles(board: "ZR-HERKENRODE") == [.member, .chair])
        #expect(!staff.mayImport && !staff.mayExportAll && !staff.mayManageGroups)
    }

    @Test func adminsMayEverythingAndOthersNothing() {
        let admin = BoardPermissions(isAdmin: true)
        let learner = BoardPermissions(isAdmin: false, memberships: [], today: Self.day("2026-03-01"))

        #expect(admin.mayManage(board: "ZR-GENT", role: .staff) && admin.mayImport && admin.mayManageGroups)
        #expect(admin.grantableRoles(board: "ZR-GENT") == BoardRole.known)
        #expect(!learner.mayUseBoards && !learner.mayView(board: "ZR-GENT"))
    }
}
