import Foundation

/// A zip entry's name: decoded from its bytes and turned into a safe relative path, or refused.
///
/// Zip tools disagree on encodings: the UTF-8 flag is set by some, others (macOS Archive Utility, many
/// Windows tools) write UTF-8 without it, and old DOS tools write code page 437. So: the Info-ZIP Unicode Path
/// field when present, the flag when set, else UTF-8 when the bytes are valid UTF-8, else code page 437.
/// Backslashes count as separators (Windows tools write them).
struct ArchiveEntryName: Sendable, Equatable {
    /// The name as the zip spells it, decoded: what messages show.
    let original: String
    /// Relative path with "/" separators, without "." segments or a trailing slash; "" for the root itself.
    let path: String
    let isFolder: Bool

    enum Problem: Error, Equatable {
        case absolute
        case driveLetter
        case parentSegment
        case controlCharacter
        case segmentTooLong(String)
        case invalidUTF8
    }

    /// Decodes `record`'s name; refuses names that would land outside the extraction folder.
    static func make(_ record: ZipCentralDirectory.Record) -> Result<ArchiveEntryName, Problem> {
        guard let original = decode(record) else { return .failure(.invalidUTF8) }
        return make(original)
    }

    static func make(_ original: String) -> Result<ArchiveEntryName, Problem> {
        let text = PackagePath.slashes(original)
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(.controlCharacter)
        }
        if text.hasPrefix("/") { return .failure(.absolute) }
        let segments = text.split(separator: "/", omittingEmptySubsequences: true)
        if let first = segments.first, first.count >= 2, first.unicodeScalars.dropFirst().first == ":",
           let letter = first.unicodeScalars.first, letter.isASCII, letter.properties.isAlphabetic {
            return .failure(.driveLetter)
        }
        var kept: [Substring] = []
        for segment in segments where segment != "." {
            if segment == ".." { return .failure(.parentSegment) }
            // Linux refuses file names over 255 bytes (NAME_MAX).
            if segment.utf8.count > 255 { return .failure(.segmentTooLong(String(segment.prefix(40)))) }
            kept.append(segment)
        }
        return .success(ArchiveEntryName(original: original, path: kept.joined(separator: "/"),
                                         isFolder: text.hasSuffix("/")))
    }

    static func decode(_ record: ZipCentralDirectory.Record) -> String? {
        if let unicode = record.unicodeName { return unicode }
        let bytes = record.nameBytes
        if record.declaresUTF8 { return String(validating: bytes, as: UTF8.self) }
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return codePage437(bytes)
    }

    /// Code page 437's upper half; bytes below 0x80 are ASCII.
    private static let upperHalf: [Unicode.Scalar] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}"
            .unicodeScalars)

    static func codePage437(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : upperHalf[Int(byte) - 0x80])
        }
        return String(scalars)
    }

    /// Whether this is `PackageClutter` (`__MACOSX/`, `.DS_Store`, `._name`, `Thumbs.db`, `.git/`...).
    var isJunk: Bool {
        PackageClutter.contains(path.split(separator: "/"))
    }
}
