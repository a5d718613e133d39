import Foundation

/// The care-board membership file operators exchange with spreadsheets:
/// `email,board,role,cluster,valid_from,valid_until`, one membership a line.
///
/// Reading checks everything that can be checked without the database; `refuseUnknown(users:boards:)`
/// then adds what only the database knows. A file is applied only when no line is refused.
public enum MembershipCSV {
    public static let columns = ["email", "board", "role", "cluster", "valid_from", "valid_until"]
    static let requiredColumns: Set<String> = ["email", "board", "role"]

    /// One membership as the file states it.
    public struct Record: Sendable, Hashable {
        public var email: String
        public var board: String
        public var role: BoardRole
        public var cluster: CareBoardCluster?
        public var validFrom: CalendarDay?
        public var validUntil: CalendarDay?

        public init(email: String, board: String, role: BoardRole, cluster: CareBoardCluster? = nil,
                    validFrom: CalendarDay? = nil, validUntil: CalendarDay? = nil) {
            self.email = email
            self.board = board
            self.role = role
            self.cluster = cluster
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        /// The database keeps one row per person, board and role.
        public var key: Key { Key(email: email, board: board, role: role) }
    }

    public struct Key: Sendable, Hashable {
        public var email: String
        public var board: String
        public var role: BoardRole
    }

    /// Why a line cannot be applied.
    public enum Refusal: Sendable, Hashable, CustomStringConvertible {
        case missingValue(column: String)
        case notAnEmail(String)
        case unknownUser(String)
        case unknownBoard(String)
        case badRole(String)
        case badCluster(String)
        case badDate(column: String, value: String)
        case untilBeforeFrom(from: CalendarDay, until: CalendarDay)
        case duplicate(ofLine: Int)
        case tooManyFields(count: Int, expected: Int)

        public var description: String {
            switch self {
            case .missingValue(let column):
                "\(column) is empty"
            case .notAnEmail(let text):
                "'\(text)' is not an e-mail address"
            case .unknownUser(let email):
                "no account has the e-mail address \(email); the person must register first"
            case .unknownBoard(let code):
                "unknown board code '\(code)'; see the care board register (seed/care-boards.csv)"
            case .badRole(let text):
                "unknown role '\(text)'; valid roles: \(BoardRole.known.map(\.rawValue).joined(separator: ", "))"
            case .badCluster(let text):
                "unknown cluster '\(text)'; valid clusters: \(CareBoardCluster.known.map(\.rawValue).joined(separator: ", ")) (or empty)"
            case .badDate(let column, let value):
                "\(column) '\(value)' is not a date; write YYYY-MM-DD, e.g. 2026-03-01"
            case .untilBeforeFrom(let from, let until):
                "valid_until \(until.iso) is before valid_from \(from.iso)"
            case .duplicate(let line):
                "the same person, board and role are on line \(line) already"
            case .tooManyFields(let count, let expected):
                "\(count) fields where the header has \(expected); quote values that contain the separator"
            }
        }
    }

    public struct Line: Sendable, Hashable {
        public var number: Int
        /// The membership, when its values could be read (even if it is refused for another reason).
        public var record: Record?
        public var refusals: [Refusal]

        public var isRefused: Bool { !refusals.isEmpty }
    }

    public struct Document: Sendable {
        public var separator: Character
        public var lines: [Line]

        public var isAcceptable: Bool { !lines.contains(where: \.isRefused) }
        public var refusedCount: Int { lines.filter(\.isRefused).count }
        /// The well-formed e-mail addresses and board codes named, to look up in one query each.
        public var emails: Set<String> { Set(lines.compactMap { $0.record?.email }) }
        public var boards: Set<String> { Set(lines.compactMap { $0.record?.board }) }

        /// Refuses lines naming an e-mail address or board code that is not in the given sets.
        public mutating func refuseUnknown(users: Set<String>, boards: Set<String>) {
            for index in lines.indices {
                guard let record = lines[index].record else { continue }
                if !users.contains(record.email) { lines[index].refusals.append(.unknownUser(record.email)) }
                if !boards.contains(record.board) { lines[index].refusals.append(.unknownBoard(record.board)) }
            }
        }
    }

