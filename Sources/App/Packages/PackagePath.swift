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
        var length = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: ":"):
                return length > 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                length += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                guard length > 0 else { return false }
                length += 1
            case UInt8(ascii: "/"):
                return length == 0 && reference.utf8.starts(with: "//".utf8)
            default:
                return false
            }
        }
        return false
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
        guard let index = reference.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) else {
            return (reference, "")
        }
        return (String(reference[..<index]), String(reference[index...]))
    }

    /// Slashes instead of backslashes, "." segments and empty segments dropped, ".." resolved.
    /// `nil` when ".." climbs above the package root. A trailing slash (a folder) is kept.
    public static func normalize(_ path: String) -> String? {
        let slashed = slashes(path)
        if isClean(slashed) { return slashed }
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

    /// Whether a slashed path has no empty, "." or ".." segment, so that normalizing would not change it.
    /// Most paths in a manifest are like that; checking is much cheaper than splitting and joining.
    private static func isClean(_ path: String) -> Bool {
        var segmentLength = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if segmentLength == 0 || dots == segmentLength { return false }
                segmentLength = 0
                dots = 0
            } else {
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentLength == 0 ? !path.isEmpty : dots != segmentLength
    }

    /// `text` percent-decoded, or unchanged when it holds a "%" that is not an escape ("100%.html").
    public static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return text.removingPercentEncoding ?? text
    }

    /// The package file a relative reference points at: suffix stripped, backslashes turned, percent-decoded and
    /// normalized ("content\\My%20Page.html?x=1" -> "content/My Page.html"). `nil` for absolute URLs and for
    /// references that leave the package.
    public static func filePath(of reference: String) -> String? {
        let trimmed = ManifestElement.trimmed(reference)
        guard !isAbsoluteURL(trimmed), !isFileSystemPath(trimmed) else { return nil }
        let (path, _) = splitSuffix(trimmed)
        return normalize(percentDecoded(slashes(path)))
    }

    /// Joins a relative `href` to a base (an `xml:base` value or a folder), adding the "/" that bases often lack.
    /// An absolute `href` wins over any base; an absolute base stays absolute.
    public static func join(base: String, _ href: String) -> String {
        let base = slashes(ManifestElement.trimmed(base))
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
        var parameters = Substring(ManifestElement.trimmed(parameters))
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

    /// Backslashes turned into slashes (Windows tools write them); the same string when there are none.
    public static func slashes(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "\\")) else { return path }
        return String(decoding: path.utf8.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
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
