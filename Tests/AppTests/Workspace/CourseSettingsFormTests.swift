@testable import App
import Foundation
import Testing

/// The metadata and enrolment settings forms: what they accept, and a message per field for what they refuse.
@Suite struct CourseSettingsFormTests {
    static let current = CourseMetadata(
        title: ["nl": "Wondzorg thuis", "de": "Wundversorgung"], summary: ["nl": "Kort"], description: ["nl": "Lang"],
        themes: ["privacy"], professions: ["gp"], durationMinutes: 60,
        accreditations: [PackageAccreditation(body: "riziv-inami", number: "A-1", points: 1.5, unit: "CP", rubric: "6",
                                              validFrom: "2027-01-01", validUntil: "2027-12-31")])

    static func posted(_ form: CourseMetadataForm, _ changes: [(String, String)]) -> [(String, String)] {
        var fields: [(String, String)] = []
        for (name, value) in form.texts { fields.append((name, value)) }
        fields += form.themes.map { ("themes", $0) } + form.professions.map { ("professions", $0) } + [("duration", form.duration)]
        for (index, row) in form.accreditations.enumerated() {
            let prefix = "accreditation.\(index + 1)"
            fields += [("\(prefix).body", row.body), ("\(prefix).number", row.number), ("\(prefix).points", row.points),
                       ("\(prefix).unit", row.unit), ("\(prefix).rubric", row.rubric), ("\(prefix).valid-from", row.validFrom),
                       ("\(prefix).valid-until", row.validUntil)]
        }
        let changed = Set(changes.map(\.0))
        return fields.filter { !changed.contains($0.0) } + changes
    }

    @Test func anUnchangedFormGivesBackTheSameMetadata() throws {
        let form = CourseMetadataForm(fields: Self.posted(CourseMetadataForm(Self.current), []))
        let (metadata, problems) = form.validate(current: Self.current, courseLanguage: "nl")
        #expect(problems.isEmpty)
        #expect(metadata == Self.current, "German, which the form does not show, is kept")
        #expect(metadata?.changedFields(comparedWith: Self.current) == [])
    }

    @Test func editsAreReadAsTyped() throws {
        let fields = Self.posted(CourseMetadataForm(Self.current), [
            ("title.fr", " Soins des plaies "), ("summary.nl", ""), ("themes", "vaccination"), ("professions", "home-nurse"),
            ("duration", ""), ("accreditation.1.points", "2,5"),
            ("accreditation.2.body", "apb"), ("accreditation.2.number", "APB-9"), ("accreditation.2.points", "3"),
            ("accreditation.2.rubric", "B"),
        ])
        let (metadata, problems) = CourseMetadataForm(fields: fields).validate(current: Self.current, courseLanguage: "nl")
        let result = try #require(metadata, "\(problems)")
        #expect(result.title == ["nl": "Wondzorg thuis", "fr": "Soins des plaies", "de": "Wundversorgung"])
        #expect(result.summary == [:])
        #expect(result.themes == ["vaccination"])
        #expect(result.professions == ["home-nurse"])
        #expect(result.durationMinutes == nil)
        #expect(result.accreditations.map(\.points) == [2.5, 3])
        #expect(result.accreditations[1] == PackageAccreditation(body: "apb", number: "APB-9", points: 3, unit: "CP", rubric: "B"))
        #expect(result.changedFields(comparedWith: Self.current) == ["title", "summary", "themes", "professions", "duration", "accreditations"])
    }

