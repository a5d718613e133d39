import Foundation

/// Plain-language sentences for rules and decisions in Dutch, French and English.
///
/// Rules read as "Enkel voor medewerkers en leden van een zorgraad in Limburg". Within an all-of every
/// part keeps its own "enkel"/"uniquement"/"only", so that "Enkel voor huisartsen en enkel vanaf 1 maart
/// 2027" cannot be misread as two separate audiences; any-of parts are joined with "of"/"ou"/"or";
/// `not` reads "niet ..."/"sauf ..."/"not ..."; an any-of holding an all-of marks its alternatives with
/// "ofwel"/"soit"/"either", and the rare deeper mixes are put in brackets.
public struct AccessExplainer: Sendable {
    public var language: Language
    /// Display names of boards by code ("Zorgraad Noord-Limburg"); codes are shown otherwise.
    public var boardNames: [String: String]
    /// Display names of groups by key, per language.
    public var groupNames: [String: LocalizedText]
    /// Course titles by slug, per language.
    public var courseTitles: [String: LocalizedText]

    public init(language: Language, boardNames: [String: String] = [:], groupNames: [String: LocalizedText] = [:],
                courseTitles: [String: LocalizedText] = [:]) {
        self.language = language
        self.boardNames = boardNames
        self.groupNames = groupNames
        self.courseTitles = courseTitles
    }

    // MARK: Public

    /// One sentence without final full stop, e.g. "Enkel voor huisartsen of apothekers".
    public func explain(_ rule: AccessRule) -> String {
        sentence(clause(rule))
    }

    /// One sentence per reason, each with a full stop; empty when allowed.
    public func explain(_ decision: AccessDecision) -> [String] {
        decision.reasons.flatMap(sentences)
    }

    /// The sentence(s) for one reason.
    public func explain(_ reason: AccessReason) -> [String] {
        sentences(reason)
    }

    // MARK: Clauses

    /// A piece of explanation and how it combines with others.
    struct Clause {
        enum Kind {
            case audience   // a noun phrase naming people: "huisartsen"
            case adverbial  // "vanaf 1 maart 2027", "met de inschrijvingssleutel"
            case negative   // "niet voor ...", complete
            case standalone // complete and not to be restricted: "voor iedereen", "niet voor X of met Y"
            case all        // an all-of: `parts` holds its parts
            case any        // full clauses joined with "of"
        }
        var kind: Kind
        var text: String
        var parts: [Clause] = []
    }

    func clause(_ rule: AccessRule) -> Clause {
        switch rule {
        case .allOf(let rules):
            let flat = rules.flatMap { rule -> [AccessRule] in
                if case .allOf(let inner) = rule { return inner }
                return [rule]
            }
            return all(flat.map { clause($0) })
        case .anyOf(let rules):
            let flat = rules.flatMap { rule -> [AccessRule] in
                if case .anyOf(let inner) = rule { return inner }
                return [rule]
            }
            return any(flat.map { clause($0) })
        case .not(.not(let inner)):
            return clause(inner)
        case .not(let inner):
            return negate(clause(inner))
        case .condition(let condition):
            return clause(condition: condition)
        }
    }

    func all(_ parts: [Clause]) -> Clause {
        if parts.count == 1 { return parts[0] }
        if parts.isEmpty { return Clause(kind: .standalone, text: words.forEveryone) }
        return Clause(kind: .all, text: "", parts: parts)
    }

    func any(_ parts: [Clause]) -> Clause {
        if parts.count == 1 { return parts[0] }
        if parts.isEmpty { return Clause(kind: .standalone, text: words.forNobody) }
        if parts.allSatisfy({ $0.kind == .audience }) {
            return Clause(kind: .audience, text: join(parts.map(\.text), words.or))
        }
        if parts.contains(where: { $0.kind == .all }) {
            // "ofwel A en enkel B, ofwel C": the markers show where each alternative ends.
            return Clause(kind: .any, text: words.alternatives(parts.map(alternative)))
        }
        // "Enkel niet voor ..." reads wrong: an alternative that excludes stands on its own.
        let kind: Clause.Kind = parts.contains { $0.kind == .negative || $0.kind == .standalone } ? .standalone : .any
        return Clause(kind: kind, text: join(parts.map(full), words.or))
    }

    func negate(_ inner: Clause) -> Clause {
        switch inner.kind {
        case .audience: Clause(kind: .negative, text: "\(words.not) \(words.for) \(inner.text)")
        case .adverbial, .any: Clause(kind: .negative, text: "\(words.not) \(inner.text)")
        case .negative, .standalone: Clause(kind: .negative, text: "\(words.not) (\(inner.text))")
        case .all: Clause(kind: .negative, text: "\(words.not) (\(alternative(inner)))")
        }
    }

