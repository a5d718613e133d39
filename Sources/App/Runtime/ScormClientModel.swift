/// The data model as the browser's API adapter (templates/static/js/scorm-runtime.js) needs it to answer
/// GetValue and check SetValue locally, generated from `CMIDataModel` so that the two cannot drift apart.
/// The adapter checks element names, access, array order, value types and the SCORM 2004 id-first
/// rules; the interaction response formats (`CMIInteractionResponse`) are checked by the server only, and
/// a refusal there reaches the SCO through the next GetLastError.
import Foundation

public struct ScormClientModel: Sendable, Codable, Equatable {
    public struct ValueType: Sendable, Codable, Equatable {
        public var type: String
        public var max: Double?
        public var min: Double?
        public var blank: Bool?
        public var words: [String]?
    }

    public struct Element: Sendable, Codable, Equatable {
        /// "r", "w" or "rw".
        public var access: String
        public var value: ValueType
    }

    public var version: ScormVersion
    public var elements: [String: Element]
    public var children: [String: String]
    public var arrays: [String]
    /// Error code -> the standard's text, for GetErrorString.
    public var errorStrings: [String: String]

    public init(_ version: ScormVersion) {
        let model = CMIDataModel.of(version)
        self.version = version
        elements = model.elements.mapValues { element in
            let access: String
            switch element.access {
            case .readOnly: access = "r"
            case .writeOnly: access = "w"
            case .readWrite: access = "rw"
            }
            return Element(access: access, value: Self.describe(element.type))
        }
        children = model.children
        arrays = model.arrays.sorted()
        errorStrings = Dictionary(uniqueKeysWithValues: version.errorCodes.map { ($0.description, version.errorString(for: $0)) })
    }

    static func describe(_ type: CMIValueType) -> ValueType {
        switch type {
        case .string(let maxLength): return ValueType(type: "string", max: Double(maxLength))
        case .localizedString(let maxLength): return ValueType(type: "localized", max: Double(maxLength))
        case .identifier(let maxLength): return ValueType(type: "identifier", max: Double(maxLength))
        case .decimal(let low, let high, let allowsBlank): return ValueType(type: "decimal", max: high, min: low, blank: allowsBlank)
        case .integer(let low, let high): return ValueType(type: "integer", max: Double(high), min: Double(low))
        case .vocabulary(let words): return ValueType(type: "vocabulary", words: words)
        case .vocabularyOrDecimal(let words): return ValueType(type: "vocabularyOrDecimal", words: words)
        case .timespan12: return ValueType(type: "timespan12")
        case .time12: return ValueType(type: "time12")
        case .duration2004: return ValueType(type: "duration2004")
        case .timestamp2004: return ValueType(type: "timestamp2004")
        case .language: return ValueType(type: "language")
        case .navigationRequest: return ValueType(type: "navigationRequest")
        }
    }
}

/// SCORM 2004's scaled passing score lives in the item's sequencing rules (imsss:primaryObjective with
/// satisfiedByMeasure="true" and its imsss:minNormalizedMeasure, 1.0 when absent: SN §5.1.7).
public enum ScormSequencingRules {
    public static func scaledPassingScore(sequencingXML: String?) -> Double? {
        guard let sequencingXML, let root = try? ManifestXMLReader().read(Data(sequencingXML.utf8)) else { return nil }
        let objectives = root.descendants.filter { $0.name == "primaryObjective" }
        guard let primary = objectives.first,
              primary.attribute("satisfiedByMeasure")?.trimmingCharacters(in: .whitespaces).lowercased() == "true" else { return nil }
        guard let measure = primary.children.first(where: { $0.name == "minNormalizedMeasure" }) else { return 1 }
        guard let value = Double(measure.trimmedText), (-1...1).contains(value) else { return nil }
        return value
    }
}

extension ScormLaunchContext {
    /// SCORM 1.2 cmi.core.student_name is "Last, First". The academy keeps one name field, written
    /// "First Last" ("An Van den Broeck"): the first word is taken as the first name and the rest,
    /// particles included, as the last name. A single word is returned as it is.
    public static func scorm12StudentName(_ fullName: String) -> String {
        let words = fullName.split(whereSeparator: \.isWhitespace)
        guard words.count > 1 else { return words.first.map(String.init) ?? "" }
        return "\(words.dropFirst().joined(separator: " ")), \(words[0])"
    }
}
