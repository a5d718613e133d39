import Foundation

/// The interface languages. Dutch first: the academy serves Flanders and Brussels.
public enum Language: String, CaseIterable, Codable, Sendable {
    case nl, fr, en

    public static let `default` = Language.nl

    /// The best supported language in an Accept-Language header, honouring q-values.
    public static func negotiate(acceptLanguage header: String) -> Language? {
        var best: (Language, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { continue }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard quality > 0, let language = Language(rawValue: primary) else { continue }
            if best == nil || quality > best!.1 { best = (language, quality) }
        }
        return best?.0
    }

    /// The language's name in itself, for the switcher.
    public var endonym: String {
        switch self {
        case .nl: "Nederlands"
        case .fr: "Français"
        case .en: "English"
        }
    }
}
