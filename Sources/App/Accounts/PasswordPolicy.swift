import Foundation

/// What a password must be. Length beats composition rules (NIST SP 800-63B); the few passwords
/// everybody tries are refused outright.
public struct PasswordPolicy: Sendable {
    public enum Problem: Sendable, Equatable {
        case tooShort(minimum: Int)
        case tooLong(maximum: Int)
        case tooCommon
        case containsEmail
    }

    public var minimumLength = 10
    /// bcrypt reads at most 72 bytes.
    public var maximumBytes = 72

    public init() {}

    static let common: Set<String> = [
        "password", "password1", "password12", "password123", "wachtwoord", "wachtwoord1", "wachtwoord123",
        "motdepasse", "azertyuiop", "qwertyuiop", "1234567890", "0123456789", "12345678910", "iloveyou12",
        "welkom1234", "welkom12345", "bienvenue1", "letmein123", "abcdefghij", "1111111111", "aaaaaaaaaa",
        "zorgraad123", "vivelacademy",
    ]

    public func problems(password: String, email: String) -> [Problem] {
        var problems: [Problem] = []
        if password.count < minimumLength { problems.append(.tooShort(minimum: minimumLength)) }
        if password.utf8.count > maximumBytes { problems.append(.tooLong(maximum: maximumBytes)) }
        if Self.common.contains(password.lowercased()) { problems.append(.tooCommon) }
        let local = email.split(separator: "@").first.map { String($0).lowercased() } ?? ""
        if local.count >= 4, password.lowercased().contains(local) { problems.append(.containsEmail) }
        return problems
    }
}
