import Foundation

/// Access groups (cohorts) as admins manage them: a stable key that rules name (`in-group`), names in
/// the interface languages, and members added by pasting addresses. Plain values in, problems out.
enum GroupRoster {
    /// What the "new group" form holds.
    struct NewGroup: Sendable, Equatable {
        var key: String
        var names: [String: String]
    }

    /// Keys are what rules and manifests write: lower-case letters, digits and hyphens, 2 to 60
    /// characters, starting with a letter ("vaccinatiecentra", "pm-vaccinatie-2026").
    static func isValidKey(_ key: String) -> Bool {
        (2...60).contains(key.count) && key.last != "-"
            && key.unicodeScalars.first.map { ("a"..."z").contains($0) } == true
            && key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Checks a new group; `existingKeys` are the keys in use. The Dutch name is required, the others
    /// fall back to it.
    static func check(key rawKey: String, names rawNames: [String: String], existingKeys: Set<String>)
        -> (group: NewGroup?, problems: [FieldProblem]) {
        var problems: [FieldProblem] = []
        let key = rawKey.trimmingCharacters(in: .whitespaces)
        if key.isEmpty {
            problems.append(.init("key", "boards.group.error.key.missing"))
        } else if !isValidKey(key) {
            problems.append(.init("key", "boards.group.error.key.invalid", [key]))
        } else if existingKeys.contains(key) {
            problems.append(.init("key", "boards.group.error.key.taken", [key]))
        }
        var names: [String: String] = [:]
        for language in Language.allCases {
            let name = (rawNames[language.rawValue] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name.count > 120 { problems.append(.init("name_\(language.rawValue)", "boards.group.error.name.long", ["120"])) }
            if !name.isEmpty { names[language.rawValue] = name }
        }
        if names["nl"] == nil { problems.append(.init("name_nl", "boards.group.error.name.missing")) }
        return (problems.isEmpty ? NewGroup(key: key, names: names) : nil, problems)
    }

    /// The addresses in pasted text: one a line, or separated by commas, semicolons or spaces, as a
    /// spreadsheet column or a mail client's address list gives them ("Jan <jan@x.be>" too). A header
    /// word such as "email" and empty pieces are skipped; pieces that hold no address are returned as
    /// `invalid`, so the form can name them. Duplicates count once.
    struct Addresses: Sendable, Equatable {
        var addresses: [EmailAddress]
        var invalid: [String]
    }

    static func addresses(in text: String) -> Addresses {
        // A CSV with a header naming an "email" column (and others): take that column only.
        if let firstLine = text.split(whereSeparator: \.isNewline).first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
           firstLine.contains(",") || firstLine.contains(";"),
           let table = try? CSVTable.parse(Data(text.utf8)), let column = table.header.firstIndex(of: "email") {
            return addresses(in: table.records.map { $0.fields.indices.contains(column) ? $0.fields[column] : "" }.joined(separator: "\n"))
        }
        var found: [EmailAddress] = []
        var seen: Set<String> = []
        var invalid: [String] = []
        let separators = CharacterSet(charactersIn: ",;\t\r\n")
        for piece in text.components(separatedBy: separators) {
            var candidate = piece.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if let open = candidate.lastIndex(of: "<"), let close = candidate.lastIndex(of: ">"), open < close {
                candidate = String(candidate[candidate.index(after: open)..<close])
            }
            if candidate.isEmpty || ["email", "e-mail", "mail", "e-mailadres", "adresse e-mail"].contains(candidate.lowercased()) { continue }
            // "Jan Peeters jan@x.be": a name before the address on the same line.
            if candidate.contains(" "), let word = candidate.split(separator: " ").last(where: { $0.contains("@") }) {
                candidate = String(word)
            }
            if let address = EmailAddress(candidate) {
                if seen.insert(address.value).inserted { found.append(address) }
            } else {
                invalid.append(candidate)
            }
        }
        return Addresses(addresses: found, invalid: invalid)
    }
}
