@testable import App
import Foundation
import Testing

/// When a learner may take a completed course again in a new accreditation cycle, and until when a record
/// counts: plain values, no storage.
@Suite struct CycleRenewalTests {
    static func day(_ text: String) throws -> CalendarDay { try #require(CalendarDay(iso: text)) }

    @Test func aRecordCountsForItsMonthsUpToTheDayBeforeTheAnniversary() throws {
        #expect(CycleRenewal.lastDay(completedOn: try Self.day("2026-03-15"), months: 36) == (try Self.day("2029-03-14")))
        #expect(CycleRenewal.lastDay(completedOn: try Self.day("2026-01-01"), months: 12) == (try Self.day("2026-12-31")))
        // Month ends clamp: 31 January plus one month is 29 February in a leap year.
        #expect(CycleRenewal.lastDay(completedOn: try Self.day("2024-01-31"), months: 1) == (try Self.day("2024-02-28")))
    }

    @Test func addingDaysStaysOnWholeDaysAcrossDaylightSavingChanges() throws {
        #expect(CycleRenewal.adding(days: 1, to: try Self.day("2026-03-28")) == (try Self.day("2026-03-29")))
        #expect(CycleRenewal.adding(days: 1, to: try Self.day("2026-10-25")) == (try Self.day("2026-10-26")))
        #expect(CycleRenewal.adding(days: -90, to: try Self.day("2029-03-14")) == (try Self.day("2028-12-14")))
    }

    @Test func theLearnerMayStartAgainFromNinetyDaysBeforeTheRecordLapsesAndAfter() throws {
        let renewal = CycleRenewal(round: .finished, courseOpen: true, validUntil: [try Self.day("2029-03-14")])

        let early = renewal.decide(by: .learner, today: try Self.day("2028-12-13"))
        let first = renewal.decide(by: .learner, today: try Self.day("2028-12-14"))
        let lastDay = renewal.decide(by: .learner, today: try Self.day("2029-03-14"))
        let lapsed = renewal.decide(by: .learner, today: try Self.day("2030-01-01"))

        #expect(early == .notYet(opensOn: try Self.day("2028-12-14")))
        #expect(first == .open && lastDay == .open && lapsed == .open)
        #expect(!CycleRenewal.hasLapsed(try Self.day("2029-03-14"), today: try Self.day("2029-03-14")))
        #expect(CycleRenewal.hasLapsed(try Self.day("2029-03-14"), today: try Self.day("2029-03-15")))
    }

    @Test func withSeveralRecordsTheFirstToLapseDecidesAndTheWindowCanBeChosen() throws {
        let renewal = CycleRenewal(round: .finished, courseOpen: true,
                                   validUntil: [try Self.day("2030-06-30"), try Self.day("2029-03-14")])

        #expect(renewal.countsUntil == (try Self.day("2029-03-14")))
        #expect(renewal.decide(by: .learner, today: try Self.day("2029-02-01"), window: 30)
                == .notYet(opensOn: try Self.day("2029-02-12")))
        #expect(renewal.decide(by: .learner, today: try Self.day("2029-02-12"), window: 30) == .open)
    }

    @Test func withoutAValidityPeriodOnlyStaffOpenANewRound() throws {
        let renewal = CycleRenewal(round: .finished, courseOpen: true, validUntil: [])

        #expect(renewal.decide(by: .learner, today: try Self.day("2026-11-23")) == .staffOnly)
        #expect(renewal.decide(by: .staff, today: try Self.day("2026-11-23")) == .open)
        #expect(renewal.countsUntil == nil)
    }

    @Test func staffMayOpenEarlyButNobodyRenewsAnUnfinishedRoundOrAClosedCourse() throws {
        let future = [try Self.day("2031-01-01")]
        let today = try Self.day("2026-11-23")

        #expect(CycleRenewal(round: .finished, courseOpen: true, validUntil: future).decide(by: .staff, today: today) == .open)
        for initiator in [CycleRenewal.Initiator.learner, .staff] {
            #expect(CycleRenewal(round: .inProgress, courseOpen: true, validUntil: []).decide(by: initiator, today: today) == .inProgress)
            #expect(CycleRenewal(round: .notEnrolled, courseOpen: true, validUntil: []).decide(by: initiator, today: today) == .notEnrolled)
            #expect(CycleRenewal(round: .finished, courseOpen: false, validUntil: [today]).decide(by: initiator, today: today) == .courseClosed)
        }
    }

    @Test func anAccreditationWithAValidityPeriodGivesItsRecordsALastDay() throws {
        let completedAt = try Self.day("2026-03-15").start().addingTimeInterval(10 * 3600)
        let lapsing = PackageAccreditation(body: "riziv-inami", number: "A-1", points: 2, rubric: "6", validityMonths: 36)
        let lasting = PackageAccreditation(body: "apb", number: "B-1", points: 1, unit: "points", rubric: "B")

        let issue = AccreditationIssue.decide(accreditations: [lapsing, lasting], completedAt: completedAt,
                                              registrationNumber: "12345625003", organiserNumbers: [:])

        #expect(issue.drafts.map(\.validUntil) == ["2029-03-14", nil])
    }

    @Test func theValidityPeriodSurvivesStorageAndOlderRowsWithoutItStillRead() throws {
        let accreditation = PackageAccreditation(body: "riziv-inami", number: "A-1", points: 2, validityMonths: 60)
        let stored = try JSONEncoder().encode([accreditation])
        let older = Data(#"[{"body":"apb","number":"B-1","points":1,"unit":"points"}]"#.utf8)

        #expect(try JSONDecoder().decode([PackageAccreditation].self, from: stored) == [accreditation])
        #expect(try JSONDecoder().decode([PackageAccreditation].self, from: older).first?.validityMonths == nil)
    }
}

/// `validity-months` on an `<accreditation>` of course.xml.
@Suite struct AccreditationValidityManifestTests {
    static func parse(_ accreditation: String) throws -> (CoursePackage?, PackageReport) {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <course xmlns="https://academy.vivel.be/xmlns/course/1" format-version="1.0" key="fixture:validity" language="nl">
              <title>Geldigheid</title>
              \(accreditation)
              <modules>
                <module key="m1" kind="link"><title>Link</title><content href="https://example.org/"/></module>
              </modules>
            </course>
            """
        let root = try ManifestXMLReader().read(Data(xml.utf8))
        var report = PackageReport()
        let package = CourseManifestParser().parse(root, report: &report)
        return (package, report)
    }

    @Test func aValidityInMonthsIsRead() throws {
        let (package, report) = try Self.parse(#"<accreditation body="riziv-inami" number="123456" points="2" validity-months="36"/>"#)

        #expect(report.issues.isEmpty, "\(report.issues.map(\.message))")
        #expect(package?.accreditation?.validityMonths == 36)
    }

    @Test(arguments: ["0", "drie jaar", "1.5", "601"])
    func aValidityThatIsNotAWholeNumberOfMonthsIsAnError(value: String) throws {
        let (_, report) = try Self.parse(#"<accreditation body="riziv-inami" number="123456" points="2" validity-months="\#(value)"/>"#)

        let issue = try #require(report.issues.first { $0.code == "accreditation.validity.invalid" })
        #expect(issue.severity == .error)
        #expect(issue.line == 4)
        #expect(issue.message == "validity-months=\"\(value)\" is not a whole number of months from 1 to 600")
        #expect(issue.isTranslated(into: .nl) && issue.isTranslated(into: .fr))
    }
}
