import Foundation

/// Enrolling a list of people by hand (trainers and admins): reads the list, then plans every line
/// against the course's capacity, reserved seats and waiting list (`EnrolmentPolicy`) and its access
/// rules, as a dry-run report. The plan is applied only when no line is refused, all at once.
///
/// The enrolment window and the enrolment key are for self-enrolment and do not stop a trainer; a
/// person who fails the course's access rules is refused with the reasons, since the rules would
/// lock them out of the course anyway.
enum BulkEnrolment {
    /// One line of the list.
    struct Line: Sendable, Equatable {
        var number: Int
        /// As written (normalised when it is an address).
        var email: String
        /// A care board code: the person takes one of that board's reserved seats when one is free.
        var board: String?
    }

    /// Where a person stands with the course before the list is applied.
    enum Standing: String, Sendable, Equatable {
        case none
        case active
        case completed
        case waiting
        /// Withdrawn or expired: enrolling again reuses the row.
        case ended
    }

    /// What the planner needs to know about one account.
    struct Person: Sendable, Equatable {
        var standing: Standing
        /// Codes of the boards the person is a member of today.
        var boards: Set<String>
        /// Why the course's access rules deny the person, in words; empty when they allow.
        var deniedBecause: [String]

        init(standing: Standing = .none, boards: Set<String> = [], deniedBecause: [String] = []) {
            self.standing = standing
            self.boards = boards
            self.deniedBecause = deniedBecause
        }
    }

    enum Refusal: Sendable, Equatable {
        case notAnEmail(String)
        case unknownUser(String)
        case unknownBoard(String)
        case notBoardMember(String)
        case duplicate(ofLine: Int)
        case deniedByRules([String])
        /// No seat is free and the course has no waiting list.
        case full
    }

    enum Outcome: Sendable, Equatable {
        case enrol(EnrolmentSeat)
        case wait(position: Int)
        /// Active, completed or waiting already: nothing changes.
        case already(Standing)
        case refused([Refusal])
    }

    struct Entry: Sendable, Equatable {
        var line: Int
        var email: String
        var board: String?
        var outcome: Outcome
    }

    struct Plan: Sendable, Equatable {
        var entries: [Entry]

        var enrolling: Int { entries.filter { if case .enrol = $0.outcome { true } else { false } }.count }
        var waiting: Int { entries.filter { if case .wait = $0.outcome { true } else { false } }.count }
        var already: Int { entries.filter { if case .already = $0.outcome { true } else { false } }.count }
        var refused: Int { entries.filter { if case .refused = $0.outcome { true } else { false } }.count }
        var isAcceptable: Bool { refused == 0 }
        /// Something to write.
        var changes: Bool { enrolling + waiting > 0 }
    }

    // MARK: Reading the list

    /// A CSV whose header names an `email` column (and optionally `board`; other columns are ignored),
    /// or plain lines of an address optionally followed by a board code ("jan@x.be;ZR-GENT"). Throws
    /// `CSVTable.Failure` when a CSV cannot be read at all.
    static func read(_ text: String) throws -> [Line] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .components(separatedBy: "\n")
        guard let first = lines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return [] }
        let headerWords = first.lowercased().split(whereSeparator: { ",;\t".contains($0) })
            .map { $0.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\""))) }
        if headerWords.contains("email") {
            let table = try CSVTable.parse(Data(text.utf8))
            guard let emailColumn = table.header.firstIndex(of: "email") else { return [] }
            let boardColumn = table.header.firstIndex(of: "board")
            return table.records.map { record in
                func field(_ index: Int?) -> String {
                    guard let index, record.fields.indices.contains(index) else { return "" }
                    return record.fields[index]
                }
                let board = field(boardColumn)
                return Line(number: record.line, email: field(emailColumn), board: board.isEmpty ? nil : board.uppercased())
            }
        }
        var result: [Line] = []
        for (index, raw) in lines.enumerated() {
            let fields = raw.split(whereSeparator: { ",;\t".contains($0) })
                .map { $0.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\""))) }
            guard let email = fields.first, !email.isEmpty else { continue }
            let board = fields.count > 1 && !fields[1].isEmpty ? fields[1].uppercased() : nil
            result.append(Line(number: index + 1, email: email, board: board))
        }
        return result
    }

    // MARK: Planning

    /// - Parameters:
    ///   - people: accounts by normalised e-mail address.
    ///   - knownBoards: every board code the academy has.
    ///   - counts: the course's active enrolments now; `waitingCount` how many wait already.
    static func plan(_ lines: [Line], people: [String: Person], knownBoards: Set<String>, rules: EnrolmentRules,
                     counts: EnrolmentCounts, waitingCount: Int) -> Plan {
        let policy = EnrolmentPolicy(rules: rules)
        var counts = counts
        var waiting = waitingCount
        var firstLine: [String: Int] = [:]
        var entries: [Entry] = []
        for line in lines {
            var refusals: [Refusal] = []
            let email = EmailAddress(line.email)?.value
            if email == nil { refusals.append(.notAnEmail(line.email)) }
            if let board = line.board, !knownBoards.contains(board) { refusals.append(.unknownBoard(board)) }
            if let email {
                if let first = firstLine[email] { refusals.append(.duplicate(ofLine: first)) } else { firstLine[email] = line.number }
            }
            let person = email.flatMap { people[$0] }
            if let email, person == nil { refusals.append(.unknownUser(email)) }
            if let person, let board = line.board, knownBoards.contains(board), !person.boards.contains(board) {
                refusals.append(.notBoardMember(board))
            }
            let shownEmail = email ?? line.email
            guard refusals.isEmpty, let person else {
                entries.append(Entry(line: line.number, email: shownEmail, board: line.board, outcome: .refused(refusals)))
                continue
            }
            if [.active, .completed, .waiting].contains(person.standing) {
                entries.append(Entry(line: line.number, email: shownEmail, board: line.board, outcome: .already(person.standing)))
                continue
            }
            if !person.deniedBecause.isEmpty {
                entries.append(Entry(line: line.number, email: shownEmail, board: line.board,
                                     outcome: .refused([.deniedByRules(person.deniedBecause)])))
                continue
            }
            let seatBoards = line.board.map { [$0] } ?? person.boards
            if let seat = policy.seat(boards: seatBoards, counts: counts) {
                counts.active += 1
                if let board = seat.board { counts.reservedTaken[board, default: 0] += 1 }
                entries.append(Entry(line: line.number, email: shownEmail, board: line.board, outcome: .enrol(seat)))
            } else if rules.waitingList {
                waiting += 1
                entries.append(Entry(line: line.number, email: shownEmail, board: line.board, outcome: .wait(position: waiting)))
            } else {
                entries.append(Entry(line: line.number, email: shownEmail, board: line.board, outcome: .refused([.full])))
            }
        }
        return Plan(entries: entries)
    }
}
