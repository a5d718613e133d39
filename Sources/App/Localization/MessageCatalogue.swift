import Foundation

/// Every user-facing string of the interface, per language. Templates ask for keys with `#t("key")`;
/// a test keeps the three catalogues and the templates in step.
public enum MessageCatalogue {
    static let catalogues: [Language: [String: String]] = merged([
        [.nl: messagesNL, .fr: messagesFR, .en: messagesEN],
        playerMessages,
        runtimeMessages,
        recordMessages,
        securityMessages,
        cmi5Messages,
        hubMessages,
        adminMessages,
        workspaceMessages,
        importMessages,
        importIssueMessages,
        boardMessages,
        credentialMessages,
        audienceMessages,
        courseSettingsMessages,
        siteMessages,
        cycleMessages,
        mergeMessages,
    ])

    /// The interface's areas keep their texts in files of their own; a key used by two areas is a mistake.
    static func merged(_ areas: [[Language: [String: String]]]) -> [Language: [String: String]] {
        var result: [Language: [String: String]] = [:]
        for area in areas {
            for (language, messages) in area {
                result[language, default: [:]].merge(messages) { first, _ in
                    preconditionFailure("a message key is defined twice: \(first)")
                }
            }
        }
        return result
    }

    /// The message for `key`, with `{0}`, `{1}`, ... replaced by `arguments`. Falls back to Dutch, then
    /// to the key itself so that a missing text shows up instead of breaking the page.
    public static func text(_ key: String, _ language: Language, _ arguments: [String] = []) -> String {
        var template = catalogues[language]?[key] ?? catalogues[.nl]?[key] ?? key
        for (index, argument) in arguments.enumerated() {
            template = template.replacingOccurrences(of: "{\(index)}", with: argument)
        }
        return template
    }

    public static func has(_ key: String, _ language: Language) -> Bool {
        catalogues[language]?[key] != nil
    }

    public static func keys(_ language: Language) -> Set<String> {
        Set(catalogues[language]?.keys ?? [:].keys)
    }
}
