import Foundation

/// What a trainer may edit about a course in the browser: the current version's metadata.
public struct CourseMetadata: Sendable, Equatable, Codable {
    public var title: [String: String]
    public var summary: [String: String]
    public var description: [String: String]
    public var themes: [String]
    public var professions: [String]
    public var durationMinutes: Int?
    public var accreditations: [PackageAccreditation]

    public init(title: [String: String], summary: [String: String] = [:], description: [String: String] = [:],
                themes: [String] = [], professions: [String] = [], durationMinutes: Int? = nil,
                accreditations: [PackageAccreditation] = []) {
        self.title = title
        self.summary = summary
        self.description = description
        self.themes = themes
        self.professions = professions
        self.durationMinutes = durationMinutes
        self.accreditations = accreditations
    }

    public static let fieldNames = ["title", "summary", "description", "themes", "professions", "duration", "accreditations"]

    /// The names (from `fieldNames`) of the fields that differ; themes and professions compare as sets.
    public func changedFields(comparedWith other: CourseMetadata) -> [String] {
        // An empty text and a missing one read the same to learners.
        let texts = { (text: [String: String]) in text.filter { !$0.value.isEmpty } }
        var names: [String] = []
        if texts(title) != texts(other.title) { names.append("title") }
        if texts(summary) != texts(other.summary) { names.append("summary") }
        if texts(description) != texts(other.description) { names.append("description") }
        if Set(themes) != Set(other.themes) { names.append("themes") }
        if Set(professions) != Set(other.professions) { names.append("professions") }
        if durationMinutes != other.durationMinutes { names.append("duration") }
        if accreditations != other.accreditations { names.append("accreditations") }
        return names
    }
}

/// The metadata form: texts in Dutch, French and English, themes, professions, duration and the
/// accreditations as numbered rows (`accreditation.1.body`, ...; one blank row to add one). Validation
/// returns one problem per field, whose message says what is wrong and how to fix it.
public struct CourseMetadataForm: Sendable, Equatable {
    public static let languages = ["nl", "fr", "en"]
    public static let maximumTitle = 200
    public static let maximumSummary = 600
    public static let maximumDescription = 20_000
    public static let maximumDuration = 6_000
    public static let maximumPoints = 1_000.0
    public static let knownBodies = ["riziv-inami", "apb"]

    public struct Accreditation: Sendable, Equatable {
        public var body = ""
        public var number = ""
        public var points = ""
        public var unit = ""
        public var rubric = ""
        public var validFrom = ""
        public var validUntil = ""
        public var remove = false

        public init() {}

        var isBlank: Bool { [body, number, points, rubric].allSatisfy { $0.isEmpty } }
    }

    /// "title.nl", "summary.fr", "description.en" -> text.
    public var texts: [String: String] = [:]
    public var themes: [String] = []
    public var professions: [String] = []
    public var duration = ""
    public var accreditations: [Accreditation] = []

    public init(_ metadata: CourseMetadata) {
        for language in Self.languages {
            texts["title.\(language)"] = metadata.title[language] ?? ""
            texts["summary.\(language)"] = metadata.summary[language] ?? ""
            texts["description.\(language)"] = metadata.description[language] ?? ""
        }
        themes = metadata.themes
        professions = metadata.professions
        duration = metadata.durationMinutes.map(String.init) ?? ""
        accreditations = metadata.accreditations.map { accreditation in
            var row = Accreditation()
            row.body = accreditation.body
            row.number = accreditation.number
            row.points = CourseMetadataForm.decimalText(accreditation.points)
            row.unit = accreditation.unit
            row.rubric = accreditation.rubric ?? ""
            row.validFrom = accreditation.validFrom ?? ""
            row.validUntil = accreditation.validUntil ?? ""
            return row
        }
    }

    /// What was posted; repeated names (`themes`, `professions`) are lists.
    public init(fields: [(String, String)]) {
        var rows: [Int: Accreditation] = [:]
        for (name, raw) in fields {
            let value = name.hasPrefix("description.") ? raw.replacingOccurrences(of: "\r\n", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines) : raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if name == "themes" { if !value.isEmpty { themes.append(value) }; continue }
            if name == "professions" { if !value.isEmpty { professions.append(value) }; continue }
            if name == "duration" { duration = value; continue }
            let parts = name.split(separator: ".").map(String.init)
            if parts.count == 2, ["title", "summary", "description"].contains(parts[0]), Self.languages.contains(parts[1]) {
                texts[name] = value
            } else if parts.count == 3, parts[0] == "accreditation", let index = Int(parts[1]), (1...20).contains(index) {
                var row = rows[index] ?? Accreditation()
                switch parts[2] {
                case "body": row.body = value
                case "number": row.number = value
                case "points": row.points = value
                case "unit": row.unit = value
                case "rubric": row.rubric = value
                case "valid-from": row.validFrom = value
                case "valid-until": row.validUntil = value
                case "remove": row.remove = value == "on" || value == "1"
                default: break
                }
                rows[index] = row
            }
        }
        accreditations = rows.keys.sorted().compactMap { rows[$0] }
    }

