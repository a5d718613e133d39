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

    public init(_ severity: Severity, code: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                message: String, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
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
                               _ message: String, hint: String? = nil) {
        issues.append(.init(.error, code: code, file: file, line: element?.line, column: element?.column,
                            message: message, hint: hint))
    }

    public mutating func warning(_ code: String, file: String?, at element: ManifestElement? = nil,
                                 _ message: String, hint: String? = nil) {
        issues.append(.init(.warning, code: code, file: file, line: element?.line, column: element?.column,
                            message: message, hint: hint))
    }
}
