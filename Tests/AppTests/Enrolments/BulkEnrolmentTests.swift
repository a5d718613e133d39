@testable import App
import Foundation
import Testing

/// Reading and planning a list of people to enrol, without a database.
@Suite struct BulkEnrolmentTests {
    static let people: [String: BulkEnrolment.Person] = [
        "an@zorgraad.be": .init(),
        "jan@zorgraad.be": .init(boards: ["ZR-GENT"]),
        "piet@zorgraad.be": .init(standing: .active),
        "lies@zorgraad.be": .init(standing: .ended),
        "els@zorgraad.be": .init(deniedBecause: ["Enkel voor medewerkers en leden van een zorgraad in Limburg."]),
        "tom@zorgraad.be": .init(),
    ]
    static let boards: Set<String> = ["ZR-GENT", "ZR-HERKENRODE"]

    static func lines(_ emails: String...) -> [BulkEnrolment.Line] {
        emails.enumerated().map { BulkEnrolment.Line(number: $0.offset + 1, email: $0.element) }
    }

    @Test func plainLinesAndCSVAreRead() throws {
        let plain = try BulkEnrolment.read("an@zorgraad.be\n\n jan@zorgraad.be ; zr-gent\r\n\"piet@zorgraad.be\"\n")
        let csv = try BulkEnrolment.read("naam,email,board\nAn,an@zorgraad.be,\nJan,jan@zorgraad.be,ZR-GENT\n")

        #expect(plain == [.init(number: 1, email: "an@zorgraad.be"), .init(number: 3, email: "jan@zorgraad.be", board: "ZR-GENT"),
                          .init(number: 4, email: "piet@zorgraad.be")])
        #expect(csv == [.init(number: 2, email: "an@zorgraad.be"), .init(number: 3, email: "jan@zorgraad.be", board: "ZR-GENT")])
        #expect(throws: CSVTable.Failure.self) { try BulkEnrolment.read("email\n\"an@zorgraad.be\n") }
    }

    @Test func everyLineGetsAnOutcomeWithItsReasons() {
        var lines = Self.lines("an@zorgraad.be", "PIET@zorgraad.be", "niemand@zorgraad.be", "geen adres", "els@zorgraad.be",
                               "an@zorgraad.be", "lies@zorgraad.be")
        lines.append(.init(number: 8, email: "tom@zorgraad.be", board: "ZR-GENT"))
        lines.append(.init(number: 9, email: "jan@zorgraad.be", board: "ZR-ATLANTIS"))

        let plan = BulkEnrolment.plan(lines, people: Self.people, knownBoards: Self.boards, rules: .open,
                                      counts: EnrolmentCounts(active: 0), waitingCount: 0)

        #expect(plan.entries.map(\.outcome) == [
            .enrol(.general),
            .already(.active),
            .refused([.unknownUser("niemand@zorgraad.be")]),
            .refused([.notAnEmail("geen adres")]),
            .refused([.deniedByRules(["Enkel voor medewerkers en leden van een zorgraad in Limburg."])]),
            .refused([.duplicate(ofLine: 1)]),
            .enrol(.general),
            .refused([.notBoardMember("ZR-GENT")]),
            .refused([.unknownBoard("ZR-ATLANTIS")]),
        ])
        #expect(plan.entries[1].email == "piet@zorgraad.be")
        #expect(!plan.isAcceptable && plan.enrolling == 2 && plan.already == 1 && plan.refused == 6)
    }

    @Test func capacityFillsReservedSeatsThenTheWaitingListInListOrder() {
        let rules = EnrolmentRules(capacity: 3, reservedSeats: ["ZR-GENT": 1], waitingList: true)
        var lines = Self.lines("an@zorgraad.be", "tom@zorgraad.be", "lies@zorgraad.be")
        lines.insert(.init(number: 0, email: "jan@zorgraad.be", board: "ZR-GENT"), at: 2)

        let plan = BulkEnrolment.plan(lines, people: Self.people, knownBoards: Self.boards, rules: rules,
                                      counts: EnrolmentCounts(active: 1), waitingCount: 2)

        #expect(plan.entries.map(\.outcome) == [.enrol(.general), .wait(position: 3), .enrol(.reserved(board: "ZR-GENT")),
                                                .wait(position: 4)],
                "one general seat was free besides the reserved one; the list joins the end of the waiting line")
        #expect(plan.isAcceptable && plan.changes)
    }

    @Test func withoutAWaitingListAFullCourseRefusesTheRest() {
        let rules = EnrolmentRules(capacity: 2)

        let plan = BulkEnrolment.plan(Self.lines("an@zorgraad.be", "tom@zorgraad.be", "lies@zorgraad.be"), people: Self.people,
                                      knownBoards: Self.boards, rules: rules, counts: EnrolmentCounts(active: 1), waitingCount: 0)

        #expect(plan.entries.map(\.outcome) == [.enrol(.general), .refused([.full]), .refused([.full])])
        #expect(!plan.isAcceptable)
    }

    @Test func theWindowAndTheKeyDoNotStopATrainer() {
        let rules = EnrolmentRules(key: "geheim", opensOn: CalendarDay(iso: "2099-01-01"), closesOn: CalendarDay(iso: "2099-01-31"))

        let plan = BulkEnrolment.plan(Self.lines("an@zorgraad.be"), people: Self.people, knownBoards: Self.boards, rules: rules,
                                      counts: EnrolmentCounts(active: 0), waitingCount: 0)

        #expect(plan.entries.map(\.outcome) == [.enrol(.general)])
    }
}
