/// The CMI data model elements, their access and their value types.
/// SCORM 1.2: Run-Time Environment §3.4 (CMI Data Model, data types CMIString255/4096, CMIDecimal,
/// CMITimespan, CMITime, CMIIdentifier, CMISInteger, CMIVocabulary).
/// SCORM 2004 4th Edition: Run-Time Environment §4.2 (cmi.* elements, characterstring/localized_string/
/// long_identifier_type SPMs, real(10,7) ranges, state vocabularies) and §4.3 (adl.nav.request).
import Foundation

public enum CMIAccess: String, Sendable, Codable {
    case readOnly, writeOnly, readWrite
    var canRead: Bool { self != .writeOnly }
    var canWrite: Bool { self != .readOnly }
}

/// Why a value was rejected; the attempt maps it to the version's error code.
public enum CMIValueProblem: Sendable, Equatable {
    case typeMismatch
    case outOfRange
}

/// The value type of an element, with the checks its data type asks for.
public indirect enum CMIValueType: Sendable, Equatable {
    /// Free text of at most `maxLength` characters (SCORM 1.2 CMIString255/4096, 2004 characterstring SPM).
    case string(maxLength: Int)
    /// SCORM 2004 localized_string_type: optional {lang=xx} prefix, then at most `maxLength` characters.
    case localizedString(maxLength: Int)
    /// SCORM 1.2 CMIIdentifier (no white space, 1...255) or 2004 (long_)identifier_type.
    case identifier(maxLength: Int)
    /// A decimal number, optionally limited, optionally allowing "" (SCORM 1.2 CMIBlank).
    case decimal(min: Double?, max: Double?, allowsBlank: Bool)
    /// A whole number in a range (SCORM 1.2 CMISInteger, 2004 audio_captioning).
    case integer(min: Int, max: Int)
    case vocabulary([String])
    /// A vocabulary word, or else a decimal (interactions result).
    case vocabularyOrDecimal([String])
    case timespan12, time12, duration2004, timestamp2004
    /// SCORM 2004 language_type: "" or an RFC 3066 language tag.
    case language
    /// adl.nav.request: a navigation request, optionally with a {target=ID} prefix for choice/jump.
    case navigationRequest

    public func problem(with value: String) -> CMIValueProblem? {
        switch self {
        case .string(let maxLength):
            return value.count <= maxLength ? nil : .typeMismatch
        case .localizedString(let maxLength):
            var text = Substring(value)
            if text.hasPrefix("{lang=") {
                guard let close = text.firstIndex(of: "}") else { return .typeMismatch }
                let language = String(text[text.index(text.startIndex, offsetBy: 6)..<close])
                guard CMIValueType.isLanguageTag(language) else { return .typeMismatch }
                text = text[text.index(after: close)...]
            }
            return text.count <= maxLength ? nil : .typeMismatch
        case .identifier(let maxLength):
            guard !value.isEmpty, value.count <= maxLength,
                  !value.contains(where: { $0.isWhitespace }) else { return .typeMismatch }
            return nil
        case .decimal(let low, let high, let allowsBlank):
            if value.isEmpty { return allowsBlank ? nil : .typeMismatch }
            guard let number = CMIValueType.decimal(value) else { return .typeMismatch }
            if let low, number < low { return .outOfRange }
            if let high, number > high { return .outOfRange }
            return nil
        case .integer(let low, let high):
            let digits = value.hasPrefix("-") ? value.dropFirst() : Substring(value)
            guard !digits.isEmpty, digits.allSatisfy(\.isDigit0Through9), let number = Int(value) else { return .typeMismatch }
            return (low...high).contains(number) ? nil : .outOfRange
        case .vocabulary(let words):
            return words.contains(value) ? nil : .typeMismatch
        case .vocabularyOrDecimal(let words):
            return words.contains(value) || CMIValueType.decimal(value) != nil ? nil : .typeMismatch
        case .timespan12:
            return CMITimeFormat.secondsFromTimespan(value) == nil ? .typeMismatch : nil
        case .time12:
            return CMITimeFormat.isTime12(value) ? nil : .typeMismatch
        case .duration2004:
            return CMITimeFormat.secondsFromDuration(value) == nil ? .typeMismatch : nil
        case .timestamp2004:
            return CMITimeFormat.isTimestamp2004(value) ? nil : .typeMismatch
        case .language:
            return value.isEmpty || CMIValueType.isLanguageTag(value) ? nil : .typeMismatch
        case .navigationRequest:
            let plain = ["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll", "_none_"]
            if plain.contains(value) { return nil }
            guard value.hasPrefix("{target="), let close = value.firstIndex(of: "}") else { return .typeMismatch }
            let target = value[value.index(value.startIndex, offsetBy: 8)..<close]
            let request = value[value.index(after: close)...]
            guard !target.isEmpty, !target.contains(where: { $0.isWhitespace }),
                  request == "choice" || request == "jump" else { return .typeMismatch }
            return nil
        }
    }

    /// A plain decimal as ECMAScript writes numbers: optional minus, digits, optional fraction.
    static func decimal(_ text: String) -> Double? {
        var body = Substring(text)
        if body.first == "-" { body = body.dropFirst() }
        let pieces = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), pieces.allSatisfy({ $0.allSatisfy(\.isDigit0Through9) }),
              !(pieces.count == 1 && pieces[0].isEmpty),
              !(pieces.count == 2 && pieces[1].isEmpty),
              !(pieces.count == 2 && pieces[0].isEmpty && pieces[1].isEmpty) else { return nil }
        return Double(text)
    }

    static func isLanguageTag(_ text: String) -> Bool {
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = subtags.first, (1...8).contains(first.count),
              first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return subtags.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

/// One element of the data model, written as a pattern with "n" for each array index,
/// e.g. "cmi.interactions.n.objectives.n.id".
public struct CMIElement: Sendable, Equatable {
    public var pattern: String
    public var access: CMIAccess
    public var type: CMIValueType
}

/// The element set of one SCORM version.
public struct CMIDataModel: Sendable {
    public let version: ScormVersion
    public let elements: [String: CMIElement]
    /// Pattern of a parent -> its `_children` value.
    public let children: [String: String]
    /// Patterns of the arrays (elements that have `_count`).
    public let arrays: Set<String>

    public static func of(_ version: ScormVersion) -> CMIDataModel {
        version == .scorm12 ? scorm12 : scorm2004
    }

    /// An element name split into its pattern and the array indices it names.
    public struct Path: Sendable, Equatable {
        public var pattern: String
        public var indices: [Int]
        public var components: [String]

        /// Nil when an index is not a canonical whole number (e.g. "01" or "-1").
        public init?(_ element: String) {
            components = element.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var patternComponents: [String] = []
            indices = []
            for component in components {
                if let first = component.first, first.isDigit0Through9 {
                    guard component.allSatisfy(\.isDigit0Through9), component == "0" || first != "0",
                          let index = Int(component) else { return nil }
                    indices.append(index)
                    patternComponents.append("n")
                } else {
                    patternComponents.append(component)
                }
            }
            pattern = patternComponents.joined(separator: ".")
        }

        /// The concrete name of the array holding the `level`-th index, e.g. "cmi.interactions.0.objectives".
        public func arrayName(level: Int) -> String {
            var seen = -1
            var result: [String] = []
            for (component, patternComponent) in zip(components, pattern.split(separator: ".").map(String.init)) {
                if patternComponent == "n" {
                    seen += 1
                    if seen == level { break }
                }
                result.append(component)
            }
            return result.joined(separator: ".")
        }

        /// The pattern of the array holding the `level`-th index, e.g. "cmi.interactions.n.objectives".
        public func arrayPattern(level: Int) -> String {
            var seen = -1
            var result: [String] = []
            for patternComponent in pattern.split(separator: ".").map(String.init) {
                if patternComponent == "n" {
                    seen += 1
                    if seen == level { break }
                }
                result.append(patternComponent)
            }
            return result.joined(separator: ".")
        }
    }

    /// Whether the pattern names something the model knows: an element, a parent with children, or an array.
    func knows(_ pattern: String) -> Bool {
        elements[pattern] != nil || children[pattern] != nil || arrays.contains(pattern)
    }
}

extension CMIDataModel {
    private static func build(_ version: ScormVersion, _ list: [(String, CMIAccess, CMIValueType)],
                              children: [String: String], arrays: Set<String>) -> CMIDataModel {
        var elements: [String: CMIElement] = [:]
        for (pattern, access, type) in list {
            elements[pattern] = CMIElement(pattern: pattern, access: access, type: type)
        }
        return CMIDataModel(version: version, elements: elements, children: children, arrays: arrays)
    }

    static let lessonStatus12 = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"]

    /// SCORM 1.2 RTE §3.4 (cmi.interactions is write-only; cmi._version is "3.4").
    public static let scorm12: CMIDataModel = {
        let score: CMIValueType = .decimal(min: 0, max: 100, allowsBlank: true)
        // A SCO may not set "not attempted": only the LMS puts a SCO in that state.
        let settableStatus = lessonStatus12.filter { $0 != "not attempted" }
        return build(.scorm12, [
            ("cmi._version", .readOnly, .string(maxLength: 255)),
            ("cmi.core.student_id", .readOnly, .identifier(maxLength: 255)),
            ("cmi.core.student_name", .readOnly, .string(maxLength: 255)),
            ("cmi.core.lesson_location", .readWrite, .string(maxLength: 255)),
            ("cmi.core.credit", .readOnly, .vocabulary(["credit", "no-credit"])),
            ("cmi.core.lesson_status", .readWrite, .vocabulary(settableStatus)),
            ("cmi.core.entry", .readOnly, .vocabulary(["ab-initio", "resume", ""])),
            ("cmi.core.score.raw", .readWrite, score),
            ("cmi.core.score.min", .readWrite, score),
            ("cmi.core.score.max", .readWrite, score),
            ("cmi.core.total_time", .readOnly, .timespan12),
            ("cmi.core.lesson_mode", .readOnly, .vocabulary(["browse", "normal", "review"])),
            ("cmi.core.exit", .writeOnly, .vocabulary(["time-out", "suspend", "logout", ""])),
            ("cmi.core.session_time", .writeOnly, .timespan12),
            ("cmi.suspend_data", .readWrite, .string(maxLength: 4096)),
            ("cmi.launch_data", .readOnly, .string(maxLength: 4096)),
            ("cmi.comments", .readWrite, .string(maxLength: 4096)),
            ("cmi.comments_from_lms", .readOnly, .string(maxLength: 4096)),
            ("cmi.objectives.n.id", .readWrite, .identifier(maxLength: 255)),
            ("cmi.objectives.n.score.raw", .readWrite, score),
            ("cmi.objectives.n.score.min", .readWrite, score),
            ("cmi.objectives.n.score.max", .readWrite, score),
            ("cmi.objectives.n.status", .readWrite, .vocabulary(lessonStatus12)),
            ("cmi.student_data.mastery_score", .readOnly, .decimal(min: 0, max: 100, allowsBlank: true)),
            ("cmi.student_data.max_time_allowed", .readOnly, .timespan12),
            ("cmi.student_data.time_limit_action", .readOnly,
             .vocabulary(["exit,message", "exit,no message", "continue,message", "continue,no message"])),
            ("cmi.student_preference.audio", .readWrite, .integer(min: -1, max: 100)),
            ("cmi.student_preference.language", .readWrite, .string(maxLength: 255)),
            ("cmi.student_preference.speed", .readWrite, .integer(min: -100, max: 100)),
            ("cmi.student_preference.text", .readWrite, .integer(min: -1, max: 1)),
            ("cmi.interactions.n.id", .writeOnly, .identifier(maxLength: 255)),
            ("cmi.interactions.n.objectives.n.id", .writeOnly, .identifier(maxLength: 255)),
            ("cmi.interactions.n.time", .writeOnly, .time12),
            ("cmi.interactions.n.type", .writeOnly, .vocabulary(["true-false", "choice", "fill-in", "matching",
                                                                  "performance", "sequencing", "likert", "numeric"])),
            ("cmi.interactions.n.correct_responses.n.pattern", .writeOnly, .string(maxLength: 255)),
            ("cmi.interactions.n.weighting", .writeOnly, .decimal(min: nil, max: nil, allowsBlank: false)),
            ("cmi.interactions.n.student_response", .writeOnly, .string(maxLength: 255)),
            ("cmi.interactions.n.result", .writeOnly, .vocabularyOrDecimal(["correct", "wrong", "unanticipated", "neutral"])),
            ("cmi.interactions.n.latency", .writeOnly, .timespan12),
        ], children: [
            "cmi": "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
            "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
            "cmi.core.score": "raw,min,max",
            "cmi.objectives": "id,score,status",
            "cmi.objectives.n.score": "raw,min,max",
            "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
            "cmi.student_preference": "audio,language,speed,text",
            "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
        ], arrays: ["cmi.objectives", "cmi.interactions", "cmi.interactions.n.objectives",
                    "cmi.interactions.n.correct_responses"])
    }()

    /// SCORM 2004 4th Edition RTE §4.2 and §4.3 (cmi._version is "1.0").
    public static let scorm2004: CMIDataModel = {
        let real: CMIValueType = .decimal(min: nil, max: nil, allowsBlank: false)
        let scaled: CMIValueType = .decimal(min: -1, max: 1, allowsBlank: false)
        let unitInterval: CMIValueType = .decimal(min: 0, max: 1, allowsBlank: false)
        let completion: CMIValueType = .vocabulary(["completed", "incomplete", "not attempted", "unknown"])
        let success: CMIValueType = .vocabulary(["passed", "failed", "unknown"])
        let longIdentifier: CMIValueType = .identifier(maxLength: 4000)
        return build(.scorm2004, [
            ("cmi._version", .readOnly, .string(maxLength: 255)),
            ("cmi.comments_from_learner.n.comment", .readWrite, .localizedString(maxLength: 4000)),
            ("cmi.comments_from_learner.n.location", .readWrite, .string(maxLength: 250)),
            ("cmi.comments_from_learner.n.timestamp", .readWrite, .timestamp2004),
            ("cmi.comments_from_lms.n.comment", .readOnly, .localizedString(maxLength: 4000)),
            ("cmi.comments_from_lms.n.location", .readOnly, .string(maxLength: 250)),
            ("cmi.comments_from_lms.n.timestamp", .readOnly, .timestamp2004),
            ("cmi.completion_status", .readWrite, completion),
            ("cmi.completion_threshold", .readOnly, unitInterval),
            ("cmi.credit", .readOnly, .vocabulary(["credit", "no-credit"])),
            ("cmi.entry", .readOnly, .vocabulary(["ab-initio", "resume", ""])),
            ("cmi.exit", .writeOnly, .vocabulary(["time-out", "suspend", "logout", "normal", ""])),
            ("cmi.interactions.n.id", .readWrite, longIdentifier),
            ("cmi.interactions.n.type", .readWrite, .vocabulary(["true-false", "choice", "fill-in", "long-fill-in", "likert",
                                                                 "matching", "performance", "sequencing", "numeric", "other"])),
            ("cmi.interactions.n.objectives.n.id", .readWrite, longIdentifier),
            ("cmi.interactions.n.timestamp", .readWrite, .timestamp2004),
            ("cmi.interactions.n.correct_responses.n.pattern", .readWrite, .string(maxLength: 4000)),
            ("cmi.interactions.n.weighting", .readWrite, real),
            ("cmi.interactions.n.learner_response", .readWrite, .string(maxLength: 4000)),
            ("cmi.interactions.n.result", .readWrite, .vocabularyOrDecimal(["correct", "incorrect", "unanticipated", "neutral"])),
            ("cmi.interactions.n.latency", .readWrite, .duration2004),
            ("cmi.interactions.n.description", .readWrite, .localizedString(maxLength: 250)),
            ("cmi.launch_data", .readOnly, .string(maxLength: 4000)),
            ("cmi.learner_id", .readOnly, longIdentifier),
            ("cmi.learner_name", .readOnly, .localizedString(maxLength: 250)),
            ("cmi.learner_preference.audio_level", .readWrite, .decimal(min: 0, max: nil, allowsBlank: false)),
            ("cmi.learner_preference.language", .readWrite, .language),
            ("cmi.learner_preference.delivery_speed", .readWrite, .decimal(min: 0, max: nil, allowsBlank: false)),
            ("cmi.learner_preference.audio_captioning", .readWrite, .integer(min: -1, max: 1)),
            ("cmi.location", .readWrite, .string(maxLength: 1000)),
            ("cmi.max_time_allowed", .readOnly, .duration2004),
            ("cmi.mode", .readOnly, .vocabulary(["browse", "normal", "review"])),
            ("cmi.objectives.n.id", .readWrite, longIdentifier),
            ("cmi.objectives.n.score.scaled", .readWrite, scaled),
            ("cmi.objectives.n.score.raw", .readWrite, real),
            ("cmi.objectives.n.score.min", .readWrite, real),
            ("cmi.objectives.n.score.max", .readWrite, real),
            ("cmi.objectives.n.success_status", .readWrite, success),
            ("cmi.objectives.n.completion_status", .readWrite, completion),
            ("cmi.objectives.n.progress_measure", .readWrite, unitInterval),
            ("cmi.objectives.n.description", .readWrite, .localizedString(maxLength: 250)),
            ("cmi.progress_measure", .readWrite, unitInterval),
            ("cmi.scaled_passing_score", .readOnly, scaled),
            ("cmi.score.scaled", .readWrite, scaled),
            ("cmi.score.raw", .readWrite, real),
            ("cmi.score.min", .readWrite, real),
            ("cmi.score.max", .readWrite, real),
            ("cmi.session_time", .writeOnly, .duration2004),
            ("cmi.success_status", .readWrite, success),
            ("cmi.suspend_data", .readWrite, .string(maxLength: 64_000)),
            ("cmi.time_limit_action", .readOnly,
             .vocabulary(["exit,message", "continue,message", "exit,no message", "continue,no message"])),
            ("cmi.total_time", .readOnly, .duration2004),
            ("adl.nav.request", .readWrite, .navigationRequest),
            ("adl.nav.request_valid.continue", .readOnly, .vocabulary(["true", "false", "unknown"])),
            ("adl.nav.request_valid.previous", .readOnly, .vocabulary(["true", "false", "unknown"])),
        ], children: [
            "cmi.comments_from_learner": "comment,location,timestamp",
            "cmi.comments_from_lms": "comment,location,timestamp",
            "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
            "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
            "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
            "cmi.objectives.n.score": "scaled,raw,min,max",
            "cmi.score": "scaled,raw,min,max",
        ], arrays: ["cmi.comments_from_learner", "cmi.comments_from_lms", "cmi.interactions",
                    "cmi.interactions.n.objectives", "cmi.interactions.n.correct_responses", "cmi.objectives"])
    }()
}
