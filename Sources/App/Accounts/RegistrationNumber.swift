import Foundation

/// A Belgian professional registration number (RIZIV/INAMI): a profession digit and sequence (six
/// digits), two check digits and a three-digit qualification code. The check digits are
/// 97 - (first six mod 97) for older numbers and 89 - (first six mod 89) for newer ones; the rule is not
/// officially published, so a number that fits neither is not refused outright but must be confirmed.
public struct RegistrationNumber: Sendable, Equatable, Hashable {
    public enum CheckDigitRule: String, Sendable {
        case modulo97
        case modulo89
    }

    public enum Problem: Error, Sendable, Equatable {
        case empty
        case notDigits(String)
        case wrongLength(Int)
    }

    public enum Verdict: Sendable, Equatable {
        /// Check digits fit one of the known rules.
        case valid(RegistrationNumber, CheckDigitRule)
        /// Well-formed but the check digits fit neither rule: ask the person to confirm.
        case unverifiedCheckDigits(RegistrationNumber)
        case invalid(Problem)
    }

    /// Eleven digits, no separators.
    public let digits: String

    /// Digits 1-8: identify the person for life.
    public var personKey: String { String(digits.prefix(8)) }
    /// Digits 9-11: the qualification, which can change.
    public var qualificationCode: String { String(digits.suffix(3)) }

    /// Reads what a person typed: spaces, dots, dashes and slashes are ignored ("1-23456-78-901").
    public static func check(_ input: String) -> Verdict {
        let stripped = input.filter { !" .-/\t".contains($0) }
        guard !stripped.isEmpty else { return .invalid(.empty) }
        guard stripped.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            let offending = String(stripped.filter { !($0.isASCII && $0.isNumber) })
            return .invalid(.notDigits(offending))
        }
        guard stripped.count == 11 else { return .invalid(.wrongLength(stripped.count)) }
        let number = RegistrationNumber(digits: stripped)
        let base = Int(stripped.prefix(6))!
        let check = Int(stripped.dropFirst(6).prefix(2))!
        if check == 97 - base % 97 { return .valid(number, .modulo97) }
        if check == 89 - base % 89 { return .valid(number, .modulo89) }
        return .unverifiedCheckDigits(number)
    }

    /// "1-23456-78-901", the way the number is usually printed.
    public var formatted: String {
        let d = Array(digits)
        return "\(d[0])-\(String(d[1..<6]))-\(String(d[6..<8]))-\(String(d[8..<11]))"
    }
}
