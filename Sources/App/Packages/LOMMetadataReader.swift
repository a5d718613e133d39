import Foundation

/// The parts of IEEE LOM metadata a course uses, whichever binding wrote it: IMS Metadata 1.2
/// (`<langstring xml:lang>`, lower-case names) as SCORM 1.2 tools write it, IEEE LOM (`<string language>`,
/// camel case) as SCORM 2004 tools write it, and vendor variants of both.
struct LOMMetadata: Equatable {
    var title: LocalizedText = [:]
    var description: LocalizedText = [:]
    var keywords: [String] = []
    var language: String?
    var typicalLearningTimeMinutes: Int?

    var isEmpty: Bool {
        title.isEmpty && description.isEmpty && keywords.isEmpty && language == nil && typicalLearningTimeMinutes == nil
    }

    /// Fills what this record lacks from `other`.
    mutating func complete(from other: LOMMetadata) {
        if title.isEmpty { title = other.title }
        if description.isEmpty { description = other.description }
        if keywords.isEmpty { keywords = other.keywords }
        if language == nil { language = other.language }
        if typicalLearningTimeMinutes == nil { typicalLearningTimeMinutes = other.typicalLearningTimeMinutes }
    }
}

enum LOMMetadataReader {
    /// Finds the `<lom>` record in `element` (a `<metadata>` element, a `<lom>` root, or a file whose root wraps
    /// one) and reads it. `fallbackLanguage` keys strings that carry no usable language.
    static func read(_ element: ManifestElement, fallbackLanguage: String?) -> LOMMetadata {
        guard let lom = findLOM(in: element) else { return LOMMetadata() }
        var result = LOMMetadata()
        let general = lom.childIgnoringCase("general")
        result.language = general?.childrenIgnoringCase("language").lazy.compactMap { LanguageCode.primary($0.nonEmptyText) }.first
        let key = result.language ?? fallbackLanguage ?? LanguageCode.undetermined
        if let title = general?.childIgnoringCase("title") { result.title = localized(title, fallback: key) }
        if let description = general?.childIgnoringCase("description") { result.description = localized(description, fallback: key) }
        for keyword in general?.childrenIgnoringCase("keyword") ?? [] {
            for text in strings(in: keyword) where !result.keywords.contains(text.value) {
                result.keywords.append(text.value)
            }
        }
        if let time = lom.path("educational", "typicalLearningTime") {
            let text = time.childIgnoringCase("duration")?.nonEmptyText
                ?? time.childIgnoringCase("datetime")?.nonEmptyText
                ?? time.nonEmptyText
            result.typicalLearningTimeMinutes = text.flatMap(DurationText.minutes)
        }
        return result
    }

    private static func findLOM(in element: ManifestElement) -> ManifestElement? {
        if element.name.lowercased() == "lom" { return element }
        if let lom = element.childIgnoringCase("lom") { return lom }
        // A separate metadata file sometimes wraps the record in <metadata> or another container.
        for child in element.children {
            if let lom = child.childIgnoringCase("lom") { return lom }
        }
        return nil
    }

    /// The strings of a LOM langstring container (`<string>` or `<langstring>` children, or its own text).
    private static func strings(in element: ManifestElement) -> [(language: String?, value: String)] {
        let parts = element.children.filter { ["string", "langstring"].contains($0.name.lowercased()) }
        if parts.isEmpty {
            return element.nonEmptyText.map { [(nil, $0)] } ?? []
        }
        return parts.compactMap { part in
            guard let value = part.nonEmptyText else { return nil }
            let language = part.attributeIgnoringCase("language") ?? part.attributeIgnoringCase("lang")
            return (LanguageCode.primary(language), value)
        }
    }

    private static func localized(_ element: ManifestElement, fallback: String) -> LocalizedText {
        var text: LocalizedText = [:]
        for part in strings(in: element) where text[part.language ?? fallback] == nil {
            text[part.language ?? fallback] = part.value
        }
        return text
    }
}

/// Language tags as manifests give them, reduced to the primary subtag the academy keys texts by.
enum LanguageCode {
    static let undetermined = "und"

    /// "en-US" -> "en", "NL" -> "nl"; `nil` for blank, "x-none", "und" and other non-languages.
    static func primary(_ tag: String?) -> String? {
        guard let tag = tag?.trimmingCharacters(in: .whitespacesAndNewlines), !tag.isEmpty else { return nil }
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        guard (2...3).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }),
              primary != "und", primary != "x", primary != "i" else { return nil }
        return primary
    }
}

/// Durations as SCORM metadata writes them.
enum DurationText {
    /// Whole minutes (rounded, at least 1 for a non-zero time) of an ISO 8601 duration ("PT1H30M", "P0DT0H20M0S")
    /// or a clock time ("00:45:00", "0000:45:00.00", "1:30"). `nil` for anything else, and for zero, which
    /// authoring tools write when no time was set ("PT0H0M0S").
    static func minutes(_ text: String) -> Int? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let seconds = text.uppercased().hasPrefix("P") ? isoSeconds(text.uppercased()) : clockSeconds(text),
              seconds > 0 else { return nil }
        return max(1, Int((seconds / 60).rounded()))
    }

    private static func isoSeconds(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var inTime = false
        var sawUnit = false
        for character in text.dropFirst() {
            switch character {
            case "T": inTime = true
            case "0"..."9", ".", ",": number.append(character == "," ? "." : character)
            default:
                guard let value = Double(number) else { return nil }
                number = ""
                sawUnit = true
                switch (character, inTime) {
                case ("Y", false): total += value * 365 * 86_400
                case ("M", false): total += value * 30 * 86_400
                case ("W", false): total += value * 7 * 86_400
                case ("D", false): total += value * 86_400
                case ("H", true): total += value * 3_600
                case ("M", true): total += value * 60
                case ("S", true): total += value
                default: return nil
                }
            }
        }
        return sawUnit && number.isEmpty ? total : nil
    }

    private static func clockSeconds(_ text: String) -> Double? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        let values = parts.map { Double($0) }
        guard values.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        let numbers = values.map { $0! }
        return parts.count == 3 ? numbers[0] * 3_600 + numbers[1] * 60 + numbers[2] : numbers[0] * 3_600 + numbers[1] * 60
    }
}
