import Foundation
import Testing
@testable import App

/// Instants are written in UTC on purpose, so the tests do not lean on the code's own time zone handling.
@Suite("Date conditions at the edges of Brussels days")
struct AccessDateBoundaryTests {
    func allowed(_ rule: AccessRule, at instant: String) -> Bool {
        rule.evaluate(for: AccessScenario.trainer, in: AccessScenario.context(at: AccessScenario.utc(instant))).allowed
    }

    @Test("from opens at 00:00 Brussels time (winter, UTC+1)")
    func fromInWinter() {
        let rule = AccessRule.date(from: AccessScenario.day("2027-03-01"))
        #expect(!allowed(rule, at: "2027-02-28T22:59:59Z"))
        #expect(allowed(rule, at: "2027-02-28T23:00:00Z"))
    }

    @Test("until closes after 23:59:59 Brussels time (summer, UTC+2)")
    func untilInSummer() {
        let rule = AccessRule.date(until: AccessScenario.day("2026-07-31"))
        #expect(allowed(rule, at: "2026-07-31T21:59:59Z"))
        #expect(!allowed(rule, at: "2026-07-31T22:00:00Z"))
    }

    @Test("a one-day window on the spring DST change day (29 March 2026, 23 hours long)")
    func springForwardDay() {
        let rule = AccessRule.date(from: AccessScenario.day("2026-03-29"), until: AccessScenario.day("2026-03-29"))
        #expect(!allowed(rule, at: "2026-03-28T22:59:59Z")) // 28 March 23:59:59 CET
        #expect(allowed(rule, at: "2026-03-28T23:00:00Z"))  // 29 March 00:00 CET
        #expect(allowed(rule, at: "2026-03-29T01:00:00Z"))  // 03:00 CEST, just after the change
        #expect(allowed(rule, at: "2026-03-29T21:59:59Z"))  // 23:59:59 CEST
        #expect(!allowed(rule, at: "2026-03-29T22:00:00Z")) // 30 March 00:00 CEST
    }

    @Test("a one-day window on the autumn DST change day (25 October 2026, 25 hours long)")
    func fallBackDay() {
        let rule = AccessRule.date(from: AccessScenario.day("2026-10-25"), until: AccessScenario.day("2026-10-25"))
        #expect(!allowed(rule, at: "2026-10-24T21:59:59Z")) // 24 October 23:59:59 CEST
        #expect(allowed(rule, at: "2026-10-24T22:00:00Z"))  // 25 October 00:00 CEST
        #expect(allowed(rule, at: "2026-10-25T00:30:00Z"))  // 02:30 CEST, first pass
        #expect(allowed(rule, at: "2026-10-25T01:30:00Z"))  // 02:30 CET, second pass
        #expect(allowed(rule, at: "2026-10-25T22:59:59Z"))  // 23:59:59 CET
        #expect(!allowed(rule, at: "2026-10-25T23:00:00Z")) // 26 October 00:00 CET
    }

    @Test("the denial says whether it is not open yet or closed")
    func reasons() {
        let rule = AccessRule.date(from: AccessScenario.day("2026-01-01"), until: AccessScenario.day("2026-12-31"))
        let early = rule.evaluate(for: .anonymous, in: AccessScenario.context(at: AccessScenario.utc("2025-12-31T12:00:00Z")))
        let late = rule.evaluate(for: .anonymous, in: AccessScenario.context(at: AccessScenario.utc("2027-01-01T12:00:00Z")))
        #expect(early == .deny([.notYetOpen(from: AccessScenario.day("2026-01-01"))]))
        #expect(late == .deny([.closed(until: AccessScenario.day("2026-12-31"))]))
    }

    @Test("CalendarDay's start and end are the Brussels midnights, DST included")
    func dayBounds() {
        let spring = AccessScenario.day("2026-03-29")
        #expect(spring.start() == AccessScenario.utc("2026-03-28T23:00:00Z"))
        #expect(spring.end() == AccessScenario.utc("2026-03-29T22:00:00Z"))
        let autumn = AccessScenario.day("2026-10-25")
        #expect(autumn.end().timeIntervalSince(autumn.start()) == 25 * 3600)
    }

    @Test("calendar days are parsed strictly", arguments: ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026-04-31", " 2026-01-01", "2026/01/01", ""])
    func invalidDays(text: String) {
        #expect(CalendarDay(iso: text) == nil)
    }

    @Test("leap day exists in 2028")
    func leapDay() {
        #expect(CalendarDay(iso: "2028-02-29")?.iso == "2028-02-29")
    }
}
