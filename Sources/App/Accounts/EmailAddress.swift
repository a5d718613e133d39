import Foundation

/// An e-mail address as people type it, normalised for storage and comparison.
public struct EmailAddress: Sendable, Equatable, Hashable {
    public let value: String

    /// `nil` unless the text has one "@", a non-empty local part and a dotted domain without spaces.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, trimmed.count <= 254 else { return nil }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }),
              !trimmed.contains(where: { $0.isWhitespace || "<>(),;:\"[]\\".contains($0) }),
              labels.last!.count >= 2 else { return nil }
        value = trimmed
    }
}
