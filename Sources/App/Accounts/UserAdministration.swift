import Fluent
import Foundation

/// What admins change about an account: its role, whether it may sign in, its open sessions. Every change
/// carries a reason and is written to the audit trail in the same transaction. Admins cannot lock
/// themselves out, and the last active admin stays an admin.
struct UserAdministration: Sendable {
    enum Refusal: Error, Equatable {
        /// The form's reason field was left empty.
        case reasonMissing
        /// Admins do not change their own role or deactivate themselves (someone else must).
        case ownAccount
        /// Without another active admin nobody could administer the academy any more.
        case lastAdmin
        /// The account already has that role, or is already (de)activated.
        case unchanged
        /// The account was merged into another (`AccountMerge`); bringing it back would split the person again.
        case merged
    }

    let database: any Database

    private struct RoleState: Encodable { let role: String }
    private struct ActiveState: Encodable { let active: Bool; let deactivatedAt: Date? }
    private struct SessionState: Encodable { let device: String?; let endedAt: Date? }

    func changeRole(of target: User, to role: User.Role, by admin: User, reason: String, now: Date = Date()) async throws {
        let reason = try Self.required(reason)
        guard target.id != admin.id else { throw Refusal.ownAccount }
        guard target.role != role else { throw Refusal.unchanged }
        let before = target.role
        try await database.transaction { db in
            if before == .admin, try await Self.otherActiveAdmins(than: target, on: db) == 0 { throw Refusal.lastAdmin }
            target.role = role
            try await target.save(on: db)
            try await AuditTrail(database: db).record(
                actor: admin, action: "user.role-changed", subjectType: "user", subjectID: try target.requireID().uuidString,
                before: RoleState(role: before.rawValue), after: RoleState(role: role.rawValue), reason: reason, at: now)
        }
    }

    /// The person cannot sign in any more, and every open session of his ends now.
    func deactivate(_ target: User, by admin: User, reason: String, now: Date = Date()) async throws {
        let reason = try Self.required(reason)
        guard target.id != admin.id else { throw Refusal.ownAccount }
        guard target.deactivatedAt == nil else { throw Refusal.unchanged }
        try await database.transaction { db in
            if target.role == .admin, try await Self.otherActiveAdmins(than: target, on: db) == 0 { throw Refusal.lastAdmin }
            target.deactivatedAt = now
            try await target.save(on: db)
            try await SignInSession.query(on: db).filter(\.$user.$id == target.requireID()).filter(\.$endedAt == nil)
                .set(\.$endedAt, to: now).update()
            try await AuditTrail(database: db).record(
                actor: admin, action: "user.deactivated", subjectType: "user", subjectID: try target.requireID().uuidString,
                before: ActiveState(active: true, deactivatedAt: nil), after: ActiveState(active: false, deactivatedAt: now),
                reason: reason, at: now)
        }
    }

    func reactivate(_ target: User, by admin: User, reason: String, now: Date = Date()) async throws {
        let reason = try Self.required(reason)
        guard let was = target.deactivatedAt else { throw Refusal.unchanged }
        guard target.mergedInto == nil else { throw Refusal.merged }
        try await database.transaction { db in
            target.deactivatedAt = nil
            try await target.save(on: db)
            try await AuditTrail(database: db).record(
                actor: admin, action: "user.reactivated", subjectType: "user", subjectID: try target.requireID().uuidString,
                before: ActiveState(active: false, deactivatedAt: was), after: ActiveState(active: true, deactivatedAt: nil),
                reason: reason, at: now)
        }
    }

    /// Ends one open session of the person; false when there is no such open session.
    func endSession(_ sessionID: UUID, of target: User, by admin: User, now: Date = Date()) async throws -> Bool {
        try await database.transaction { db in
            guard let session = try await SignInSession.find(sessionID, on: db), session.$user.id == target.id,
                  session.endedAt == nil else { return false }
            session.endedAt = now
            try await session.save(on: db)
            try await AuditTrail(database: db).record(
                actor: admin, action: "session.ended", subjectType: "user", subjectID: try target.requireID().uuidString,
                before: SessionState(device: session.userAgent, endedAt: nil), after: SessionState(device: session.userAgent, endedAt: now),
                reason: nil, at: now)
            return true
        }
    }

    static func required(_ reason: String) throws -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Refusal.reasonMissing }
        return String(trimmed.prefix(1_000))
    }

    static func otherActiveAdmins(than user: User, on db: any Database) async throws -> Int {
        try await User.query(on: db).filter(\.$role == .admin).filter(\.$deactivatedAt == nil)
            .filter(\.$id != user.requireID()).count()
    }
}
