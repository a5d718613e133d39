import Foundation

/// A CSV file as spreadsheets write it: UTF-8 (a byte order mark is skipped), a header line, fields
/// separated by commas or by semicolons (what Excel writes with Belgian regional settings), quoted
/// fields with doubled quotes inside and line breaks allowed, CRLF, LF or CR line ends.
///
/// Fields are trimmed; rows whose fields are all empty (";;;;" from a spreadsheet's blank row) are
/// dropped. Every record keeps the line it starts on so that messages can point at it.
public struct CSVTable: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        /// 1-based line in the file where the record starts (the header is line 1 when it comes first).
        public var line: Int
        public var fields: [String]
    }

    /// What makes the file unreadable as a whole.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public var hint: String?

        public var description: String {
            (line.map { "line \($0): " } ?? "") + message + (hint.map { " (\($0))" } ?? "")
        }
    }

    public var separator: Character
    /// Header names, trimmed and lowercased.
    public var header: [String]
    public var headerLine: Int
    public var records: [Record]

    public static func parse(_ data: Data) throws -> CSVTable {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Failure(line: nil, message: "the file is UTF-16, not UTF-8",
                          hint: "save it as \"CSV UTF-8 (comma delimited)\"")
        }
        guard let text = String(data: Data(bytes), encoding: .utf8) else {
            throw Failure(line: firstInvalidUTF8Line(Data(bytes)), message: "the file is not UTF-8 text",
                          hint: "save it as \"CSV UTF-8 (comma delimited)\"; plain \"CSV\" from Excel is Windows-1252")
        }
        let separator = detectSeparator(text)
        let rows = try split(text, separator: separator)
        guard let headerIndex = rows.firstIndex(where: { !$0.isBlank }) else {
            throw Failure(line: nil, message: "the file is empty", hint: "the first line must name the columns")
        }
        let header = rows[headerIndex].fields.map { $0.lowercased() }
        let records = rows[(headerIndex + 1)...].filter { !$0.isBlank }
            .map { Record(line: $0.line, fields: $0.fields) }
        return CSVTable(separator: separator, header: header, headerLine: rows[headerIndex].line, records: Array(records))
    }

    /// The separator is whichever of `;` and `,` occurs more often, outside quotes, on the first non-empty line.
    static func detectSeparator(_ text: String) -> Character {
        var semicolons = 0, commas = 0, quoted = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted.toggle()
            case ";" where !quoted: semicolons += 1
            case "," where !quoted: commas += 1
            case "\n" where !quoted, "\r" where !quoted:
                if semicolons + commas > 0 { return semicolons > commas ? ";" : "," }
            default: break
            }
        }
        return semicolons > commas ? ";" : ","
    }

    struct RawRow {
        var line: Int
        var fields: [String]
        var isBlank: Bool { fields.allSatisfy(\.isEmpty) }
    }

    static func split(_ text: String, separator: Character) throws -> [RawRow] {
        let separatorScalar = separator.unicodeScalars.first!
        var rows: [RawRow] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var quoteLine = 0
        var afterClosingQuote = false
        var wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func finishField() {
            fields.append(String(field).trimmingCharacters(in: .whitespaces))
            field = String.UnicodeScalarView()
            afterClosingQuote = false
            wasQuoted = false
        }
        func finishRow() {
            finishField()
            rows.append(RawRow(line: rowLine, fields: fields))
            fields = []
        }

        while let scalar = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                        pending = next
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    if scalar == "\r" {
                        let next = scalars.next()
                        if next != "\n" { line += 1 }
                        pending = next
                    }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case separatorScalar:
                finishField()
            case "\n", "\r":
                if scalar == "\r" {
                    let next = scalars.next()
                    if next != "\n" { pending = next }
                }
                finishRow()
                line += 1
                rowLine = line
            case "\"" where String(field).trimmingCharacters(in: .whitespaces).isEmpty && !afterClosingQuote:
                field = String.UnicodeScalarView()
                inQuotes = true
                wasQuoted = true
                quoteLine = line
            default:
                if afterClosingQuote {
                    if scalar == " " || scalar == "\t" { continue }
                    throw Failure(line: line, message: "text after a closing quote",
                                  hint: "a quoted field ends at its closing quote; write a quote inside it as \"\"")
                }
                field.append(scalar)
            }
        }
        if inQuotes {
            throw Failure(line: quoteLine, message: "a quote opened here is never closed",
                          hint: "close the quoted field with \", and write a quote inside it as \"\"")
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted || afterClosingQuote { finishRow() }
        return rows
    }

    static func firstInvalidUTF8Line(_ data: Data) -> Int? {
        var line = 1
        var start = data.startIndex
        for index in data.indices where data[index] == 0x0A {
            if String(data: data[start..<index], encoding: .utf8) == nil { return line }
            line += 1
            start = data.index(after: index)
        }
        return String(data: data[start...], encoding: .utf8) == nil ? line : nil
    }

    /// One field as written to a file: quoted when it holds the separator, a quote, a line break or
    /// edge spaces.
    public static func quoted(_ value: String, separator: Character = ",") -> String {
        let needsQuotes = value.contains(separator) || value.contains("\"") || value.contains("\n")
            || value.contains("\r") || value.first == " " || value.last == " "
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Lines joined with CRLF, as RFC 4180 and spreadsheets expect.
    public static func write(header: [String], rows: [[String]], separator: Character = ",") -> String {
        ([header] + rows).map { $0.map { quoted($0, separator: separator) }.joined(separator: String(separator)) + "\r\n" }
            .joined()
    }
}
