import Foundation

/// A course's enrolment settings as the audit trail keeps them and the form edits them.
public struct EnrolmentSettingsValues: Sendable, Equatable, Codable {
    public var enrolmentKey: String?
    public var opensOn: String?
    public var closesOn: String?
    public var capacity: Int?
    public var reservedSeats: [String: Int]
    public var waitingList: Bool

    public init(enrolmentKey: String? = nil, opensOn: String? = nil, closesOn: String? = nil, capacity: Int? = nil,
                reservedSeats: [String: Int] = [:], waitingList: Bool = false) {
        self.enrolmentKey = enrolmentKey
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.capacity = capacity
        self.reservedSeats = reservedSeats
        self.waitingList = waitingList
    }

    /// A course without a settings row.
    public static let open = EnrolmentSettingsValues()
}

/// The enrolment settings form: key, window, capacity, seats reserved per care board (numbered rows
/// `reserved.1.board` / `reserved.1.seats`, with blank rows to add) and the waiting list.
public struct EnrolmentSettingsForm: Sendable, Equatable {
    public static let maximumKey = 100
    public static let maximumCapacity = 100_000

    public struct Reserved: Sendable, Equatable {
        public var board = ""
        public var seats = ""
        public init(board: String = "", seats: String = "") {
            self.board = board
            self.seats = seats
        }
    }

    public var key = ""
    public var opensOn = ""
    public var closesOn = ""
    public var capacity = ""
    public var waitingList = false
    public var reserved: [Reserved] = []

    public init(_ values: EnrolmentSettingsValues) {
        key = values.enrolmentKey ?? ""
        opensOn = values.opensOn ?? ""
        closesOn = values.closesOn ?? ""
        capacity = values.capacity.map(String.init) ?? ""
        waitingList = values.waitingList
        reserved = values.reservedSeats.sorted { $0.key < $1.key }.map { Reserved(board: $0.key, seats: String($0.value)) }
    }

    public init(fields: [(String, String)]) {
        var rows: [Int: Reserved] = [:]
        for (name, raw) in fields {
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            switch name {
            case "key": key = value
            case "opens-on": opensOn = value
            case "closes-on": closesOn = value
            case "capacity": capacity = value
            case "waiting-list": waitingList = value == "on" || value == "1"
            default:
                let parts = name.split(separator: ".").map(String.init)
                guard parts.count == 3, parts[0] == "reserved", let index = Int(parts[1]), (1...100).contains(index) else { continue }
                var row = rows[index] ?? Reserved()
                if parts[2] == "board" { row.board = value }
                if parts[2] == "seats" { row.seats = value }
                rows[index] = row
            }
        }
        reserved = rows.keys.sorted().compactMap { rows[$0] }
    }

    /// The settings, or the problems by field ("capacity", "reserved.2.seats", ...).
    /// `boards`: the board codes the platform knows.
    public func validate(boards: Set<String>) -> (values: EnrolmentSettingsValues?, problems: [FieldProblem]) {
        var problems: [FieldProblem] = []
        var values = EnrolmentSettingsValues()
        if key.count > Self.maximumKey {
            problems.append(FieldProblem("key", "settings.enrolment.error.key-long", [String(Self.maximumKey)]))
        }
        values.enrolmentKey = key.isEmpty ? nil : key
        let opens = opensOn.isEmpty ? nil : CalendarDay(iso: opensOn)
        let closes = closesOn.isEmpty ? nil : CalendarDay(iso: closesOn)
        if !opensOn.isEmpty && opens == nil { problems.append(FieldProblem("opens-on", "settings.enrolment.error.day", [opensOn])) }
        if !closesOn.isEmpty && closes == nil { problems.append(FieldProblem("closes-on", "settings.enrolment.error.day", [closesOn])) }
        if let opens, let closes, opens > closes {
            problems.append(FieldProblem("closes-on", "settings.enrolment.error.day-order", [opens.iso, closes.iso]))
        }
        values.opensOn = opens?.iso
        values.closesOn = closes?.iso
        if !capacity.isEmpty {
            if let number = Int(capacity), (1...Self.maximumCapacity).contains(number) {
                values.capacity = number
            } else {
                problems.append(FieldProblem("capacity", "settings.enrolment.error.capacity", [capacity, String(Self.maximumCapacity)]))
            }
        }
        values.waitingList = waitingList
        if waitingList && capacity.isEmpty {
            problems.append(FieldProblem("waiting-list", "settings.enrolment.error.waiting-needs-capacity"))
        }
        var total = 0
        for (offset, row) in reserved.enumerated() where !(row.board.isEmpty && row.seats.isEmpty) {
            let prefix = "reserved.\(offset + 1)"
            if row.board.isEmpty {
                problems.append(FieldProblem("\(prefix).board", "settings.enrolment.error.board-missing"))
            } else if !boards.contains(row.board) {
                problems.append(FieldProblem("\(prefix).board", "settings.enrolment.error.board-unknown", [row.board]))
            } else if values.reservedSeats[row.board] != nil {
                problems.append(FieldProblem("\(prefix).board", "settings.enrolment.error.board-twice", [row.board]))
            }
            guard let seats = Int(row.seats), seats >= 1, seats <= Self.maximumCapacity else {
                problems.append(FieldProblem("\(prefix).seats", "settings.enrolment.error.seats", [row.seats]))
                continue
            }
            if capacity.isEmpty {
                problems.append(FieldProblem("\(prefix).seats", "settings.enrolment.error.reserved-needs-capacity"))
            }
            if boards.contains(row.board), values.reservedSeats[row.board] == nil {
                values.reservedSeats[row.board] = seats
                total += seats
            }
        }
        if let limit = values.capacity, total > limit {
            problems.append(FieldProblem("capacity", "settings.enrolment.error.reserved-over", [String(total), String(limit)]))
        }
        return problems.isEmpty ? (values, []) : (nil, problems)
    }
}
