import Foundation

/// Paths and launch URLs as package manifests write them, made comparable with the files a package holds.
///
/// Manifests written on Windows use backslashes, authoring tools percent-encode some names and not others,
/// `xml:base` values come with and without a trailing slash, and launch URLs carry query strings and
/// fragments. These functions give one spelling for each.
public enum PackagePath {
    /// Whether `reference` is an absolute URL ("https://...", "//host/...", "mailto:..."), which is launched as
    /// it is rather than looked up in the package. A single letter before the colon is a Windows drive, not a scheme.
    public static func isAbsoluteURL(_ reference: String) -> Bool {
        if reference.hasPrefix("//") { return true }
        guard let colon = reference.firstIndex(of: ":") else { return false }
        let scheme = reference[..<colon]
        guard scheme.count > 1, let first = scheme.unicodeScalars.first, first.isASCIILetter else { return false }
        return scheme.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) }
    }

    /// Whether `reference` names a place outside any package: a drive letter ("C:\...") or a path that starts at
    /// the file system root. Such references cannot be served from the package.
    public static func isFileSystemPath(_ reference: String) -> Bool {
        let scalars = Array(reference.unicodeScalars.prefix(3))
        if scalars.count >= 2, scalars[0].isASCIILetter, scalars[1] == ":" { return true }
        return reference.hasPrefix("file:")
    }

    /// The reference with its `?query` and `#fragment` split off: ("a/b.html", "?x=1#top").
    public static func splitSuffix(_ reference: String) -> (path: String, suffix: String) {
        guard let index = reference.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return (reference, "") }
        return (String(reference[..<index]), String(reference[index...]))
    }

    /// Slashes instead of backslashes, "." segments and empty segments dropped, ".." resolved.
    /// `nil` when ".." climbs above the package root. A trailing slash (a folder) is kept.
    public static func normalize(_ path: String) -> String? {
        let slashed = path.replacingOccurrences(of: "\\", with: "/")
        var segments: [Substring] = []
        for segment in slashed.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                guard segments.popLast() != nil else { return nil }
            default: segments.append(segment)
            }
        }
        var result = segments.joined(separator: "/")
        if !result.isEmpty, slashed.hasSuffix("/") || slashed.hasSuffix("/.") || slashed.hasSuffix("/..") {
            result += "/"
        }
        return result
    }

    /// `text` percent-decoded, or unchanged when it holds a "%" that is not an escape ("100%.html").
    public static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        return text.removingPercentEncoding ?? text
    }

    /// The package file a relative reference points at: suffix stripped, backslashes turned, percent-decoded and
    /// normalized ("content\\My%20Page.html?x=1" -> "content/My Page.html"). `nil` for absolute URLs and for
    /// references that leave the package.
    public static func filePath(of reference: String) -> String? {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !isAbsoluteURL(trimmed), !isFileSystemPath(trimmed) else { return nil }
        let (path, _) = splitSuffix(trimmed)
        return normalize(percentDecoded(path.replacingOccurrences(of: "\\", with: "/")))
    }

    /// Joins a relative `href` to a base (an `xml:base` value or a folder), adding the "/" that bases often lack.
    /// An absolute `href` wins over any base; an absolute base stays absolute.
    public static func join(base: String, _ href: String) -> String {
        let base = base.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\\", with: "/")
        if base.isEmpty || isAbsoluteURL(href) { return href }
        if href.isEmpty { return base }
        if base.hasSuffix("/") { return base + href }
        return base + "/" + href
    }

    /// A launch URL with an item's `parameters` added the way SCORM's content aggregation model describes it:
    /// leading "?" and "&" are dropped; a "#..." parameter is dropped when the URL already has "?" or "#"
    /// (and appended otherwise); other parameters join with "&" when the URL has a query, else with "?",
    /// going before any fragment the URL carries.
    public static func appendingParameters(_ parameters: String, to url: String) -> String {
        var parameters = Substring(parameters.trimmingCharacters(in: .whitespacesAndNewlines))
        while let first = parameters.first, first == "?" || first == "&" { parameters = parameters.dropFirst() }
        guard !parameters.isEmpty else { return url }
        if parameters.first == "#" {
            return url.contains("?") || url.contains("#") ? url : url + parameters
        }
        var beforeFragment = url
        var fragment = ""
        if let hash = url.firstIndex(of: "#") {
            beforeFragment = String(url[..<hash])
            fragment = String(url[hash...])
        }
        let separator: String
        if let last = beforeFragment.last, beforeFragment.contains("?") {
            separator = (last == "?" || last == "&") ? "" : "&"
        } else {
            separator = "?"
        }
        return beforeFragment + separator + parameters + fragment
    }

    /// A relative launch reference in one spelling, keeping its query and fragment and its percent-encoding:
    /// backslashes turned, "./" and ".." resolved; the package root itself stays "./". `nil` when it leaves the package.
    public static func normalizedLaunch(_ reference: String) -> String? {
        let (path, suffix) = splitSuffix(reference)
        guard let normalized = normalize(path) else { return nil }
        return (normalized.isEmpty ? "./" : normalized) + suffix
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