    /// Reads the file; throws `CSVTable.Failure` when it cannot be read as a whole (encoding, header,
    /// an unclosed quote). Line-level problems are refusals in the document.
    public static func read(_ data: Data) throws -> Document {
        let table = try CSVTable.parse(data)
        let unknown = table.header.filter { !columns.contains($0) }
        let missing = columns.filter { requiredColumns.contains($0) && !table.header.contains($0) }
        let repeated = Dictionary(grouping: table.header, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        let headerHint = "the first line must be: \(columns.joined(separator: String(table.separator)))"
        if !missing.isEmpty {
            throw CSVTable.Failure(line: table.headerLine,
                                   message: "the header lacks the column(s) \(missing.joined(separator: ", "))", hint: headerHint)
        }
        if !unknown.isEmpty {
            throw CSVTable.Failure(line: table.headerLine,
                                   message: "unknown column(s) \(unknown.map { "'\($0)'" }.joined(separator: ", "))", hint: headerHint)
        }
        if !repeated.isEmpty {
            throw CSVTable.Failure(line: table.headerLine,
                                   message: "the column(s) \(repeated.joined(separator: ", ")) appear twice", hint: headerHint)
        }
        var firstLine: [Key: Int] = [:]
        var lines: [Line] = []
        for record in table.records {
            var line = read(record, header: table.header)
            if let key = line.record?.key {
                if let first = firstLine[key] {
                    line.refusals.append(.duplicate(ofLine: first))
                } else {
                    firstLine[key] = record.line
                }
            }
            lines.append(line)
        }
        return Document(separator: table.separator, lines: lines)
    }

    static func read(_ csv: CSVTable.Record, header: [String]) -> Line {
        var refusals: [Refusal] = []
        if csv.fields.count > header.count, csv.fields[header.count...].contains(where: { !$0.isEmpty }) {
            return Line(number: csv.line, record: nil,
                        refusals: [.tooManyFields(count: csv.fields.count, expected: header.count)])
        }
        func value(_ column: String) -> String {
            guard let index = header.firstIndex(of: column), index < csv.fields.count else { return "" }
            return csv.fields[index]
        }
        func required(_ column: String) -> String? {
            let text = value(column)
            if text.isEmpty { refusals.append(.missingValue(column: column)) }
            return text.isEmpty ? nil : text
        }
        func day(_ column: String) -> CalendarDay?? {
            let text = value(column)
            if text.isEmpty { return .some(nil) }
            guard let day = parseDay(text) else {
                refusals.append(.badDate(column: column, value: text))
                return nil
            }
            return .some(day)
        }

        var email: String?
        if let text = required("email") {
            email = EmailAddress(text)?.value
            if email == nil { refusals.append(.notAnEmail(text)) }
        }
        let board = required("board")?.uppercased()
        var role: BoardRole?
        if let text = required("role") {
            let key = BoardRole(text.lowercased())
            if key.isKnown { role = key } else { refusals.append(.badRole(text)) }
        }
        var cluster: CareBoardCluster??
        let clusterText = value("cluster")
        if clusterText.isEmpty {
            cluster = .some(nil)
        } else {
            let key = CareBoardCluster(clusterText.lowercased())
            if key.isKnown { cluster = .some(key) } else { refusals.append(.badCluster(clusterText)) }
        }
        let from = day("valid_from")
        let until = day("valid_until")
        if let from = from ?? nil, let until = until ?? nil, until < from {
            refusals.append(.untilBeforeFrom(from: from, until: until))
        }
        guard let email, let board, let role, let cluster, let from, let until else {
            return Line(number: csv.line, record: nil, refusals: refusals)
        }
        return Line(number: csv.line,
                    record: Record(email: email, board: board, role: role, cluster: cluster, validFrom: from, validUntil: until),
                    refusals: refusals)
    }

    /// `YYYY-MM-DD`, or day first with slashes (`1/03/2026`, `01/03/2026`), which is how Excel with
    /// Belgian settings rewrites dates it recognised.
    static func parseDay(_ text: String) -> CalendarDay? {
        if let day = CalendarDay(iso: text) { return day }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else { return nil }
        return CalendarDay(year: y, month: m, day: d)
    }

    /// The file for `records`, with the header, in the order given.
    public static func write(_ records: [Record], separator: Character = ",") -> String {
        CSVTable.write(header: columns, rows: records.map { record in
            [record.email, record.board, record.role.rawValue, record.cluster?.rawValue ?? "",
             record.validFrom?.iso ?? "", record.validUntil?.iso ?? ""]
        }, separator: separator)
    }
}
