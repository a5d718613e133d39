import Foundation

/// The register of care boards the academy starts with (`seed/care-boards.csv`):
/// `code,name,zone,province` and optionally `email,phone`.
///
/// Codes are the stable keys access rules name ("ZR-HERKENRODE"): upper-case letters, digits and
/// hyphens. Any problem refuses the whole register, so that a half-read file never replaces a good one.
public struct CareBoardRegister: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var code: String
        public var name: String
        public var zone: String
        public var province: Province
        public var email: String?
        public var phone: String?

        public init(code: String, name: String, zone: String, province: Province, email: String? = nil, phone: String? = nil) {
            self.code = code
            self.name = name
            self.zone = zone
            self.province = province
            self.email = email
            self.phone = phone
        }
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public var description: String { (line.map { "line \($0): " } ?? "") + message }
    }

    public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String {
            "the care board register is refused:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    public static let columns = ["code", "name", "zone", "province", "email", "phone"]
    static let requiredColumns = ["code", "name", "zone", "province"]

    public var entries: [Entry]

    public static func read(_ data: Data) throws -> CareBoardRegister {
        let table: CSVTable
        do {
            table = try CSVTable.parse(data)
        } catch let failure as CSVTable.Failure {
            throw Refused(problems: [Problem(line: failure.line, message: failure.message + (failure.hint.map { " (\($0))" } ?? ""))])
        }
        var problems: [Problem] = []
        let missing = requiredColumns.filter { !table.header.contains($0) }
        let unknown = table.header.filter { !columns.contains($0) }
        if !missing.isEmpty || !unknown.isEmpty {
            var message = "the header must be \(requiredColumns.joined(separator: ",")) (optionally followed by email,phone)"
            if !missing.isEmpty { message += "; missing: \(missing.joined(separator: ", "))" }
            if !unknown.isEmpty { message += "; unknown: \(unknown.joined(separator: ", "))" }
            throw Refused(problems: [Problem(line: table.headerLine, message: message)])
        }
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        for record in table.records {
            func value(_ column: String) -> String {
                guard let index = table.header.firstIndex(of: column), index < record.fields.count else { return "" }
                return record.fields[index]
            }
            func problem(_ message: String) { problems.append(Problem(line: record.line, message: message)) }
            let before = problems.count
            let code = value("code")
            if !isValidCode(code) {
                problem("code '\(code)' must be upper-case letters, digits and hyphens, e.g. ZR-HERKENRODE")
            } else if let first = seen[code] {
                problem("code \(code) is on line \(first) already")
            } else {
                seen[code] = record.line
            }
            for column in ["name", "zone"] where value(column).isEmpty { problem("\(column) is empty") }
            let province = Province(value("province").lowercased())
            if !province.isKnown {
                problem("unknown province '\(value("province"))'; valid: \(Province.known.map(\.rawValue).joined(separator: ", "))")
            }
            let email = value("email")
            if !email.isEmpty, EmailAddress(email) == nil { problem("'\(email)' is not an e-mail address") }
            if problems.count == before {
                entries.append(Entry(code: code, name: value("name"), zone: value("zone"), province: province,
                                     email: email.isEmpty ? nil : EmailAddress(email)?.value,
                                     phone: value("phone").isEmpty ? nil : value("phone")))
            }
        }
        if entries.isEmpty && problems.isEmpty { problems.append(Problem(line: nil, message: "the register lists no care board")) }
        guard problems.isEmpty else { throw Refused(problems: problems) }
        return CareBoardRegister(entries: entries)
    }

    public static func isValidCode(_ code: String) -> Bool {
        (2...40).contains(code.count) && code.first != "-" && code.last != "-"
            && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