    /// As a part of an all-of, or a whole rule: carries its own "enkel".
    func restricted(_ clause: Clause) -> String {
        switch clause.kind {
        case .audience: "\(words.only) \(words.for) \(clause.text)"
        case .adverbial, .any: "\(words.only) \(clause.text)"
        case .negative, .standalone: clause.text
        case .all: allOf(clause.parts, firstRestricted: true)
        }
    }

    /// As a part of an any-of.
    func full(_ clause: Clause) -> String {
        switch clause.kind {
        case .audience: "\(words.for) \(clause.text)"
        case .adverbial, .any, .negative, .standalone: clause.text
        case .all: "(\(allOf(clause.parts, firstRestricted: false)))"
        }
    }

    /// As one alternative after "ofwel"/"soit".
    func alternative(_ clause: Clause) -> String {
        clause.kind == .all ? allOf(clause.parts, firstRestricted: false) : full(clause)
    }

    /// Positive parts joined with "en", each after the first with its own "enkel"; exclusions appended
    /// as ", maar niet voor ..." / ", sauf pour ..." / ", but not for ...".
    func allOf(_ parts: [Clause], firstRestricted: Bool) -> String {
        let positives = parts.filter { $0.kind != .negative }
        let negatives = parts.filter { $0.kind == .negative }.map(\.text)
        guard !positives.isEmpty else { return join(negatives, words.and) }
        var texts = positives.enumerated().map { index, part in
            index == 0 && !firstRestricted ? full(part) : restricted(part)
        }
        // A comma before the last "en" when a part holds an "of", so the alternatives stay together.
        if texts.count > 1, texts.dropLast().contains(where: { $0.contains(" \(words.or) ") }) {
            texts[texts.count - 2] += ","
        }
        var text = join(texts, words.and)
        for negative in negatives {
            text += ", " + words.butNot(negative)
        }
        return text
    }

    func sentence(_ clause: Clause) -> String {
        capitalized(restricted(clause))
    }

    func clause(condition: AccessCondition) -> Clause {
        switch condition {
        case .boardMember(let filter):
            return Clause(kind: .audience, text: boardAudience(roles: filter.roles, boards: filter.boards,
                                                               provinces: filter.provinces, clusters: filter.clusters))
        case .profession(let keys):
            return Clause(kind: .audience, text: join(keys.map { $0.plural(in: language) }, words.or))
        case .hasRegistrationNumber:
            return Clause(kind: .audience, text: words.withRegistrationNumber)
        case .platformRole(let roles):
            return Clause(kind: .audience, text: join(roles.map { $0.plural(in: language) }, words.or))
        case .date(let from, let until):
            return Clause(kind: .adverbial, text: period(from: from, until: until))
        case .completed(let courses):
            return Clause(kind: .adverbial, text: words.afterCompleting(join(courses.map(courseTitle), words.and)))
        case .enrolmentKey:
            return Clause(kind: .adverbial, text: words.withEnrolmentKey)
        case .inGroup(let groups):
            return Clause(kind: .audience, text: groupAudience(groups))
        case .unknown:
            return Clause(kind: .adverbial, text: words.underUnknownCondition)
        }
    }

    func clause(reason: AccessReason) -> Clause {
        switch reason {
        case .notBoardMember(let roles, let boards, let provinces, let clusters):
            return Clause(kind: .audience, text: boardAudience(roles: roles, boards: boards, provinces: provinces, clusters: clusters))
        case .missingProfession(let keys): return clause(condition: .profession(keys))
        case .missingRegistrationNumber: return clause(condition: .hasRegistrationNumber)
        case .missingPlatformRole(let roles): return clause(condition: .platformRole(roles))
        case .notYetOpen(let from): return clause(condition: .date(from: from, until: nil))
        case .closed(let until): return clause(condition: .date(from: nil, until: until))
        case .prerequisiteMissing(let courses): return clause(condition: .completed(courses: courses))
        case .enrolmentKeyRequired: return clause(condition: .enrolmentKey)
        case .notInGroup(let groups): return clause(condition: .inGroup(groups))
        case .excluded(let rule): return negate(clause(rule))
        case .oneOf(let reasons): return any(reasons.map { clause(reason: $0) })
        case .allOf(let reasons): return all(reasons.map { clause(reason: $0) })
        case .enrolmentKeyNotConfigured, .unknownCondition, .unknownKey:
            return Clause(kind: .adverbial, text: words.underUnknownCondition)
        }
    }

