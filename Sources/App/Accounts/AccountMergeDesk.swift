import Crypto
import Fluent
import Foundation

/// Reads what two accounts hold, plans their merge (`AccountMerge`) and carries it out: in one transaction, with
/// both accounts' rows locked, audited on both accounts. Merging again what is already merged does nothing.
struct AccountMergeDesk: Sendable {
    enum Problem: Error, Equatable {
        case noSuchAccount
        /// What the accounts hold changed since the preview the admin confirmed: show the new plan first.
        case planChanged
    }

    enum Outcome: Equatable {
        case merged(AccountMerge)
        /// The duplicate was merged into the kept account before (a second click, another admin): nothing done.
        case alreadyMerged
    }

    let database: any Database

    static func account(_ user: User) throws -> AccountMerge.Account {
        AccountMerge.Account(id: try user.requireID(), role: AccountMerge.Role(rawValue: user.role.rawValue) ?? .learner,
                             registrationNumber: user.registrationNumber, mergedInto: user.mergedInto)
    }

    static func holdings(of userID: UUID, on db: any Database) async throws -> AccountMerge.Holdings {
        var holdings = AccountMerge.Holdings()
        let enrolments = try await Enrolment.query(on: db).filter(\.$user.$id == userID).sort(\.$id).all()
        let ids = try enrolments.map { try $0.requireID() }
        var completions: [UUID: Int] = [:]
        var modules: [UUID: Set<String>] = [:]
        if !ids.isEmpty {
            for enrolmentID in try await CourseCompletion.query(on: db).filter(\.$enrolment.$id ~~ ids).all(\.$enrolment.$id) {
                completions[enrolmentID, default: 0] += 1
            }
            for attempt in try await ModuleAttempt.query(on: db).filter(\.$enrolment.$id ~~ ids)
                .filter(\.$completion == .completed).all() {
                modules[attempt.$enrolment.id, default: []].insert(attempt.moduleKey)
            }
        }
        holdings.enrolments = try enrolments.map { enrolment in
            let id = try enrolment.requireID()
            return AccountMerge.Enrolment(id: id, courseID: enrolment.$course.id, status: enrolment.status.rawValue,
                                          completions: completions[id] ?? 0, completedModules: modules[id]?.count ?? 0,
                                          lastActivity: enrolment.lastActivityAt ?? enrolment.enrolledAt)
        }
        holdings.boardMemberships = try await BoardMembership.query(on: db).filter(\.$user.$id == userID).sort(\.$id).all().map {
            AccountMerge.Holding(id: try $0.requireID(), key: "\($0.$board.id.uuidString)|\($0.role)")
        }
        holdings.groupMemberships = try await GroupMembership.query(on: db).filter(\.$user.$id == userID).sort(\.$id).all().map {
            AccountMerge.Holding(id: try $0.requireID(), key: $0.$group.id.uuidString)
        }
        holdings.courseOwnerships = try await CourseOwner.query(on: db).filter(\.$user.$id == userID).sort(\.$id).all().map {
            AccountMerge.Holding(id: try $0.requireID(), key: $0.$course.id.uuidString)
        }
        holdings.apiTokens = try await UserAPIToken.query(on: db).filter(\.$user.$id == userID).sort(\.$id).all(\.$id)
        holdings.openSessions = try await SignInSession.query(on: db).filter(\.$user.$id == userID).filter(\.$endedAt == nil)
            .sort(\.$id).all(\.$id)
        holdings.twoFactor = try await TwoFactorCredential.query(on: db).filter(\.$user.$id == userID).first().map {
            AccountMerge.TwoFactor(id: try $0.requireID(), confirmed: $0.confirmedAt != nil)
        }
        holdings.records = try await AccreditationRecord.query(on: db).filter(\.$user.$id == userID).count()
        return holdings
    }

    /// The plan for merging `merge` into `keep`, as the preview shows it; `AccountMerge.Refusal` when it cannot be.
    func plan(keep: User, merge: User, by admin: User) async throws -> AccountMerge {
        try AccountMerge.plan(keep: try Self.account(keep), keeping: try await Self.holdings(of: keep.requireID(), on: database),
                              merge: try Self.account(merge), merging: try await Self.holdings(of: merge.requireID(), on: database),
                              admin: try admin.requireID())
    }

