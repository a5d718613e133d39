@testable import App
import Foundation
import Testing

@Suite struct EnrolmentPolicyTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }
    static let nobody = EnrolmentCounts(active: 0)

    @Test func theWindowIncludesItsFirstAndLastDay() {
        let policy = EnrolmentPolicy(rules: EnrolmentRules(opensOn: Self.day("2027-03-01"), closesOn: Self.day("2027-03-31")))

        let before = policy.decide(today: Self.day("2027-02-28"), presentedKey: nil, boards: [], counts: Self.nobody)
        let first = policy.decide(today: Self.day("2027-03-01"), presentedKey: nil, boards: [], counts: Self.nobody)
        let last = policy.decide(today: Self.day("2027-03-31"), presentedKey: nil, boards: [], counts: Self.nobody)
        let after = policy.decide(today: Self.day("2027-04-01"), presentedKey: nil, boards: [], counts: Self.nobody)

        #expect(before == .refused(.notOpenYet))
        #expect(first == .enrolled(.general))
        #expect(last == .enrolled(.general))
        #expect(after == .refused(.closed))
    }

    @Test func brusselsDecidesTheDayNotUTC() throws {
        // 31 March 2027 22:30 UTC is already 1 April 00:30 in Brussels (summer time).
        let lateEvening = try #require(ISO8601DateFormatter().date(from: "2027-03-31T22:30:00Z"))
        let policy = EnrolmentPolicy(rules: EnrolmentRules(closesOn: Self.day("2027-03-31")))

        let outcome = policy.decide(today: CalendarDay(lateEvening), presentedKey: nil, boards: [], counts: Self.nobody)

        #expect(outcome == .refused(.closed))
    }

    @Test func aKeyMustBeGivenAndRight() {
        let policy = EnrolmentPolicy(rules: EnrolmentRules(key: "Wondzorg-2027"))
        let today = Self.day("2027-03-10")

        #expect(policy.decide(today: today, presentedKey: nil, boards: [], counts: Self.nobody) == .refused(.keyRequired))
        #expect(policy.decide(today: today, presentedKey: "   ", boards: [], counts: Self.nobody) == .refused(.keyRequired))
        #expect(policy.decide(today: today, presentedKey: "wondzorg-2027", boards: [], counts: Self.nobody) == .refused(.wrongKey))
        #expect(policy.decide(today: today, presentedKey: "Wondzorg-202", boards: [], counts: Self.nobody) == .refused(.wrongKey))
        #expect(policy.decide(today: today, presentedKey: " Wondzorg-2027 ", boards: [], counts: Self.nobody) == .enrolled(.general))
        #expect(policy.decide(today: today, presentedKey: nil, keyAlreadyGiven: true, boards: [], counts: Self.nobody) == .enrolled(.general))
    }

    @Test func theWindowIsCheckedBeforeTheKey() {
        let policy = EnrolmentPolicy(rules: EnrolmentRules(key: "k", opensOn: Self.day("2027-03-01")))

        #expect(policy.decide(today: Self.day("2027-02-01"), presentedKey: "k", boards: [], counts: Self.nobody) == .refused(.notOpenYet))
    }

    @Test func theLastSeatIsTakenThenTheCourseIsFull() {
        let refusing = EnrolmentPolicy(rules: EnrolmentRules(capacity: 5))
        let queueing = EnrolmentPolicy(rules: EnrolmentRules(capacity: 5, waitingList: true))
        let today = Self.day("2027-03-10")

        #expect(refusing.decide(today: today, presentedKey: nil, boards: [], counts: .init(active: 4)) == .enrolled(.general))
        #expect(refusing.decide(today: today, presentedKey: nil, boards: [], counts: .init(active: 5)) == .refused(.full))
        #expect(queueing.decide(today: today, presentedKey: nil, boards: [], counts: .init(active: 5)) == .waiting)
        #expect(queueing.decide(today: today, presentedKey: nil, boards: [], counts: .init(active: 4)) == .enrolled(.general))
    }

    @Test func reservedSeatsGoOnlyToTheirBoardsMembers() {
        // 5 seats, 2 of them for ZR-GENT: 3 general seats.
        let policy = EnrolmentPolicy(rules: EnrolmentRules(capacity: 5, reservedSeats: ["ZR-GENT": 2]))
        let generalFull = EnrolmentCounts(seats: [nil, nil, nil])
        let allFull = EnrolmentCounts(seats: [nil, nil, nil, "ZR-GENT", "ZR-GENT"])

        #expect(policy.seat(boards: [], counts: generalFull) == nil)
        #expect(policy.seat(boards: ["ZR-HERKENRODE"], counts: generalFull) == nil)
        #expect(policy.seat(boards: ["ZR-GENT"], counts: generalFull) == .reserved(board: "ZR-GENT"))
        #expect(policy.seat(boards: ["ZR-GENT"], counts: EnrolmentCounts(seats: [nil, "ZR-GENT", "ZR-GENT"])) == .general)
        #expect(policy.seat(boards: ["ZR-GENT"], counts: allFull) == nil)
        #expect(policy.generalSeatsLeft(counts: generalFull) == 0)
        #expect(policy.generalSeatsLeft(counts: EnrolmentCounts(seats: ["ZR-GENT"])) == 3)
    }

    @Test func reservationsLargerThanTheCapacityNeverExceedIt() {
        let policy = EnrolmentPolicy(rules: EnrolmentRules(capacity: 2, reservedSeats: ["ZR-GENT": 3]))

        #expect(policy.seat(boards: [], counts: .init(active: 0)) == nil)
        #expect(policy.seat(boards: ["ZR-GENT"], counts: EnrolmentCounts(seats: ["ZR-GENT", "ZR-GENT"])) == nil)
    }

    @Test func withoutSettingsEveryoneEnrols() {
        let outcome = EnrolmentPolicy(rules: .open).decide(today: Self.day("2027-03-10"), presentedKey: "x", boards: [],
                                                          counts: .init(active: 10_000))

        #expect(outcome == .enrolled(.general))
    }
}
