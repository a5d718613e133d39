import Foundation

/// Text reduced for matching: lower case, accents removed, runs of non-alphanumerics as one space,
/// so "Omgevingsanalyse", "omgevingsanalyse" and "OMGEVINGSANALYSE" match, and "patiënt" finds "patient".
public enum SearchText {
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        var result = ""
        result.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                if pendingSpace && !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return result
    }

    /// The folded words of a query; every one must occur in the document.
    public static func terms(_ query: String) -> [String] {
        fold(query).split(separator: " ").map(String.init)
    }
}