    func sentences(_ reason: AccessReason) -> [String] {
        switch reason {
        case .unknownCondition(let type): return [words.unknownConditionSentence(type)]
        case .unknownKey(let kind, let key): return [words.unknownKeySentence(kind.name(in: language), key)]
        case .enrolmentKeyNotConfigured: return [words.enrolmentKeyNotConfiguredSentence]
        case .notYetOpen(let from): return [words.availableFrom(day(from))]
        case .closed(let until): return [words.wasAvailableUntil(day(until))]
        case .missingRegistrationNumber: return [words.registrationNumberSentence]
        case .prerequisiteMissing(let courses): return [words.completeFirst(join(courses.map(courseTitle), words.and))]
        case .enrolmentKeyRequired: return [words.enterEnrolmentKey]
        case .allOf(let reasons): return reasons.flatMap(sentences)
        default: return [sentence(clause(reason: reason)) + "."]
        }
    }

    // MARK: Pieces

    func boardAudience(roles: [BoardRole], boards: [String], provinces: [Province], clusters: [CareBoardCluster]) -> String {
        let people = roles.isEmpty
            ? join([BoardRole.staff, .member].map { $0.plural(in: language) }, words.and)
            : join(roles.map { $0.plural(in: language) }, words.and)
        var text = people
        text += " " + words.ofBoards(boards.map { (code: $0, name: boardNames[$0]) }, join: { join($0, words.or) })
        if !provinces.isEmpty {
            text += " " + (language == .fr
                ? join(provinces.map { $0.locative(in: language) }, words.or)
                : words.in + " " + join(provinces.map { $0.name(in: language) }, words.or))
        }
        if !clusters.isEmpty {
            text += " " + words.fromClusters(clusters, join: { join($0, words.or) })
        }
        return text
    }

    func groupAudience(_ groups: [String]) -> String {
        let names = groups.map { words.quoted(groupNames[$0]?.text(in: language.rawValue) ?? $0) }
        return words.membersOfGroups(join(names, words.or), plural: groups.count > 1)
    }

    func courseTitle(_ slug: String) -> String {
        words.quoted(courseTitles[slug]?.text(in: language.rawValue) ?? slug)
    }

    func period(from: CalendarDay?, until: CalendarDay?) -> String {
        switch (from, until) {
        case let (from?, until?): words.between(day(from), day(until))
        case let (from?, nil): words.from(day(from))
        case let (nil, until?): words.until(day(until))
        case (nil, nil): words.forEveryone
        }
    }

    /// "1 maart 2027", "1er mars 2027", "1 March 2027".
    func day(_ day: CalendarDay) -> String {
        let month = BrusselsTime.monthNames[language]![day.month - 1]
        let number = language == .fr && day.day == 1 ? "1er" : "\(day.day)"
        return "\(number) \(month) \(day.year)"
    }

    /// "a", "a of b", "a, b of c".
    func join(_ items: [String], _ conjunction: String) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
        }
    }

    func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }

    var words: AccessWording { AccessWording(language: language) }
}

/// The fixed words and sentence frames per language.
struct AccessWording {
    let language: Language

    private func pick(_ nl: String, _ fr: String, _ en: String) -> String {
        switch language {
        case .nl: nl
        case .fr: fr
        case .en: en
        }
    }

    var and: String { pick("en", "et", "and") }
    var or: String { pick("of", "ou", "or") }
    var not: String { pick("niet", "sauf", "not") }
    var only: String { pick("enkel", "uniquement", "only") }
    var `for`: String { pick("voor", "pour", "for") }
    var `in`: String { pick("in", "en", "in") }
    var forEveryone: String { pick("voor iedereen", "pour tout le monde", "for everyone") }
    var forNobody: String { pick("voor niemand", "pour personne", "for nobody") }
    var withRegistrationNumber: String {
        pick("wie een RIZIV-nummer heeft", "les personnes ayant un numéro INAMI", "people with a RIZIV/INAMI number")
    }
    var withEnrolmentKey: String { pick("met de inschrijvingssleutel", "avec la clé d’inscription", "with the enrolment key") }
    var underUnknownCondition: String {
        pick("onder een voorwaarde die het platform niet kent", "sous une condition que la plateforme ne connaît pas",
             "under a condition the platform does not know")
    }

    func quoted(_ text: String) -> String { pick("‘\(text)’", "« \(text) »", "‘\(text)’") }

    /// "ofwel A, ofwel B" / "soit A, soit B" / "either A, or B".
    func alternatives(_ items: [String]) -> String {
        switch language {
        case .nl: items.map { "ofwel \($0)" }.joined(separator: ", ")
        case .fr: items.map { "soit \($0)" }.joined(separator: ", ")
        case .en: "either " + items.joined(separator: ", or ")
        }
    }

