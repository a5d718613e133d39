@testable import App
import Foundation
import Testing

/// Group keys, names and pasted member lists, without a database.
@Suite struct GroupRosterTests {
    @Test func keysAreLowerCaseWordsWithHyphensStartingWithALetter() {
        #expect(GroupRoster.isValidKey("vaccinatiecentra"))
        #expect(GroupRoster.isValidKey("pm-vaccinatie-2026"))
        #expect(!GroupRoster.isValidKey("Vaccinatiecentra"))
        #expect(!GroupRoster.isValidKey("2026-pm"))
        #expect(!GroupRoster.isValidKey("pm-"))
        #expect(!GroupRoster.isValidKey("p"))
        #expect(!GroupRoster.isValidKey("pm vaccinatie"))
        #expect(!GroupRoster.isValidKey(String(repeating: "a", count: 61)))
    }

    @Test func aNewGroupNeedsAFreeValidKeyAndADutchName() {
        let good = GroupRoster.check(key: " vaccinatiecentra ", names: ["nl": "Populatiemanagers", "fr": "", "en": "Population managers"],
                                     existingKeys: ["andere"])
        let taken = GroupRoster.check(key: "andere", names: ["nl": ""], existingKeys: ["andere"])
        let invalid = GroupRoster.check(key: "Niet Goed", names: ["nl": "Naam"], existingKeys: [])

        #expect(good.group == GroupRoster.NewGroup(key: "vaccinatiecentra", names: ["nl": "Populatiemanagers", "en": "Population managers"]))
        #expect(taken.group == nil)
        #expect(taken.problems == [FieldProblem("key", "boards.group.error.key.taken", ["andere"]),
                                   FieldProblem("name_nl", "boards.group.error.name.missing")])
        #expect(invalid.problems.map(\.key) == ["boards.group.error.key.invalid"])
    }

    @Test func pastedListsGiveTheirAddressesOnceAndNameWhatIsNotAnAddress() {
        let text = "email\nAn@Zorgraad.be\r\njan@zorgraad.be, \"Piet Peeters\" <piet@zorgraad.be>; an@zorgraad.be\n\nniet-een-adres\nLies Maes lies@zorgraad.be\n"

        let parsed = GroupRoster.addresses(in: text)

        #expect(parsed.addresses.map(\.value) == ["an@zorgraad.be", "jan@zorgraad.be", "piet@zorgraad.be", "lies@zorgraad.be"])
        #expect(parsed.invalid == ["niet-een-adres"])
    }

    @Test func aCSVWithAnEmailColumnGivesThatColumnOnly() {
        let parsed = GroupRoster.addresses(in: "naam;email;zorgraad\nAn Peeters;an@zorgraad.be;ZR-GENT\nJan Maes;jan@zorgraad.be;ZR-GENT\n")

        #expect(parsed.addresses.map(\.value) == ["an@zorgraad.be", "jan@zorgraad.be"])
        #expect(parsed.invalid.isEmpty)
    }
}
