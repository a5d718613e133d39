import Foundation
import Testing
@testable import App

@Suite("Plain-language explanations of access rules")
struct AccessExplainerTests {
    func explainer(_ language: Language) -> AccessExplainer {
        AccessExplainer(
            language: language,
            boardNames: ["ZR-LIM-NOORD": "Zorgraad Noord-Limburg"],
            groupNames: ["vaccination-population-managers": [
                "nl": "Populatiemanagers van vaccinatiecentra",
                "fr": "Gestionnaires de population des centres de vaccination",
                "en": "Population managers of vaccination centres",
            ]],
            courseTitles: ["zorgraad-basis": ["nl": "Basis zorgraad", "fr": "Bases du conseil de soins", "en": "Care board basics"]])
    }

    func explain(_ rule: AccessRule) -> [Language: String] {
        Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, explainer($0).explain(rule)) })
    }

    @Test("board members in a province")
    func boardInProvince() {
        let texts = explain(.boardMember(roles: [.staff, .member], provinces: [.limburg]))
        #expect(texts[.nl] == "Enkel voor medewerkers en leden van een zorgraad in Limburg")
        #expect(texts[.fr] == "Uniquement pour le personnel et les membres d’un conseil de soins en Limbourg")
        #expect(texts[.en] == "Only for staff and members of a care board in Limburg")
    }

    @Test("province names are the proper ones in each language")
    func provinceNames() {
        let texts = explain(.boardMember(roles: [.member], provinces: [.oostVlaanderen, .brussel]))
        #expect(texts[.nl] == "Enkel voor leden van een zorgraad in Oost-Vlaanderen of Brussel")
        #expect(texts[.fr] == "Uniquement pour les membres d’un conseil de soins en Flandre orientale ou à Bruxelles")
        #expect(texts[.en] == "Only for members of a care board in East Flanders or Brussels")
        #expect(Province.known.map { $0.name(in: .en) } ==
                ["Antwerp", "Limburg", "East Flanders", "Flemish Brabant", "West Flanders", "Brussels"])
    }

    @Test("clusters, a named board and chairs")
    func clustersAndBoards() {
        #expect(explainer(.nl).explain(.boardMember(roles: [.member], clusters: [.care])) ==
                "Enkel voor leden van een zorgraad uit het cluster zorg")
        #expect(explainer(.en).explain(.boardMember(roles: [.chair], boards: ["ZR-LIM-NOORD", "ZR-BRU"])) ==
                "Only for chairs of Zorgraad Noord-Limburg or care board ZR-BRU")
        #expect(explainer(.fr).explain(.boardMember(clusters: [.welfare, .localAuthorities])) ==
                "Uniquement pour le personnel et les membres d’un conseil de soins représentant le bien-être ou les pouvoirs locaux")
    }

    @Test("any-of joins with of / ou / or")
    func anyOf() {
        let texts = explain(.anyOf([.profession("gp"), .profession("pharmacist"), .inGroup("vaccination-population-managers")]))
        #expect(texts[.nl] == "Enkel voor huisartsen, apothekers of leden van de groep ‘Populatiemanagers van vaccinatiecentra’")
        #expect(texts[.fr] == "Uniquement pour les médecins généralistes, les pharmaciens ou les membres du groupe « Gestionnaires de population des centres de vaccination »")
        #expect(texts[.en] == "Only for GPs, pharmacists or members of the group ‘Population managers of vaccination centres’")
    }

    @Test("all-of joins with en / et / and, each part keeping its own restriction; dates in words")
    func allOf() {
        let texts = explain(.allOf([.profession("gp"), .hasRegistrationNumber, .date(from: AccessScenario.day("2027-03-01"))]))
        #expect(texts[.nl] == "Enkel voor huisartsen, enkel voor wie een RIZIV-nummer heeft en enkel vanaf 1 maart 2027")
        #expect(texts[.fr] == "Uniquement pour les médecins généralistes, uniquement pour les personnes ayant un numéro INAMI et uniquement à partir du 1er mars 2027")
        #expect(texts[.en] == "Only for GPs, only for people with a RIZIV/INAMI number and only from 1 March 2027")
    }

    @Test("not reads niet / sauf / not")
    func not() {
        let alone = explain(.not(.platformRole(.admin)))
        #expect(alone[.nl] == "Niet voor beheerders")
        #expect(alone[.fr] == "Sauf pour les administrateurs")
        #expect(alone[.en] == "Not for administrators")

        let exclusion = explain(.allOf([.boardMember(), .not(.boardMember(provinces: [.brussel]))]))
        #expect(exclusion[.nl] == "Enkel voor medewerkers en leden van een zorgraad, maar niet voor medewerkers en leden van een zorgraad in Brussel")
        #expect(exclusion[.fr] == "Uniquement pour le personnel et les membres d’un conseil de soins, sauf pour le personnel et les membres d’un conseil de soins à Bruxelles")
        #expect(exclusion[.en] == "Only for staff and members of a care board, but not for staff and members of a care board in Brussels")

        #expect(explainer(.nl).explain(.not(.not(.enrolmentKey))) == "Enkel met de inschrijvingssleutel")
    }

    @Test("nested alternatives are marked so each one is clear")
    func nested() {
        let texts = explain(.anyOf([
            .allOf([.boardMember(provinces: [.limburg]), .completed("zorgraad-basis")]),
            .platformRole(.admin),
        ]))
        #expect(texts[.nl] == "Enkel ofwel voor medewerkers en leden van een zorgraad in Limburg en enkel na het voltooien van ‘Basis zorgraad’, ofwel voor beheerders")
        #expect(texts[.fr] == "Uniquement soit pour le personnel et les membres d’un conseil de soins en Limbourg et uniquement après avoir terminé « Bases du conseil de soins », soit pour les administrateurs")
        #expect(texts[.en] == "Only either for staff and members of a care board in Limburg and only after completing ‘Care board basics’, or for administrators")
    }

    @Test("edge cases: empty groups, excluding alternatives, alternatives inside an all-of")
    func edges() {
        let nl = explainer(.nl)
        #expect(nl.explain(.allOf([])) == "Voor iedereen")
        #expect(nl.explain(.anyOf([])) == "Voor niemand")
        #expect(nl.explain(.anyOf([.not(.profession("gp")), .enrolmentKey])) == "Niet voor huisartsen of met de inschrijvingssleutel")
        #expect(nl.explain(.allOf([.anyOf([.profession("gp"), .hasRegistrationNumber]), .inGroup("pilot-2026")])) ==
                "Enkel voor huisartsen of wie een RIZIV-nummer heeft, en enkel voor leden van de groep ‘pilot-2026’")
        #expect(explainer(.en).explain(.not(.allOf([.profession("gp"), .hasRegistrationNumber]))) ==
                "Not (for GPs and only for people with a RIZIV/INAMI number)")
    }

    @Test("date periods", arguments: [
        (Language.nl, "Enkel van 1 januari 2026 tot en met 31 december 2026"),
        (.fr, "Uniquement du 1er janvier 2026 au 31 décembre 2026"),
        (.en, "Only from 1 January 2026 until 31 December 2026"),
    ])
    func period(language: Language, expected: String) {
        let rule = AccessRule.date(from: AccessScenario.day("2026-01-01"), until: AccessScenario.day("2026-12-31"))
        #expect(explainer(language).explain(rule) == expected)
    }

    @Test("decisions: one sentence per thing to fix, alternatives in one sentence")
    func decisions() {
        let decision = AccessDecision.deny([
            .oneOf([.missingProfession(["gp"]), .notBoardMember(provinces: ["limburg"])]),
            .notYetOpen(from: AccessScenario.day("2027-03-01")),
            .prerequisiteMissing(["zorgraad-basis"]),
            .enrolmentKeyRequired,
        ])
        #expect(explainer(.nl).explain(decision) == [
            "Enkel voor huisartsen of medewerkers en leden van een zorgraad in Limburg.",
            "Beschikbaar vanaf 1 maart 2027.",
            "Voltooi eerst ‘Basis zorgraad’.",
            "Geef de inschrijvingssleutel in.",
        ])
        #expect(explainer(.fr).explain(decision) == [
            "Uniquement pour les médecins généralistes ou le personnel et les membres d’un conseil de soins en Limbourg.",
            "Disponible à partir du 1er mars 2027.",
            "Terminez d’abord « Bases du conseil de soins ».",
            "Saisissez la clé d’inscription.",
        ])
        #expect(explainer(.en).explain(decision) == [
            "Only for GPs or staff and members of a care board in Limburg.",
            "Available from 1 March 2027.",
            "Complete ‘Care board basics’ first.",
            "Enter the enrolment key.",
        ])
        #expect(explainer(.nl).explain(AccessDecision.allow) == [])
    }

    @Test("a real denial explained end to end")
    func endToEnd() {
        let rule = AccessRule.allOf([.boardMember(roles: [.staff], provinces: [.limburg]), .not(.profession("pharmacist")),
                                     .date(until: AccessScenario.day("2026-03-01"))])
        let decision = rule.evaluate(for: AccessScenario.ghentWelfareMember, in: AccessScenario.context())
        #expect(explainer(.en).explain(decision) == [
            "Only for staff of a care board in Limburg.",
            "Not for pharmacists.",
            "Was available until 1 March 2026.",
        ])
    }

    @Test("broken rules ask people to contact the academy, in their language")
    func brokenRules() {
        let decision = AccessDecision.deny([.unknownKey(.board, "ZR-XX"), .unknownCondition("lives-in")])
        #expect(explainer(.nl).explain(decision) == [
            "Deze toegangsregel verwijst naar een onbekende zorgraad (ZR-XX); neem contact op met de academie.",
            "Deze toegangsregel bevat een voorwaarde die het platform niet kent (lives-in); neem contact op met de academie.",
        ])
        #expect(explainer(.fr).explain(.deny([.enrolmentKeyNotConfigured])) ==
                ["Aucune clé d’inscription n’est encore définie pour cette formation ; contactez l’académie."])
    }

    @Test("explanations never contain JSON or raw keys of known things", arguments: Language.allCases)
    func noJSON(language: Language) {
        let explainer = explainer(language)
        let rule = AccessRuleJSONTests.everything
        let texts = [explainer.explain(rule)]
            + explainer.explain(rule.evaluate(for: .anonymous, in: AccessScenario.context(course: .init(slug: "this-course", enrolmentKey: "k"))))
        for text in texts {
            for forbidden in ["{", "}", "[", "]", "\"", "board-member", "oost-vlaanderen", "care-users", "home-nurse"] {
                #expect(!text.contains(forbidden), "\(forbidden) in \(text)")
            }
        }
    }
}
