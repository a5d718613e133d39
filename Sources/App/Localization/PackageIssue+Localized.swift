import Foundation

/// A package finding in the reader's language. The texts are "import.issue.<wording or code>.message" and
/// ".hint" in the catalogues (Messages+ImportIssues.swift), filled with the finding's arguments; embedded
/// phrases ("module 'intro'") are "import.phrase.<name>". A text is used only when the English catalogue
/// text, filled with the same arguments, gives the finding's own English: a finding reworded at its call
/// site without its catalogue entry then shows in English rather than as a stale translation.
extension PackageIssue {
    public func localizedMessage(_ language: Language) -> String {
        Self.localized("import.issue.\(textKey).message", arguments, english: message, language)
    }

    public func localizedHint(_ language: Language) -> String? {
        hint.map { Self.localized("import.issue.\(textKey).hint", hintArguments, english: $0, language) }
    }

    /// Whether the catalogue has this finding's message in `language` and it matches the English text.
    public func isTranslated(into language: Language) -> Bool {
        Self.catalogueText("import.issue.\(textKey).message", arguments, english: message, language) != nil
    }

    static func localized(_ key: String, _ arguments: [IssueArgument], english: String, _ language: Language) -> String {
        catalogueText(key, arguments, english: english, language) ?? english
    }

    static func catalogueText(_ key: String, _ arguments: [IssueArgument], english: String, _ language: Language) -> String? {
        let catalogues = MessageCatalogue.catalogues
        guard let englishTemplate = catalogues[.en]?[key], let template = catalogues[language]?[key],
              IssueText.fill(englishTemplate, with: arguments.map(\.english)) == english else { return nil }
        if language == .en { return english }
        return IssueText.fill(template, with: arguments.map { $0.localized(language) })
    }
}

extension IssueArgument {
    /// The value as it is (identifiers, paths and numbers are the same in every language), or the phrase
    /// in `language`.
    func localized(_ language: Language) -> String {
        guard let phrase else { return english }
        let text = PackageIssue.localized(phrase, arguments ?? [], english: value, language)
        return capitalized == true ? text.prefix(1).uppercased() + text.dropFirst() : text
    }
}
