import Foundation

/// What a form or the API asks to set on one care board membership, as typed.
struct MembershipInput: Sendable, Equatable {
    /// The person, when adding; `nil` when changing an existing membership.
    var email: String?
    var role: String
    var cluster: String
    var validFrom: String
    var validUntil: String

    init(email: String? = nil, role: String, cluster: String = "", validFrom: String = "", validUntil: String = "") {
        self.email = email
        self.role = role
        self.cluster = cluster
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
}

/// Role, cluster and validity of a membership, checked.
struct MembershipTerms: Sendable, Equatable {
    var role: BoardRole
    var cluster: CareBoardCluster?
    var validFrom: CalendarDay?
    var validUntil: CalendarDay?
}

/// The rules for adding, changing and ending one membership by hand (the file import has its own,
/// `MembershipCSV`, with the same vocabulary). Plain values in, field problems as message keys out.
enum MembershipChange {
    struct Checked: Sendable, Equatable {
        var email: EmailAddress?
        var terms: MembershipTerms?
        var problems: [FieldProblem]
        var isValid: Bool { problems.isEmpty }
    }

    /// Checks every field and says, per field, what is wrong. Dates: YYYY-MM-DD, or day/month/year as
    /// spreadsheets and Belgian habits write them.
    static func check(_ input: MembershipInput) -> Checked {
        var problems: [FieldProblem] = []
        var email: EmailAddress?
        if let text = input.email {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init("email", "boards.error.email.missing"))
            } else if let address = EmailAddress(text) {
                email = address
            } else {
                problems.append(.init("email", "boards.error.email.invalid", [text]))
            }
        }
        let roleText = input.role.trimmingCharacters(in: .whitespaces).lowercased()
        let role = BoardRole(roleText)
        if roleText.isEmpty {
            problems.append(.init("role", "boards.error.role.missing"))
        } else if !role.isKnown {
            problems.append(.init("role", "boards.error.role.unknown", [input.role]))
        }
        let clusterText = input.cluster.trimmingCharacters(in: .whitespaces).lowercased()
        let cluster = clusterText.isEmpty ? nil : CareBoardCluster(clusterText)
        if let cluster, !cluster.isKnown {
            problems.append(.init("cluster", "boards.error.cluster.unknown", [input.cluster]))
        }
        func day(_ field: String, _ text: String) -> CalendarDay? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let day = MembershipCSV.parseDay(trimmed) else {
                problems.append(.init(field, "boards.error.date", [text]))
                return nil
            }
            return day
        }
        let from = day("validFrom", input.validFrom)
        let until = day("validUntil", input.validUntil)
        if let from, let until, until < from {
            problems.append(.init("validUntil", "boards.error.until.before.from", [until.iso, from.iso]))
        }
        let terms = problems.isEmpty ? MembershipTerms(role: role, cluster: cluster, validFrom: from, validUntil: until) : nil
        return Checked(email: email, terms: terms, problems: problems)
    }

    /// What "end today" does to a membership so that access depending on it ends at once. Days are
    /// included, so the last day becomes yesterday; a membership that had not begun before today never
    /// gave access and is removed (its row cannot have an end before its start).
    enum Ending: Sendable, Equatable {
        case lastDay(CalendarDay)
        case remove
        /// Its last day is before today already: nothing to do.
        case alreadyEnded
    }

    static func ending(validFrom: CalendarDay?, validUntil: CalendarDay?, today: CalendarDay) -> Ending {
        let yesterday = today.adding(days: -1)
        if let validUntil, validUntil < today { return .alreadyEnded }
        if let validFrom, yesterday < validFrom { return .remove }
        return .lastDay(yesterday)
    }

    /// Current: valid today or starting later; ended: the last day is before today.
    static func isEnded(validUntil: CalendarDay?, today: CalendarDay) -> Bool {
        validUntil.map { $0 < today } ?? false
    }

    static func shows(_ filter: BoardAdminRoute.MembershipFilter, validUntil: CalendarDay?, today: CalendarDay) -> Bool {
        switch filter {
        case .all: true
        case .current: !isEnded(validUntil: validUntil, today: today)
        case .ended: isEnded(validUntil: validUntil, today: today)
        }
    }
}

/// Who may do what with care boards: admins everything; a board's staff (a staff membership valid
/// today) the member and chair memberships of that board and nothing else; everyone else nothing.
/// Staff cannot hand out or change the staff role: delegation does not delegate itself further.
struct BoardPermissions: Sendable, Equatable {
    var isAdmin: Bool
    /// Codes of the boards the person is staff of today.
    var staffOf: Set<String>

    init(isAdmin: Bool, staffOf: Set<String> = []) {
        self.isAdmin = isAdmin
        self.staffOf = staffOf
    }

    init(isAdmin: Bool, memberships: [AccessSubject.Membership], today: CalendarDay) {
        self.isAdmin = isAdmin
        staffOf = Set(memberships.filter { $0.role == .staff && $0.isValid(on: today) }.map(\.board))
    }

    /// May open the boards section at all.
    var mayUseBoards: Bool { isAdmin || !staffOf.isEmpty }

    func mayView(board code: String) -> Bool {
        isAdmin || staffOf.contains(code)
    }

    /// May add, change or end a membership with this role in this board.
    func mayManage(board code: String, role: BoardRole) -> Bool {
        isAdmin || (staffOf.contains(code) && role != .staff)
    }

    /// Roles to offer in this board's forms.
    func grantableRoles(board code: String) -> [BoardRole] {
        BoardRole.known.filter { mayManage(board: code, role: $0) }
    }

    /// Files naming any board, every membership at once, and access groups: admins only.
    var mayImport: Bool { isAdmin }
    var mayExportAll: Bool { isAdmin }
    var mayManageGroups: Bool { isAdmin }
}

extension CalendarDay {
    func adding(days: Int) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
        return CalendarDay(calendar.date(byAdding: .day, value: days, to: noon)!, timeZone: calendar.timeZone)
    }
}
