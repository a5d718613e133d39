import Fluent
import Foundation

/// Adds, changes and ends care board memberships by hand, for the admin pages and the JSON API alike.
/// Memberships are read on every request (`CourseAccess`), so every change here takes effect on the
/// person's next page, with no cache to clear.
struct MembershipDesk {
    /// The change cannot be made; the problems say which field and why.
    struct Refused: Error, Sendable {
        var problems: [FieldProblem]
    }

    let database: any Database
    var today: CalendarDay = CalendarDay(Date())
    /// Who makes the change, for the audit trail (nil: the system).
    var actor: User?

    init(database: any Database, actor: User? = nil) {
        self.database = database
        self.actor = actor
    }

    /// A membership as the audit trail keeps it: memberships open and close courses, so every change is a
    /// change of rights.
    struct AuditState: Encodable {
        var board: String
        var person: String
        var role: String
        var cluster: String?
        var validFrom: String?
        var validUntil: String?
    }

    /// What a person may do with boards: admins all, staff their own board's members and chairs.
    static func permissions(for user: User, on database: any Database, today: CalendarDay = CalendarDay(Date())) async throws -> BoardPermissions {
        guard let userID = user.id else { return BoardPermissions(isAdmin: false) }
        if user.role == .admin { return BoardPermissions(isAdmin: true) }
        return BoardPermissions(isAdmin: false, memberships: try await CourseAccess.memberships(of: userID, on: database), today: today)
    }

    /// Adds the membership; a person who held the same role in the board before (now ended) gets that
    /// row back with the new terms, since the table keeps one row per person, board and role.
    func add(board: CareBoard, email: EmailAddress, terms: MembershipTerms) async throws -> BoardMembership {
        guard let boardID = board.id else { throw Refused(problems: [.init("email", "boards.error.board.unknown")]) }
        guard let user = try await User.query(on: database).filter(\.$email == email.value).first(), let userID = user.id else {
            throw Refused(problems: [.init("email", "boards.error.email.unknown", [email.value])])
        }
        let existing = try await BoardMembership.query(on: database).filter(\.$user.$id == userID)
            .filter(\.$board.$id == boardID).filter(\.$role == terms.role.rawValue).first()
        if let existing {
            guard MembershipChange.isEnded(validUntil: existing.validUntil.flatMap(CalendarDay.init(iso:)), today: today) else {
                throw Refused(problems: [.init("role", "boards.error.duplicate", [email.value])])
            }
            let before = Self.state(existing, board: board.code, person: email.value)
            apply(terms, to: existing)
            try await database.transaction { database in
                try await existing.update(on: database)
                try await audit("board-membership.add", existing, before: before,
                                after: Self.state(existing, board: board.code, person: email.value), on: database)
            }
            return existing
        }
        let membership = BoardMembership(userID: userID, boardID: boardID, role: terms.role, cluster: terms.cluster,
                                         validFrom: terms.validFrom, validUntil: terms.validUntil)
        try await database.transaction { database in
            try await membership.create(on: database)
            try await audit("board-membership.add", membership, before: nil,
                            after: Self.state(membership, board: board.code, person: email.value), on: database)
        }
        return membership
    }

    func change(_ membership: BoardMembership, to terms: MembershipTerms) async throws {
        if terms.role.rawValue != membership.role {
            let clash = try await BoardMembership.query(on: database).filter(\.$user.$id == membership.$user.id)
                .filter(\.$board.$id == membership.$board.id).filter(\.$role == terms.role.rawValue).first()
            if clash != nil { throw Refused(problems: [.init("role", "boards.error.duplicate.role", [terms.role.rawValue])]) }
        }
        let (board, person) = try await names(of: membership)
        let before = Self.state(membership, board: board, person: person)
        apply(terms, to: membership)
        try await database.transaction { database in
            try await membership.update(on: database)
            try await audit("board-membership.change", membership, before: before,
                            after: Self.state(membership, board: board, person: person), on: database)
        }
    }

    /// Ends the membership so that it no longer counts today (see `MembershipChange.ending`).
    @discardableResult
    func end(_ membership: BoardMembership) async throws -> MembershipChange.Ending {
        let ending = MembershipChange.ending(validFrom: membership.validFrom.flatMap(CalendarDay.init(iso:)),
                                             validUntil: membership.validUntil.flatMap(CalendarDay.init(iso:)), today: today)
        let (board, person) = try await names(of: membership)
        let before = Self.state(membership, board: board, person: person)
        try await database.transaction { database in
            switch ending {
            case .alreadyEnded: return
            case .remove:
                try await membership.delete(on: database)
                try await audit("board-membership.end", membership, before: before, after: nil, on: database)
            case .lastDay(let day):
                membership.validUntil = day.iso
                try await membership.update(on: database)
                try await audit("board-membership.end", membership, before: before,
                                after: Self.state(membership, board: board, person: person), on: database)
            }
        }
        return ending
    }

    static func state(_ membership: BoardMembership, board: String, person: String) -> AuditState {
        AuditState(board: board, person: person, role: membership.role, cluster: membership.cluster,
                   validFrom: membership.validFrom, validUntil: membership.validUntil)
    }

    private func names(of membership: BoardMembership) async throws -> (board: String, person: String) {
        let board = try await CareBoard.find(membership.$board.id, on: database)?.code ?? membership.$board.id.uuidString
        let person = try await User.find(membership.$user.id, on: database)?.email ?? membership.$user.id.uuidString
        return (board, person)
    }

    private func audit(_ action: String, _ membership: BoardMembership, before: AuditState?, after: AuditState?,
                       on database: any Database) async throws {
        try await AuditTrail(database: database).record(
            actor: actor, action: action, subjectType: "board-membership",
            subjectID: membership.id?.uuidString.lowercased() ?? "", before: before, after: after, reason: nil)
    }

    private func apply(_ terms: MembershipTerms, to membership: BoardMembership) {
        membership.role = terms.role.rawValue
        membership.cluster = terms.cluster?.rawValue
        membership.validFrom = terms.validFrom?.iso
        membership.validUntil = terms.validUntil?.iso
    }

    /// One board's memberships with their people, by name.
    static func roster(of boardID: UUID, on database: any Database) async throws -> [(membership: BoardMembership, user: User)] {
        try await BoardMembership.query(on: database).filter(\.$board.$id == boardID)
            .join(User.self, on: \BoardMembership.$user.$id == \User.$id)
            .all()
            .map { ($0, try $0.joined(User.self)) }
            .sorted { ($0.user.name.lowercased(), $0.membership.role) < ($1.user.name.lowercased(), $1.membership.role) }
    }
}
