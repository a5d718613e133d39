import Foundation

/// Merging a duplicate account into the account its person keeps: which of the duplicate's things move, which
/// stay, and why. Plain planning from facts; `AccountMergeDesk` reads the facts and carries the plan out in one
/// transaction, with an audit event.
///
/// Decisions:
/// - Enrolments move with their module attempts and course completions. A completion keeps its id and its
///   verification code, so certificates already handed out go on verifying.
/// - Both accounts enrolled in the same course (one enrolment per person and course): the enrolment with more
///   progress becomes the kept account's: more completions first, then more modules completed, then the livelier
///   status (completed, active, expired, waiting, withdrawn), then the later activity; a tie keeps the kept
///   account's own. The other enrolment goes to the merged account, untouched, with its attempts and
///   completions. Nothing is deleted.
/// - Both completed the same course: both completions stay, each with its certificate; they happened, and their
///   records may already have been reported. The plan flags it (`bothCompleted`), so the admin can check whether
///   points were counted twice and revoke a record through the records' correction if so.
/// - Accreditation records are append-only and never rewritten, not even the account they name: they stay on the
///   merged account, which is marked `merged_into` the kept one. `MergedAccounts` reads a person's completions,
///   records, certificates and credentials through every account merged into theirs, so "My learning", the
///   certificate pages and the learner's own downloads show them. Exports to partners list every record once, as
///   before: the merge adds no record and changes none. Verification (/verify/CODE) goes by code and is unaffected.
/// - Board memberships, group memberships and course ownerships move unless the kept account already has the same
///   one; the duplicate then stays with the deactivated account, where it gives no access.
/// - API tokens move: they belong to the person's tools and keep working, with the kept account's role.
/// - Two-factor: a confirmed authenticator of the merged account moves only when the kept account has none; the kept
///   account's own always wins. An unconfirmed one stays behind.
/// - Role: the higher of the two, so a trainer who registered again as a learner stays a trainer (and keeps the
///   course ownerships that move). The preview shows the change before the admin confirms.
/// - Registration number: taken over when the kept account has none. Numbers of two different people (other first
///   eight digits) refuse the merge: one of them is wrong, or these are two people.
/// - The merged account is deactivated, its sign-in sessions end, its password resets lapse, and it cannot be
///   reactivated. Accounts merged into it earlier now point at the kept account, so aliases are one level deep.
struct AccountMerge: Sendable, Equatable {
    enum Role: String, Sendable, Comparable {
        case learner, trainer, admin

        private var rank: Int {
            switch self {
            case .learner: 0
            case .trainer: 1
            case .admin: 2
            }
        }

        static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
    }

    struct Account: Sendable, Equatable {
        var id: UUID
        var role: Role
        var registrationNumber: String?
        var mergedInto: UUID?
    }

    struct Enrolment: Sendable, Equatable {
        var id: UUID
        var courseID: UUID
        /// An `Enrolment.Status` raw value.
        var status: String
        var completions: Int
        var completedModules: Int
        var lastActivity: Date?

        init(id: UUID, courseID: UUID, status: String, completions: Int = 0, completedModules: Int = 0,
             lastActivity: Date? = nil) {
            self.id = id
            self.courseID = courseID
            self.status = status
            self.completions = completions
            self.completedModules = completedModules
            self.lastActivity = lastActivity
        }

        private var statusRank: Int {
            ["withdrawn", "waiting", "expired", "active", "completed"].firstIndex(of: status) ?? -1
        }

        /// Whether this enrolment shows more progress than `other` (a tie is no).
        func isAhead(of other: Enrolment) -> Bool {
            if completions != other.completions { return completions > other.completions }
            if completedModules != other.completedModules { return completedModules > other.completedModules }
            if statusRank != other.statusRank { return statusRank > other.statusRank }
            return (lastActivity ?? .distantPast) > (other.lastActivity ?? .distantPast)
        }
    }

    /// A membership, group membership or ownership: its row and what makes two of them the same
    /// (the board and role, the group, the course).
    struct Holding: Sendable, Equatable {
        var id: UUID
        var key: String
    }

    struct TwoFactor: Sendable, Equatable {
        var id: UUID
        var confirmed: Bool
    }

    /// What one account holds.
    struct Holdings: Sendable, Equatable {
        var enrolments: [Enrolment] = []
        var boardMemberships: [Holding] = []
        var groupMemberships: [Holding] = []
        var courseOwnerships: [Holding] = []
        var apiTokens: [UUID] = []
        var openSessions: [UUID] = []
        var twoFactor: TwoFactor?
        var records = 0
    }

    enum Refusal: Error, Sendable, Equatable {
        /// Keep and merge name one account.
        case sameAccount
        /// The duplicate is already merged into the kept account: there is nothing left to do.
        case alreadyMerged
        /// The duplicate was merged into another account; merge that one instead.
        case mergedElsewhere(UUID)
        /// The account to keep was itself merged into another one: keep that one.
        case keptAccountMerged(UUID)
        /// The admin's own account cannot be merged away (the admin would sign themselves out).
        case ownAccount
        /// The registration numbers name two different people.
        case differentPeople
    }

