/// Formats of cmi.interactions.n.learner_response and cmi.interactions.n.correct_responses.n.pattern
/// per interaction type, SCORM 2004 4th Edition RTE §4.2.9.1 (Correct Responses Pattern Data Model
/// Element Specifics) and §4.2.9.2 (Learner Response). Lists are separated by "[,]", pairs by "[.]",
/// numeric ranges by "[:]". SPM limits on list lengths are not enforced beyond the 4,000-character
/// string limit of the element itself.
import Foundation

public enum CMIInteractionResponse {
    /// Whether `value` is a valid learner_response (`isPattern == false`) or correct response pattern
    /// for an interaction of `type`.
    public static func isValid(_ value: String, type: String, isPattern: Bool) -> Bool {
        switch type {
        case "true-false":
            return value == "true" || value == "false"
        case "choice":
            if value.isEmpty { return true }
            let choices = list(value)
            return choices.allSatisfy(isShortIdentifier) && Set(choices).count == choices.count
        case "sequencing":
            return list(value).allSatisfy(isShortIdentifier)
        case "likert":
            return isShortIdentifier(value)
        case "fill-in":
            var body = Substring(value)
            if isPattern {
                guard let stripped = strippingFlags(body, allowed: ["case_matters", "order_matters"]) else { return false }
                body = stripped
            }
            return list(String(body)).allSatisfy { CMIValueType.localizedString(maxLength: 250).problem(with: $0) == nil }
        case "long-fill-in":
            var body = Substring(value)
            if isPattern {
                guard let stripped = strippingFlags(body, allowed: ["case_matters"]) else { return false }
                body = stripped
            }
            return CMIValueType.localizedString(maxLength: 4000).problem(with: String(body)) == nil
        case "matching":
            return list(value).allSatisfy { pair in
                let parts = pair.components(separatedBy: "[.]")
                return parts.count == 2 && parts.allSatisfy(isShortIdentifier)
            }
        case "performance":
            var body = Substring(value)
            if isPattern {
                guard let stripped = strippingFlags(body, allowed: ["order_matters"]) else { return false }
                body = stripped
            }
            return list(String(body)).allSatisfy { step in
                let parts = step.components(separatedBy: "[.]")
                guard parts.count == 2, !(parts[0].isEmpty && parts[1].isEmpty) else { return false }
                return parts[0].isEmpty || isShortIdentifier(parts[0])
            }
        case "numeric":
            guard isPattern else { return CMIValueType.decimal(value) != nil }
            let bounds = value.components(separatedBy: "[:]")
            guard bounds.count == 2 else { return false }
            let low = bounds[0].isEmpty ? nil : CMIValueType.decimal(bounds[0])
            let high = bounds[1].isEmpty ? nil : CMIValueType.decimal(bounds[1])
            if !bounds[0].isEmpty, low == nil { return false }
            if !bounds[1].isEmpty, high == nil { return false }
            if let low, let high, low > high { return false }
            return true
        default: // "other"
            return value.count <= 4000
        }
    }

    /// How many correct response patterns a type allows; nil for "up to the SPM".
    public static func maximumPatternCount(type: String) -> Int? {
        ["true-false", "likert", "numeric", "other"].contains(type) ? 1 : nil
    }

    private static func list(_ value: String) -> [String] { value.components(separatedBy: "[,]") }

    /// short_identifier_type: 1...250 characters without white space.
    static func isShortIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 250 && !text.contains(where: { $0.isWhitespace })
    }

    /// Removes leading {name=true|false} delimiters; nil when one is malformed or not allowed.
    private static func strippingFlags(_ text: Substring, allowed: Set<String>) -> Substring? {
        var rest = text
        while rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") {
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            let parts = inside.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, parts[0] == "lang" { break } // a language prefix belongs to the string itself
            guard parts.count == 2, allowed.contains(parts[0]), parts[1] == "true" || parts[1] == "false" else { return nil }
            rest = rest[rest.index(after: close)...]
        }
        return rest
    }
}
