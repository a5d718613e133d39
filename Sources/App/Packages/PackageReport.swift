import Foundation

/// One finding about a package: what is wrong, where, and how to fix it.
public struct PackageIssue: Sendable, Equatable, Codable, Error {
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    /// Stable machine-readable code, e.g. "item.identifierref.unknown".
    public var code: String
    /// Package-relative file the finding is about ("imsmanifest.xml").
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// What is wrong, in plain English, naming the offending value.
    public var message: String
    /// How to fix it.
    public var hint: String?
    /// The values named in `message`, in the order of the `{0}`, `{1}`, ... of its catalogue text, so that
    /// the finding can be shown in the reader's language (see `PackageIssue.localizedMessage`).
    public var arguments: [IssueArgument]
    /// The values named in `hint`, numbered from `{0}` as well.
    public var hintArguments: [IssueArgument]
    /// The catalogue text ("import.issue.<wording>.message") when it is not the code's own: a code whose
    /// wording differs by case, or a code made up of element names. Nil: the code names the text.
    public var wording: String?
    /// The English templates as the call site wrote them; not encoded. Rendering checks them against the
    /// English catalogue, so that a reworded message never shows a stale translation.
    var messageTemplate: String?
    var hintTemplate: String?

    public init(_ severity: Severity, code: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                message: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        arguments = []
        hintArguments = []
    }

    /// A finding whose texts keep their values apart, so that they can be translated.
    public init(_ severity: Severity, code: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                text: IssueText, hint: IssueText? = nil, wording: String? = nil) {
        self.init(severity, code: code, file: file, line: line, column: column, message: text.english, hint: hint?.english)
        arguments = text.arguments
        hintArguments = hint?.arguments ?? []
        self.wording = wording
        messageTemplate = text.template
        hintTemplate = hint?.template
    }

    /// The catalogue text's name: `wording`, or else `code`.
    public var textKey: String { wording ?? code }

    /// The message, to be embedded in another finding's text (and translated with it).
    public var messageText: IssueText {
        IssueText(template: messageTemplate ?? message, arguments: arguments, key: "import.issue.\(textKey).message")
    }

    /// The hint, to be embedded in another finding's hint.
    public var hintText: IssueText? {
        hint.map { IssueText(template: hintTemplate ?? $0, arguments: hintArguments, key: "import.issue.\(textKey).hint") }
    }

    enum CodingKeys: String, CodingKey {
        case severity, code, file, line, column, message, hint, arguments, hintArguments, wording
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        severity = try container.decode(Severity.self, forKey: .severity)
        code = try container.decode(String.self, forKey: .code)
        file = try container.decodeIfPresent(String.self, forKey: .file)
        line = try container.decodeIfPresent(Int.self, forKey: .line)
        column = try container.decodeIfPresent(Int.self, forKey: .column)
        message = try container.decode(String.self, forKey: .message)
        hint = try container.decodeIfPresent(String.self, forKey: .hint)
        // Reports written before findings had arguments decode with none.
        arguments = try container.decodeIfPresent([IssueArgument].self, forKey: .arguments) ?? []
        hintArguments = try container.decodeIfPresent([IssueArgument].self, forKey: .hintArguments) ?? []
        wording = try container.decodeIfPresent(String.self, forKey: .wording)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(severity, forKey: .severity)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(file, forKey: .file)
        try container.encodeIfPresent(line, forKey: .line)
        try container.encodeIfPresent(column, forKey: .column)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(hint, forKey: .hint)
        try container.encode(arguments, forKey: .arguments)
        try container.encode(hintArguments, forKey: .hintArguments)
        try container.encodeIfPresent(wording, forKey: .wording)
    }

    /// Equal findings say the same about the same place; the templates are how they were written.
    public static func == (lhs: PackageIssue, rhs: PackageIssue) -> Bool {
        lhs.severity == rhs.severity && lhs.code == rhs.code && lhs.file == rhs.file && lhs.line == rhs.line
            && lhs.column == rhs.column && lhs.message == rhs.message && lhs.hint == rhs.hint
            && lhs.arguments == rhs.arguments && lhs.hintArguments == rhs.hintArguments && lhs.wording == rhs.wording
    }

    /// "imsmanifest.xml:12:5"
    public var location: String? {
        guard let file else { return nil }
        guard let line else { return file }
        return column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }
}

/// Everything found while reading and checking a package. A package with any error is refused as a whole.
public struct PackageReport: Sendable, Equatable, Codable {
    public var issues: [PackageIssue] = []

    public init(issues: [PackageIssue] = []) {
        self.issues = issues
    }

    public var errors: [PackageIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [PackageIssue] { issues.filter { $0.severity == .warning } }
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    public mutating func error(_ code: String, file: String?, at element: ManifestElement? = nil,
                               _ message: IssueText, hint: IssueText? = nil, wording: String? = nil) {
        issues.append(.init(.error, code: code, file: file, line: element?.line, column: element?.column,
                            text: message, hint: hint, wording: wording))
    }

    public mutating func warning(_ code: String, file: String?, at element: ManifestElement? = nil,
                                 _ message: IssueText, hint: IssueText? = nil, wording: String? = nil) {
        issues.append(.init(.warning, code: code, file: file, line: element?.line, column: element?.column,
                            text: message, hint: hint, wording: wording))
    }
}
