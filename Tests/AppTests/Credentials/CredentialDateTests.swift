import Foundation
import Testing
@testable import App

@Suite("Credential dates and credit points written without formatters")
struct CredentialDateTests {
    static func foundationString(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    @Test func datesReadAsISO8601DateFormatterWritesAndReadsThem() {
        var seconds: [Double] = [0, -1, 0.75, -0.25, 951_782_400, 1_795_000_000.999, 4_107_542_399, 253_402_300_799]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 { seconds.append(Double.random(in: -2_000_000_000...4_000_000_000, using: &generator)) }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            let text = CredentialDate.string(date)
            #expect(text == Self.foundationString(date), "\(value)")
            #expect(CredentialDate.parse(text) == Date(timeIntervalSince1970: value.rounded(.down)), "\(text)")
        }
    }

    @Test func onlyRealInstantsTakeTheFastPath() {
        #expect(CivilTime.seconds(utc: "2026-11-23T09:05:00Z") == 1_795_424_700)
        #expect(CivilTime.seconds(utc: "2024-02-29T00:00:00Z") != nil)
        #expect(CivilTime.seconds(utc: "2026-02-29T00:00:00Z") == nil)
        #expect(CivilTime.seconds(utc: "2026-13-01T00:00:00Z") == nil)
        #expect(CivilTime.seconds(utc: "2026-11-23T24:00:00Z") == nil)
        #expect(CivilTime.seconds(utc: "2026-11-23T09:05:00+01:00") == nil)
        #expect(CredentialDate.parse("2026-11-23T10:05:00+01:00") == Date(timeIntervalSince1970: 1_795_424_700),
                "offsets still read through Foundation")
        #expect(CredentialDate.parse("23/11/2026") == nil)
    }

    @Test func creditPointsReadAsBefore() {
        for tenth in stride(from: -40, through: 40, by: 1) {
            let points = Double(tenth) / 10
            let expected = points.rounded() == points ? String(Int(points)) : String(format: "%.1f", points)
            #expect(CreditPoints.text(points, unit: "CP", language: .en) == "\(expected) CP")
            #expect(CreditPoints.text(points, unit: "CP", language: .nl) == "\(expected.replacingOccurrences(of: ".", with: ",")) CP")
        }
        #expect(CreditPoints.text(1.5, unit: "CP", language: .nl) == "1,5 CP")
        #expect(CreditPoints.text(1.25, unit: "CP", language: .fr) == "1,2 CP")
    }
}
