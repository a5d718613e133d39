import Foundation

/// What admins set about the academy itself in the browser: its name and how people reach it. Saved in
/// the database (`SiteProfileRow`); without a saved profile the environment's name applies and no contact
/// is shown. Free of storage and of Vapor.
struct SiteProfile: Sendable, Equatable, Codable {
    var academyName: String
    var contactEmail: String?
    var contactPhone: String?
    var contactURL: String?

    /// Differs whenever anything a page shows of the profile differs (for keys of kept pages).
    var cacheTag: String {
        [academyName, contactEmail ?? "", contactPhone ?? "", contactURL ?? ""].joined(separator: "\u{1F}")
    }

    /// The form as typed, each field checked; `problems` maps a field to the message key of what is wrong.
    struct Form: Sendable, Equatable {
        var academyName: String
        var contactEmail: String
        var contactPhone: String
        var contactURL: String

        static let maxNameLength = 80

        func validated() -> Result<SiteProfile, Problems> {
            var problems: [String: String] = [:]
            let name = academyName.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.count < 2 {
                problems["academyName"] = "site.error.name.missing"
            } else if name.count > Self.maxNameLength {
                problems["academyName"] = "site.error.name.long"
            }
            let email = contactEmail.trimmingCharacters(in: .whitespacesAndNewlines)
            if !email.isEmpty, !Self.looksLikeEmail(email) { problems["contactEmail"] = "site.error.email" }
            let phone = contactPhone.trimmingCharacters(in: .whitespacesAndNewlines)
            if !phone.isEmpty, !Self.looksLikePhone(phone) { problems["contactPhone"] = "site.error.phone" }
            let url = contactURL.trimmingCharacters(in: .whitespacesAndNewlines)
            if !url.isEmpty, !Self.looksLikeWebAddress(url) { problems["contactURL"] = "site.error.url" }
            guard problems.isEmpty else { return .failure(Problems(fields: problems)) }
            return .success(SiteProfile(academyName: name, contactEmail: email.isEmpty ? nil : email,
                                        contactPhone: phone.isEmpty ? nil : phone, contactURL: url.isEmpty ? nil : url))
        }

        static func looksLikeEmail(_ text: String) -> Bool {
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
                && !parts[1].hasSuffix(".") && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) && text.count <= 254
        }

        /// Digits with the usual separators and an optional leading +: "+32 2 123 45 67", "02/123.45.67".
        static func looksLikePhone(_ text: String) -> Bool {
            let allowed = Set("0123456789 +/.-()")
            let digits = text.filter(\.isNumber).count
            return text.allSatisfy { allowed.contains($0) } && (6...15).contains(digits) && !text.dropFirst().contains("+")
        }

        static func looksLikeWebAddress(_ text: String) -> Bool {
            guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
                  scheme == "https" || scheme == "http", let host = components.host, host.contains(".") else { return false }
            return !text.contains(where: \.isWhitespace)
        }
    }

    struct Problems: Error, Sendable, Equatable {
        /// Field name -> message key.
        var fields: [String: String]
    }
}