    /// The metadata the form describes on top of `current` (languages other than nl, fr and en are kept),
    /// or the problems, by field name ("title.nl", "accreditation.2.points", "duration").
    public func validate(current: CourseMetadata, courseLanguage: String) -> (metadata: CourseMetadata?, problems: [FieldProblem]) {
        var problems: [FieldProblem] = []
        var metadata = current
        func text(_ field: String, _ language: String, maximum: Int, into dictionary: inout [String: String]) {
            let name = "\(field).\(language)"
            let value = texts[name] ?? ""
            if value.count > maximum {
                problems.append(FieldProblem(name, "settings.metadata.error.too-long", [String(maximum), String(value.count)]))
            }
            if field == "title", value.contains(where: \.isNewline) {
                problems.append(FieldProblem(name, "settings.metadata.error.title-line"))
            }
            dictionary[language] = value.isEmpty ? nil : value
        }
        for language in Self.languages {
            text("title", language, maximum: Self.maximumTitle, into: &metadata.title)
            text("summary", language, maximum: Self.maximumSummary, into: &metadata.summary)
            text("description", language, maximum: Self.maximumDescription, into: &metadata.description)
        }
        let ownLanguage = Self.languages.contains(courseLanguage) ? courseLanguage : "nl"
        if (metadata.title[courseLanguage] ?? "").isEmpty && Self.languages.contains(courseLanguage) {
            problems.append(FieldProblem("title.\(ownLanguage)", "settings.metadata.error.title-required"))
        } else if metadata.title.values.allSatisfy(\.isEmpty) {
            problems.append(FieldProblem("title.nl", "settings.metadata.error.title-required"))
        }
        let knownThemes = Set(Theme.allCases.map(\.rawValue))
        for theme in themes where !knownThemes.contains(theme) {
            problems.append(FieldProblem("themes", "settings.metadata.error.unknown-choice", [theme]))
        }
        let knownProfessions = Set(Profession.allCases.map(\.rawValue))
        for profession in professions where !knownProfessions.contains(profession) {
            problems.append(FieldProblem("professions", "settings.metadata.error.unknown-choice", [profession]))
        }
        metadata.themes = Self.unique(themes)
        metadata.professions = Self.unique(professions)
        if duration.isEmpty {
            metadata.durationMinutes = nil
        } else if let minutes = Int(duration), (1...Self.maximumDuration).contains(minutes) {
            metadata.durationMinutes = minutes
        } else {
            problems.append(FieldProblem("duration", "settings.metadata.error.duration", [String(Self.maximumDuration)]))
        }
        var accreditations: [PackageAccreditation] = []
        var bodies: Set<String> = []
        for (offset, row) in self.accreditations.enumerated() where !row.remove && !row.isBlank {
            let prefix = "accreditation.\(offset + 1)"
            let before = problems.count
            if row.body.isEmpty {
                problems.append(FieldProblem("\(prefix).body", "settings.metadata.error.body-missing"))
            } else if row.body.count > 40 || !row.body.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
                problems.append(FieldProblem("\(prefix).body", "settings.metadata.error.body-format"))
            } else if !bodies.insert(row.body).inserted {
                problems.append(FieldProblem("\(prefix).body", "settings.metadata.error.body-twice", [row.body]))
            }
            if row.number.isEmpty {
                problems.append(FieldProblem("\(prefix).number", "settings.metadata.error.number-missing"))
            } else if row.number.count > 60 {
                problems.append(FieldProblem("\(prefix).number", "settings.metadata.error.too-long", ["60", String(row.number.count)]))
            }
            let points = Double(row.points.replacingOccurrences(of: ",", with: "."))
            if row.points.isEmpty {
                problems.append(FieldProblem("\(prefix).points", "settings.metadata.error.points-missing"))
            } else if points == nil || !(points! > 0 && points! <= Self.maximumPoints) || !points!.isFinite {
                problems.append(FieldProblem("\(prefix).points", "settings.metadata.error.points", [row.points, "1000"]))
            }
            let unit = row.unit.isEmpty ? "CP" : row.unit
            if unit.count > 20 {
                problems.append(FieldProblem("\(prefix).unit", "settings.metadata.error.too-long", ["20", String(unit.count)]))
            }
            if row.rubric.count > 20 {
                problems.append(FieldProblem("\(prefix).rubric", "settings.metadata.error.too-long", ["20", String(row.rubric.count)]))
            } else if row.body == "apb", !row.rubric.isEmpty, !["A", "B", "C"].contains(row.rubric) {
                problems.append(FieldProblem("\(prefix).rubric", "settings.metadata.error.apb-rubric", [row.rubric]))
            }
            let from = row.validFrom.isEmpty ? nil : CalendarDay(iso: row.validFrom)
            let until = row.validUntil.isEmpty ? nil : CalendarDay(iso: row.validUntil)
            if !row.validFrom.isEmpty && from == nil {
                problems.append(FieldProblem("\(prefix).valid-from", "settings.metadata.error.day", [row.validFrom]))
            }
            if !row.validUntil.isEmpty && until == nil {
                problems.append(FieldProblem("\(prefix).valid-until", "settings.metadata.error.day", [row.validUntil]))
            }
            if let from, let until, from > until {
                problems.append(FieldProblem("\(prefix).valid-until", "settings.metadata.error.day-order", [from.iso, until.iso]))
            }
            guard problems.count == before, let points else { continue }
            accreditations.append(PackageAccreditation(body: row.body, number: row.number, points: points, unit: unit,
                                                       rubric: row.rubric.isEmpty ? nil : row.rubric,
                                                       validFrom: from?.iso, validUntil: until?.iso))
        }
        metadata.accreditations = accreditations
        return problems.isEmpty ? (metadata, []) : (nil, problems)
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }

    /// 1.5 -> "1.5", 2.0 -> "2".
    static func decimalText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