    @Test func eachMistakeGetsAMessageOnItsField() {
        let fields = Self.posted(CourseMetadataForm(Self.current), [
            ("title.nl", ""), ("summary.en", String(repeating: "x", count: 601)), ("themes", "astrology"),
            ("duration", "anderhalf uur"), ("accreditation.1.points", "0"), ("accreditation.1.valid-until", "2026-01-01"),
            ("accreditation.2.body", "apb"), ("accreditation.2.rubric", "Z"),
            ("accreditation.3.body", "riziv-inami"), ("accreditation.3.number", "X"), ("accreditation.3.points", "1"),
        ])
        let (metadata, problems) = CourseMetadataForm(fields: fields).validate(current: Self.current, courseLanguage: "nl")
        #expect(metadata == nil)
        #expect(problems.map(\.field) == ["summary.en", "title.nl", "themes", "duration", "accreditation.1.points",
                                          "accreditation.1.valid-until", "accreditation.2.number", "accreditation.2.points",
                                          "accreditation.2.rubric", "accreditation.3.body"])
        #expect(problems.first { $0.field == "summary.en" }?.arguments == ["600", "601"])
        #expect(problems.last?.key == "settings.metadata.error.body-twice")
        for problem in problems {
            for language in Language.allCases {
                #expect(MessageCatalogue.has(problem.key, language), "\(problem.key) in \(language)")
            }
        }
    }

    @Test func aRowMarkedForRemovalGoes() {
        let fields = Self.posted(CourseMetadataForm(Self.current), [("accreditation.1.remove", "on")])
        let (metadata, _) = CourseMetadataForm(fields: fields).validate(current: Self.current, courseLanguage: "nl")
        #expect(metadata?.accreditations == [])
    }

    // MARK: Enrolment settings

    static let boards: Set<String> = ["ZR-HASSELT", "ZR-GENT"]

    @Test func enrolmentSettingsRoundTrip() throws {
        let values = EnrolmentSettingsValues(enrolmentKey: "zomer", opensOn: "2027-03-01", closesOn: "2027-03-31", capacity: 20,
                                             reservedSeats: ["ZR-GENT": 5, "ZR-HASSELT": 3], waitingList: true)
        let form = EnrolmentSettingsForm(values)
        var fields: [(String, String)] = [("key", form.key), ("opens-on", form.opensOn), ("closes-on", form.closesOn),
                                          ("capacity", form.capacity), ("waiting-list", "on")]
        for (index, row) in form.reserved.enumerated() {
            fields += [("reserved.\(index + 1).board", row.board), ("reserved.\(index + 1).seats", row.seats)]
        }
        fields += [("reserved.9.board", ""), ("reserved.9.seats", "")]
        let (read, problems) = EnrolmentSettingsForm(fields: fields).validate(boards: Self.boards)
        #expect(problems.isEmpty)
        #expect(read == values)
        #expect(EnrolmentSettingsForm(fields: []).validate(boards: Self.boards).values == .open)
    }

    @Test func enrolmentMistakesGetAMessageOnTheirField() {
        let fields: [(String, String)] = [
            ("key", String(repeating: "k", count: 101)), ("opens-on", "2027-04-01"), ("closes-on", "2027-03-01"),
            ("capacity", "5"), ("reserved.1.board", "ZR-GENT"), ("reserved.1.seats", "4"),
            ("reserved.2.board", "ZR-GENT"), ("reserved.2.seats", "2"), ("reserved.3.board", "ZR-MARS"), ("reserved.3.seats", "1"),
            ("reserved.4.board", "ZR-HASSELT"), ("reserved.4.seats", "veel"), ("reserved.5.board", "ZR-HASSELT"), ("reserved.5.seats", "3"),
        ]
        let (values, problems) = EnrolmentSettingsForm(fields: fields).validate(boards: Self.boards)
        #expect(values == nil)
        #expect(problems.map(\.field) == ["key", "closes-on", "reserved.2.board", "reserved.3.board", "reserved.4.seats", "capacity"])
        #expect(problems.last?.arguments == ["7", "5"], "4 for Gent and 3 for Hasselt exceed the 5 seats")

        let noCapacity = EnrolmentSettingsForm(fields: [("waiting-list", "on"), ("reserved.1.board", "ZR-GENT"), ("reserved.1.seats", "2")])
            .validate(boards: Self.boards)
        #expect(noCapacity.problems.map(\.key) == ["settings.enrolment.error.waiting-needs-capacity", "settings.enrolment.error.reserved-needs-capacity"])
    }
}
