import Foundation

/// One plain-text mail as it travels over SMTP (RFC 5322 with MIME): UTF-8 throughout, the subject and
/// display names as encoded words, the body in base64 so that no line can be too long or start with a dot.
struct MailMessage: Sendable, Equatable {
    var from: MailAddress
    var to: MailAddress
    var subject: String
    var body: String
    var date: Date
    /// Unique per mail; the outbox row id keeps a retried delivery recognisable as the same mail.
    var messageID: String

    func rendered() -> String {
        var lines = [
            "From: \(from.header)",
            "To: \(to.header)",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.dateHeader(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalized.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047: ASCII text stays as it is; anything else becomes `=?utf-8?B?...?=`, in pieces short enough
    /// for one header line each.
    static func encodedWord(_ text: String) -> String {
        let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if printable && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk = ""
        for character in text {
            // 39 bytes of UTF-8 make 52 characters of base64: with "Subject: " the line stays under 78.
            if chunk.utf8.count + String(character).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?utf-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func dateHeader(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

/// An address with an optional display name: "VIVEL Academy <academy@vivel.be>".
struct MailAddress: Sendable, Equatable {
    var name: String?
    var address: String

    /// Reads "Name <a@b>" or "a@b"; nil when there is no usable address.
    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let name = trimmed[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            self.name = name.isEmpty ? nil : name
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        } else {
            name = nil
            address = trimmed
        }
        guard Self.isPlausible(address) else { return nil }
    }

    init(name: String?, address: String) {
        self.name = name
        self.address = address
    }

    /// No spaces, angle brackets or line breaks (they would break the SMTP command), one @ with text around it.
    static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && !address.contains(where: { $0.isWhitespace || "<>\r\n\",;".contains($0) })
    }

    var header: String {
        guard let name, !name.isEmpty else { return address }
        let encoded = MailMessage.encodedWord(name)
        let needsQuotes = encoded == name && name.contains(where: { !($0.isLetter || $0.isNumber || $0 == " ") })
        return needsQuotes ? "\"\(name.replacingOccurrences(of: "\"", with: ""))\" <\(address)>" : "\(encoded) <\(address)>"
    }
}