    enum Side: String, Sendable, Equatable {
        case kept, merged
    }

    struct Conflict: Sendable, Equatable {
        var courseID: UUID
        var kept: Enrolment
        var merged: Enrolment
        /// Whose enrolment the kept account goes on with.
        var winner: Side
        /// Both enrolments have a completion: both stay, see the type's notes.
        var bothCompleted: Bool { kept.completions > 0 && merged.completions > 0 }
    }

    enum TwoFactorDecision: Sendable, Equatable {
        /// Neither account has a confirmed authenticator.
        case none
        /// The kept account signs in with its own authenticator; the merged one's stays behind, if any.
        case keptHasOwn
        /// The merged account's confirmed authenticator becomes the kept account's.
        case moves(UUID)
    }

    var keep: Account
    var merge: Account
    /// The duplicate's enrolments that become the kept account's without a conflict.
    var enrolmentsMoving: [Enrolment]
    var conflicts: [Conflict]
    var boardMembershipsMoving: [UUID]
    var boardMembershipsStaying: [UUID]
    var groupMembershipsMoving: [UUID]
    var groupMembershipsStaying: [UUID]
    var courseOwnershipsMoving: [UUID]
    var courseOwnershipsStaying: [UUID]
    var apiTokensMoving: [UUID]
    var sessionsEnding: [UUID]
    var twoFactor: TwoFactorDecision
    /// The kept account's new role, when the duplicate's was higher.
    var newRole: Role?
    /// The duplicate's registration number, when the kept account has none.
    var takenRegistrationNumber: String?
    /// Accreditation records that stay on the merged account (read through the alias).
    var recordsStaying: Int

    /// Conflicts the duplicate's enrolment wins: the two enrolments change accounts.
    var swaps: [Conflict] { conflicts.filter { $0.winner == .merged } }

    /// The plan to merge `merge` into `keep`, or why it cannot be done. `admin` is who asks.
    static func plan(keep: Account, keeping: Holdings, merge: Account, merging: Holdings, admin: UUID) throws -> AccountMerge {
        guard keep.id != merge.id else { throw Refusal.sameAccount }
        if merge.mergedInto == keep.id { throw Refusal.alreadyMerged }
        if let other = merge.mergedInto { throw Refusal.mergedElsewhere(other) }
        if let other = keep.mergedInto { throw Refusal.keptAccountMerged(other) }
        guard merge.id != admin else { throw Refusal.ownAccount }
        let keptNumber = DuplicateAccounts.registrationDigits(keep.registrationNumber)
        let mergedNumber = DuplicateAccounts.registrationDigits(merge.registrationNumber)
        if let keptNumber, let mergedNumber, keptNumber.prefix(8) != mergedNumber.prefix(8) { throw Refusal.differentPeople }

        let keptByCourse = Dictionary(keeping.enrolments.map { ($0.courseID, $0) }, uniquingKeysWith: { first, _ in first })
        var moving: [Enrolment] = []
        var conflicts: [Conflict] = []
        for enrolment in merging.enrolments {
            if let kept = keptByCourse[enrolment.courseID] {
                conflicts.append(Conflict(courseID: enrolment.courseID, kept: kept, merged: enrolment,
                                          winner: enrolment.isAhead(of: kept) ? .merged : .kept))
            } else {
                moving.append(enrolment)
            }
        }
        func split(_ theirs: [Holding], _ ours: [Holding]) -> (moving: [UUID], staying: [UUID]) {
            let held = Set(ours.map(\.key))
            return (theirs.filter { !held.contains($0.key) }.map(\.id), theirs.filter { held.contains($0.key) }.map(\.id))
        }
        let boards = split(merging.boardMemberships, keeping.boardMemberships)
        let groups = split(merging.groupMemberships, keeping.groupMemberships)
        let owners = split(merging.courseOwnerships, keeping.courseOwnerships)
        let twoFactor: TwoFactorDecision
        if keeping.twoFactor?.confirmed == true {
            twoFactor = .keptHasOwn
        } else if let theirs = merging.twoFactor, theirs.confirmed, keeping.twoFactor == nil {
            twoFactor = .moves(theirs.id)
        } else {
            // An unconfirmed authenticator protects nothing yet; the kept account's half-done one stays its own.
            twoFactor = .none
        }
        return AccountMerge(
            keep: keep, merge: merge, enrolmentsMoving: moving, conflicts: conflicts,
            boardMembershipsMoving: boards.moving, boardMembershipsStaying: boards.staying,
            groupMembershipsMoving: groups.moving, groupMembershipsStaying: groups.staying,
            courseOwnershipsMoving: owners.moving, courseOwnershipsStaying: owners.staying,
            apiTokensMoving: merging.apiTokens, sessionsEnding: merging.openSessions, twoFactor: twoFactor,
            newRole: merge.role > keep.role ? merge.role : nil,
            takenRegistrationNumber: keptNumber == nil ? mergedNumber : nil,
            recordsStaying: merging.records)
    }
}
