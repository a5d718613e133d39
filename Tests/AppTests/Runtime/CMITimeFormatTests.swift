@testable import App
import Testing

@Suite struct CMITimeFormatTests {
    @Test(arguments: [("00:00:00", 0.0), ("01:02:03", 3723.0), ("0001:00:00.5", 3600.5),
                      ("9999:59:59.99", 9999 * 3600 + 3599.99), ("100:00:00.25", 360_000.25)])
    func timespanParses(text: String, seconds: Double) {
        #expect(CMITimeFormat.secondsFromTimespan(text) == seconds)
    }

    @Test(arguments: ["", "1:00:00", "00000:00:00", "00:60:00", "00:00:60", "00:00:00.123", "00:00:00.",
                      "00:00", "aa:bb:cc", "00:0:00", "PT1H", "-1:00:00"])
    func badTimespansAreRejected(text: String) {
        #expect(CMITimeFormat.secondsFromTimespan(text) == nil)
    }

    @Test func timespanFormatsWithFourDigitHours() {
        #expect(CMITimeFormat.timespan(seconds: 0) == "0000:00:00.00")
        #expect(CMITimeFormat.timespan(seconds: 3723.5) == "0001:02:03.50")
    }

    @Test(arguments: [("12:30:00", true), ("23:59:59.9", true), ("24:00:00", false), ("12:30", false)])
    func timeOfDay12(text: String, valid: Bool) {
        #expect(CMITimeFormat.isTime12(text) == valid)
    }

    @Test(arguments: [("PT0S", 0.0), ("PT1H2M3S", 3723.0), ("PT1.5S", 1.5), ("PT0.25S", 0.25), ("P1D", 86_400.0),
                      ("P1DT1H", 90_000.0), ("PT90M", 5400.0), ("P1Y", 365 * 86_400.0), ("P1M", 30 * 86_400.0)])
    func durationParses(text: String, seconds: Double) {
        #expect(CMITimeFormat.secondsFromDuration(text) == seconds)
    }

    @Test(arguments: ["", "P", "PT", "P1DT", "1H", "PT1H2H", "PT2M1H", "PT1.555S", "PT1.5M", "P1H", "PT-1S",
                      "pt1s", "PT1S ", "0001:00:00", "PT.5S"])
    func badDurationsAreRejected(text: String) {
        #expect(CMITimeFormat.secondsFromDuration(text) == nil)
    }

    @Test func durationFormatsHoursMinutesSeconds() {
        #expect(CMITimeFormat.duration(seconds: 0) == "PT0S")
        #expect(CMITimeFormat.duration(seconds: 3723.5) == "PT1H2M3.5S")
        #expect(CMITimeFormat.duration(seconds: 60.05) == "PT1M0.05S")
        #expect(CMITimeFormat.duration(seconds: 7200) == "PT2H")
        #expect(CMITimeFormat.secondsFromDuration(CMITimeFormat.duration(seconds: 4000.37)) == 4000.37)
    }

    @Test(arguments: [("2026", true), ("2026-11-23", true), ("2026-11-23T10:15:30", true),
                      ("2026-11-23T10:15:30.5Z", true), ("2026-11-23T10:15:30+01:00", true),
                      ("2026-13-01", false), ("1969", false), ("2026-11-23T25:00", false), ("23/11/2026", false),
                      ("2026-11-23T10:15:30.123", false)])
    func timestamp2004(text: String, valid: Bool) {
        #expect(CMITimeFormat.isTimestamp2004(text) == valid)
    }
}
