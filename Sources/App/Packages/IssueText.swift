import Foundation

/// The English text of a finding as written at the call site, kept apart into a template with `{0}`, `{1}`, ...
/// and the values that fill it, so that a reader's language can be put in their place later.
/// `"Item '\(key)' has no <title>"` becomes the template "Item '{0}' has no <title>" with the argument key.
public struct IssueText: Sendable, Equatable, ExpressibleByStringInterpolation {
    public var template: String
    public var arguments: [IssueArgument]
    /// The catalogue key of a phrase that other texts embed ("module 'intro'" is "import.phrase.module");
    /// nil for a finding's own text.
    public var phrase: String?

    public init(stringLiteral value: String) {
        template = value
        arguments = []
    }

    public init(stringInterpolation: StringInterpolation) {
        template = stringInterpolation.template
        arguments = stringInterpolation.arguments
    }

    /// A phrase that is translated on its own and embedded in other texts.
    public init(phrase: String, _ text: IssueText) {
        self = text
        self.phrase = "import.phrase." + phrase
    }

    init(template: String, arguments: [IssueArgument], key: String) {
        self.template = template
        self.arguments = arguments
        phrase = key
    }

    /// The text in English, as the call site wrote it.
    public var english: String {
        IssueText.fill(template, with: arguments.map(\.english))
    }

    /// Replaces `{0}`, `{1}`, ... in one pass, so that a value that itself contains "{1}" stays as it is.
    public static func fill(_ template: String, with values: [String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let index = Int(rest[afterOpen..<close]), values.indices.contains(index) {
                result += values[index]
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var template = ""
        var arguments: [IssueArgument] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            template.reserveCapacity(literalCapacity + 3 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            template += literal
        }

        public mutating func appendInterpolation(_ phrase: IssueText) {
            append(IssueArgument(phrase))
        }

        /// The phrase with its first letter in upper case, for the start of a sentence.
        public mutating func appendInterpolation(capitalized phrase: IssueText) {
            var argument = IssueArgument(phrase)
            argument.capitalized = true
            append(argument)
        }

        public mutating func appendInterpolation<Value>(_ value: Value) {
            append(IssueArgument(value: String(describing: value)))
        }

        private mutating func append(_ argument: IssueArgument) {
            template += "{\(arguments.count)}"
            arguments.append(argument)
        }
    }
}

/// One value in a finding's text: a plain value (an identifier, a path, a number) that is the same in every
/// language, or an embedded phrase that is translated too. Plain values encode as JSON strings.
public struct IssueArgument: Sendable, Equatable, Codable {
    /// The value, or the phrase in English.
    public var value: String
    public var phrase: String?
    public var arguments: [IssueArgument]?
    public var capitalized: Bool?

    public init(value: String) {
        self.value = value
    }

    init(_ text: IssueText) {
        guard let phrase = text.phrase else {
            value = text.english
            return
        }
        value = text.english
        self.phrase = phrase
        arguments = text.arguments
    }

    var english: String {
        capitalized == true ? value.prefix(1).uppercased() + value.dropFirst() : value
    }

    enum CodingKeys: String, CodingKey {
        case value, phrase, arguments, capitalized
    }

    public init(from decoder: any Decoder) throws {
        if let value = try? decoder.singleValueContainer().decode(String.self) {
            self.value = value
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(String.self, forKey: .value)
        phrase = try container.decodeIfPresent(String.self, forKey: .phrase)
        arguments = try container.decodeIfPresent([IssueArgument].self, forKey: .arguments)
        capitalized = try container.decodeIfPresent(Bool.self, forKey: .capitalized)
    }

    public func encode(to encoder: any Encoder) throws {
        if phrase == nil, capitalized != true {
            var container = encoder.singleValueContainer()
            try container.encode(value)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encodeIfPresent(phrase, forKey: .phrase)
        try container.encodeIfPresent(arguments, forKey: .arguments)
        try container.encodeIfPresent(capitalized, forKey: .capitalized)
    }
}