    /// An exclusion after the included: `negative` already starts with "niet"/"sauf"/"not".
    func butNot(_ negative: String) -> String {
        pick("maar \(negative)", negative, "but \(negative)")
    }

    func afterCompleting(_ courses: String) -> String {
        pick("na het voltooien van \(courses)", "après avoir terminé \(courses)", "after completing \(courses)")
    }

    func between(_ from: String, _ until: String) -> String {
        pick("van \(from) tot en met \(until)", "du \(from) au \(until)", "from \(from) until \(until)")
    }
    func from(_ day: String) -> String { pick("vanaf \(day)", "à partir du \(day)", "from \(day)") }
    func until(_ day: String) -> String { pick("tot en met \(day)", "jusqu’au \(day)", "until \(day)") }

    /// "uit het cluster zorg", "représentant les soins", "representing care".
    func fromClusters(_ clusters: [CareBoardCluster], join: ([String]) -> String) -> String {
        switch language {
        case .nl:
            return (clusters.count > 1 ? "uit de clusters " : "uit het cluster ") + join(clusters.map { $0.name(in: .nl) })
        case .fr:
            return "représentant " + join(clusters.map { cluster in
                switch cluster {
                case .welfare: "le bien-être"
                default: "les " + cluster.name(in: .fr)
                }
            })
        case .en:
            return "representing " + join(clusters.map { $0.name(in: .en) })
        }
    }

    func ofBoards(_ boards: [(code: String, name: String?)], join: ([String]) -> String) -> String {
        guard !boards.isEmpty else { return pick("van een zorgraad", "d’un conseil de soins", "of a care board") }
        switch language {
        case .nl: return "van " + join(boards.map { $0.name ?? "zorgraad \($0.code)" })
        case .fr: return join(boards.map { $0.name.map { "de \($0)" } ?? "du conseil de soins \($0.code)" })
        case .en: return "of " + join(boards.map { $0.name ?? "care board \($0.code)" })
        }
    }

    func membersOfGroups(_ names: String, plural: Bool) -> String {
        switch language {
        case .nl: (plural ? "leden van de groepen " : "leden van de groep ") + names
        case .fr: (plural ? "les membres des groupes " : "les membres du groupe ") + names
        case .en: (plural ? "members of the groups " : "members of the group ") + names
        }
    }

    func availableFrom(_ day: String) -> String {
        pick("Beschikbaar vanaf \(day).", "Disponible à partir du \(day).", "Available from \(day).")
    }
    func wasAvailableUntil(_ day: String) -> String {
        pick("Was beschikbaar tot en met \(day).", "Était disponible jusqu’au \(day).", "Was available until \(day).")
    }
    var registrationNumberSentence: String {
        pick("Enkel voor wie een RIZIV-nummer heeft: vul het in je profiel in.",
             "Uniquement pour les personnes ayant un numéro INAMI : indiquez-le dans votre profil.",
             "Only for people with a RIZIV/INAMI number: add it to your profile.")
    }
    func completeFirst(_ courses: String) -> String {
        pick("Voltooi eerst \(courses).", "Terminez d’abord \(courses).", "Complete \(courses) first.")
    }
    var enterEnrolmentKey: String {
        pick("Geef de inschrijvingssleutel in.", "Saisissez la clé d’inscription.", "Enter the enrolment key.")
    }
    var enrolmentKeyNotConfiguredSentence: String {
        pick("Voor deze cursus is nog geen inschrijvingssleutel ingesteld; neem contact op met de academie.",
             "Aucune clé d’inscription n’est encore définie pour cette formation ; contactez l’académie.",
             "No enrolment key has been set for this course yet; please contact the academy.")
    }
    func unknownConditionSentence(_ type: String) -> String {
        pick("Deze toegangsregel bevat een voorwaarde die het platform niet kent (\(type)); neem contact op met de academie.",
             "Cette règle d’accès contient une condition que la plateforme ne connaît pas (\(type)) ; contactez l’académie.",
             "This access rule contains a condition the platform does not know (\(type)); please contact the academy.")
    }
    func unknownKeySentence(_ kind: String, _ key: String) -> String {
        pick("Deze toegangsregel verwijst naar een onbekende \(kind) (\(key)); neem contact op met de academie.",
             "Cette règle d’accès renvoie à une clé inconnue (\(kind) « \(key) ») ; contactez l’académie.",
             "This access rule refers to an unknown \(kind) (\(key)); please contact the academy.")
    }
}