    /// A short digest of what the plan moves and decides (not of the sessions it ends), carried by the preview's
    /// form so that the merge does what the admin saw.
    static func fingerprint(_ plan: AccountMerge) -> String {
        var lines = [plan.keep.id.uuidString, plan.merge.id.uuidString]
        lines += plan.enrolmentsMoving.map { "e \($0.id)" }
        lines += plan.conflicts.map { "c \($0.kept.id) \($0.merged.id) \($0.winner.rawValue)" }
        lines += plan.boardMembershipsMoving.map { "b \($0)" } + plan.boardMembershipsStaying.map { "B \($0)" }
        lines += plan.groupMembershipsMoving.map { "g \($0)" } + plan.groupMembershipsStaying.map { "G \($0)" }
        lines += plan.courseOwnershipsMoving.map { "o \($0)" } + plan.courseOwnershipsStaying.map { "O \($0)" }
        lines += plan.apiTokensMoving.map { "t \($0)" }
        lines.append("2fa \(plan.twoFactor)")
        lines.append("role \(plan.newRole?.rawValue ?? "-") number \(plan.takenRegistrationNumber ?? "-") records \(plan.recordsStaying)")
        let digest = SHA256.hash(data: Data(lines.joined(separator: "\n").utf8))
        return digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    private struct MergedState: Encodable {
        let active: Bool
        let mergedInto: UUID?
    }

    private struct KeptState: Encodable {
        let role: String
        let registrationNumber: String?
        let enrolments: Int
    }

    private struct Received: Encodable {
        let role: String
        let registrationNumber: String?
        let enrolments: Int
        let mergedAccount: UUID
        let enrolmentsMoved: [UUID]
        let enrolmentsSwapped: [UUID]
        let enrolmentsStayingWithMerged: [UUID]
        let boardMembershipsMoved: Int
        let groupMembershipsMoved: Int
        let courseOwnershipsMoved: Int
        let apiTokensMoved: Int
        let twoFactorMoved: Bool
        let sessionsEnded: Int
        let recordsStayingWithMerged: Int
    }

    /// Merges `mergeID` into `keepID` as planned now; with `expected`, only when the plan still has that
    /// fingerprint (`Problem.planChanged` otherwise).
    func merge(keepID: UUID, mergeID: UUID, by admin: User, reason: String, expected: String? = nil,
               now: Date = Date()) async throws -> Outcome {
        let reason = try UserAdministration.required(reason)
        return try await database.transaction { db in
            for id in [keepID, mergeID].sorted(by: { $0.uuidString < $1.uuidString }) {
                try await RowLock.hold(User.schema, id, on: db)
            }
            guard let keep = try await User.find(keepID, on: db), let merge = try await User.find(mergeID, on: db) else {
                throw Problem.noSuchAccount
            }
            let plan: AccountMerge
            do {
                plan = try await AccountMergeDesk(database: db).plan(keep: keep, merge: merge, by: admin)
            } catch AccountMerge.Refusal.alreadyMerged {
                return .alreadyMerged
            }
            if let expected, expected != Self.fingerprint(plan) { throw Problem.planChanged }
            try await Self.carryOut(plan, keep: keep, merge: merge, by: admin, reason: reason, on: db, now: now)
            return .merged(plan)
        }
    }

    private static func carryOut(_ plan: AccountMerge, keep: User, merge: User, by admin: User, reason: String,
                                 on db: any Database, now: Date) async throws {
        let keepID = plan.keep.id, mergeID = plan.merge.id
        let keptBefore = KeptState(role: keep.role.rawValue, registrationNumber: keep.registrationNumber,
                                   enrolments: try await Enrolment.query(on: db).filter(\.$user.$id == keepID).count())
        let wasActive = merge.deactivatedAt == nil
        let allEnrolments = plan.enrolmentsMoving.map(\.id) + plan.conflicts.flatMap { [$0.kept.id, $0.merged.id] }
        // Progress writes lock their enrolment; wait for any under way.
        for id in allEnrolments { try await RowLock.hold(Enrolment.schema, id, on: db) }

        try await move(enrolments: plan.enrolmentsMoving.map(\.id), from: mergeID, to: keepID, on: db)
        let swaps = plan.swaps
        if !swaps.isEmpty {
            // The duplicate's enrolment goes on for the kept account and the kept account's weaker one goes to the
            // duplicate. One enrolment per person and course (and one completion per person, course and cycle)
            // forbids a direct swap, so the kept account's enrolments wait on a placeholder account that exists
            // only inside this transaction.
            let parking = User(email: "merge-\(UUID().uuidString.lowercased())@academy.invalid", name: "-", passwordHash: "-",
                               role: .learner, profession: keep.profession)
            parking.deactivatedAt = now
            try await parking.create(on: db)
            let parkingID = try parking.requireID()
            try await move(enrolments: swaps.map(\.kept.id), from: keepID, to: parkingID, on: db)
            try await move(enrolments: swaps.map(\.merged.id), from: mergeID, to: keepID, on: db)
            try await move(enrolments: swaps.map(\.kept.id), from: parkingID, to: mergeID, on: db)
            try await parking.delete(on: db)
        }
        if !plan.boardMembershipsMoving.isEmpty {
            try await BoardMembership.query(on: db).filter(\.$id ~~ plan.boardMembershipsMoving).set(\.$user.$id, to: keepID).update()
        }
        if !plan.groupMembershipsMoving.isEmpty {
            try await GroupMembership.query(on: db).filter(\.$id ~~ plan.groupMembershipsMoving).set(\.$user.$id, to: keepID).update()
        }
        if !plan.courseOwnershipsMoving.isEmpty {
            try await CourseOwner.query(on: db).filter(\.$id ~~ plan.courseOwnershipsMoving).set(\.$user.$id, to: keepID).update()
        }
        if !plan.apiTokensMoving.isEmpty {
            try await UserAPIToken.query(on: db).filter(\.$id ~~ plan.apiTokensMoving).set(\.$user.$id, to: keepID).update()
        }
        if case .moves(let credentialID) = plan.twoFactor {
            try await TwoFactorCredential.query(on: db).filter(\.$id == credentialID).set(\.$user.$id, to: keepID).update()
        }
        try await SignInSession.query(on: db).filter(\.$user.$id == mergeID).filter(\.$endedAt == nil).set(\.$endedAt, to: now).update()
        try await PasswordResetToken.query(on: db).filter(\.$user.$id == mergeID).filter(\.$usedAt == nil).set(\.$usedAt, to: now).update()
        // Accounts merged into the duplicate before now belong to the kept account directly.
        try await User.query(on: db).filter(\.$mergedInto == mergeID).set(\.$mergedInto, to: keepID).update()

        merge.deactivatedAt = merge.deactivatedAt ?? now
        merge.mergedInto = keepID
        try await merge.save(on: db)
        if let role = plan.newRole.flatMap({ User.Role(rawValue: $0.rawValue) }) { keep.role = role }
        if let number = plan.takenRegistrationNumber { keep.registrationNumber = number }
        if keep.hasChanges { try await keep.save(on: db) }

        let trail = AuditTrail(database: db)
        try await trail.record(
            actor: admin, action: "user.merged", subjectType: "user", subjectID: mergeID.uuidString,
            before: MergedState(active: wasActive, mergedInto: nil), after: MergedState(active: false, mergedInto: keepID),
            reason: reason, at: now)
        try await trail.record(
            actor: admin, action: "user.merge-received", subjectType: "user", subjectID: keepID.uuidString,
            before: keptBefore,
            after: Received(role: keep.role.rawValue, registrationNumber: keep.registrationNumber,
                            enrolments: try await Enrolment.query(on: db).filter(\.$user.$id == keepID).count(),
                            mergedAccount: mergeID, enrolmentsMoved: plan.enrolmentsMoving.map(\.id),
                            enrolmentsSwapped: swaps.map(\.merged.id),
                            enrolmentsStayingWithMerged: plan.conflicts.map { $0.winner == .kept ? $0.merged.id : $0.kept.id },
                            boardMembershipsMoved: plan.boardMembershipsMoving.count,
                            groupMembershipsMoved: plan.groupMembershipsMoving.count,
                            courseOwnershipsMoved: plan.courseOwnershipsMoving.count, apiTokensMoved: plan.apiTokensMoving.count,
                            twoFactorMoved: { if case .moves = plan.twoFactor { true } else { false } }(),
                            sessionsEnded: plan.sessionsEnding.count, recordsStayingWithMerged: plan.recordsStaying),
            reason: reason, at: now)
    }

    /// Enrolments change account together with their attempts, their completions and the AU state documents
    /// their cmi5 registrations keep under the learner's agent.
    private static func move(enrolments ids: [UUID], from: UUID, to: UUID, on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        try await Enrolment.query(on: db).filter(\.$id ~~ ids).set(\.$user.$id, to: to).update()
        try await ModuleAttempt.query(on: db).filter(\.$enrolment.$id ~~ ids).set(\.$user.$id, to: to).update()
        try await CourseCompletion.query(on: db).filter(\.$enrolment.$id ~~ ids).set(\.$user.$id, to: to).update()
        let registrations = try await Cmi5Registration.query(on: db).filter(\.$enrolment.$id ~~ ids).all(\.$id)
            .map { $0.uuidString.lowercased() }
        guard !registrations.isEmpty else { return }
        let oldSuffix = "|" + from.uuidString.lowercased()
        for document in try await XAPIStateDocument.query(on: db).filter(\.$registration ~~ registrations).all()
        where document.agentKey.hasSuffix(oldSuffix) {
            document.agentKey = String(document.agentKey.dropLast(oldSuffix.count)) + "|" + to.uuidString.lowercased()
            try await document.save(on: db)
        }
    }
}
