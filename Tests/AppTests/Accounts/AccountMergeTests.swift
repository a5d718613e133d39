@testable import App
import Foundation
import Testing

/// What merging a duplicate into the account a person keeps moves, keeps apart and refuses.
@Suite struct AccountMergeTests {
    let keepID = UUID(), mergeID = UUID(), adminID = UUID()
    let wondzorg = UUID(), diabetes = UUID(), palliatief = UUID()

    func keep(_ role: AccountMerge.Role = .learner, number: String? = nil) -> AccountMerge.Account {
        AccountMerge.Account(id: keepID, role: role, registrationNumber: number)
    }

    func merge(_ role: AccountMerge.Role = .learner, number: String? = nil, into: UUID? = nil) -> AccountMerge.Account {
        AccountMerge.Account(id: mergeID, role: role, registrationNumber: number, mergedInto: into)
    }

    @Test func enrolmentsInOtherCoursesMoveAndTheOneWithMoreProgressGoesOn() throws {
        let keptDiabetes = AccountMerge.Enrolment(id: UUID(), courseID: diabetes, status: "active", completedModules: 1)
        let keptPalliatief = AccountMerge.Enrolment(id: UUID(), courseID: palliatief, status: "completed", completions: 1, completedModules: 3)
        let theirWondzorg = AccountMerge.Enrolment(id: UUID(), courseID: wondzorg, status: "active")
        let theirDiabetes = AccountMerge.Enrolment(id: UUID(), courseID: diabetes, status: "completed", completions: 1, completedModules: 2)
        let theirPalliatief = AccountMerge.Enrolment(id: UUID(), courseID: palliatief, status: "completed", completions: 1, completedModules: 3)

        let plan = try AccountMerge.plan(
            keep: keep(), keeping: .init(enrolments: [keptDiabetes, keptPalliatief]),
            merge: merge(), merging: .init(enrolments: [theirWondzorg, theirDiabetes, theirPalliatief], records: 2), admin: adminID)

        #expect(plan.enrolmentsMoving == [theirWondzorg])
        #expect(plan.conflicts.map(\.winner) == [.merged, .kept], "a completion beats modules; a tie keeps the kept account's")
        #expect(plan.swaps.map(\.merged.id) == [theirDiabetes.id])
        #expect(plan.conflicts.map(\.bothCompleted) == [false, true])
        #expect(plan.recordsStaying == 2)
    }

    @Test func progressIsWeighedByCompletionsThenModulesThenStatusThenActivity() {
        let early = Date(timeIntervalSince1970: 1_000), late = Date(timeIntervalSince1970: 2_000)
        func enrolment(_ status: String, completions: Int = 0, modules: Int = 0, at: Date? = nil) -> AccountMerge.Enrolment {
            AccountMerge.Enrolment(id: UUID(), courseID: wondzorg, status: status, completions: completions, completedModules: modules, lastActivity: at)
        }

        #expect(enrolment("withdrawn", modules: 2).isAhead(of: enrolment("active", modules: 1)))
        #expect(enrolment("active").isAhead(of: enrolment("waiting")))
        #expect(enrolment("active", at: late).isAhead(of: enrolment("active", at: early)))
        #expect(!enrolment("active", at: early).isAhead(of: enrolment("active", at: early)), "a tie is not ahead")
        #expect(enrolment("completed", completions: 2).isAhead(of: enrolment("completed", completions: 1, modules: 9)))
    }

    @Test func membershipsOwnershipsAndTokensMoveUnlessTheKeptAccountHasTheSame() throws {
        let board = UUID().uuidString, group = UUID().uuidString
        let theirBoard = UUID(), theirStaffSeat = UUID(), theirGroup = UUID(), theirOwnership = UUID(), token = UUID(), session = UUID()

        let plan = try AccountMerge.plan(
            keep: keep(), keeping: .init(boardMemberships: [.init(id: UUID(), key: "\(board)|member")],
                                         groupMemberships: [.init(id: UUID(), key: group)]),
            merge: merge(.trainer),
            merging: .init(boardMemberships: [.init(id: theirBoard, key: "\(board)|member"), .init(id: theirStaffSeat, key: "\(board)|staff")],
                           groupMemberships: [.init(id: theirGroup, key: group)],
                           courseOwnerships: [.init(id: theirOwnership, key: wondzorg.uuidString)],
                           apiTokens: [token], openSessions: [session]),
            admin: adminID)

        #expect(plan.boardMembershipsMoving == [theirStaffSeat] && plan.boardMembershipsStaying == [theirBoard])
        #expect(plan.groupMembershipsMoving.isEmpty && plan.groupMembershipsStaying == [theirGroup])
        #expect(plan.courseOwnershipsMoving == [theirOwnership])
        #expect(plan.apiTokensMoving == [token] && plan.sessionsEnding == [session])
        #expect(plan.newRole == .trainer, "a trainer who registered again as a learner stays a trainer")
    }

    @Test func theKeptAccountsOwnAuthenticatorWinsAndAConfirmedOneMovesToAnAccountWithout() throws {
        let theirs = AccountMerge.TwoFactor(id: UUID(), confirmed: true)

        let keptHasOne = try AccountMerge.plan(keep: keep(), keeping: .init(twoFactor: .init(id: UUID(), confirmed: true)),
                                               merge: merge(), merging: .init(twoFactor: theirs), admin: adminID)
        let keptHasNone = try AccountMerge.plan(keep: keep(), keeping: .init(), merge: merge(), merging: .init(twoFactor: theirs), admin: adminID)
        let unconfirmed = try AccountMerge.plan(keep: keep(), keeping: .init(), merge: merge(),
                                                merging: .init(twoFactor: .init(id: UUID(), confirmed: false)), admin: adminID)

        #expect(keptHasOne.twoFactor == .keptHasOwn)
        #expect(keptHasNone.twoFactor == .moves(theirs.id))
        #expect(unconfirmed.twoFactor == .none)
    }

    @Test func theRegistrationNumberIsTakenOverButTwoPeoplesNumbersRefuse() throws {
        let taken = try AccountMerge.plan(keep: keep(), keeping: .init(), merge: merge(number: "1-23456-25-003"), merging: .init(), admin: adminID)
        let newQualification = try AccountMerge.plan(keep: keep(number: "12345625004"), keeping: .init(),
                                                     merge: merge(number: "12345625003"), merging: .init(), admin: adminID)

        #expect(taken.takenRegistrationNumber == "12345625003")
        #expect(newQualification.takenRegistrationNumber == nil, "the kept account's own number stays")
        #expect(throws: AccountMerge.Refusal.differentPeople) {
            try AccountMerge.plan(keep: keep(number: "12345625003"), keeping: .init(), merge: merge(number: "65432125003"),
                                  merging: .init(), admin: adminID)
        }
    }

    @Test func mergesThatMakeNoSenseAreRefused() {
        let other = UUID()
        #expect(throws: AccountMerge.Refusal.sameAccount) {
            try AccountMerge.plan(keep: keep(), keeping: .init(), merge: AccountMerge.Account(id: keepID, role: .learner),
                                  merging: .init(), admin: adminID)
        }
        #expect(throws: AccountMerge.Refusal.alreadyMerged) {
            try AccountMerge.plan(keep: keep(), keeping: .init(), merge: merge(into: keepID), merging: .init(), admin: adminID)
        }
        #expect(throws: AccountMerge.Refusal.mergedElsewhere(other)) {
            try AccountMerge.plan(keep: keep(), keeping: .init(), merge: merge(into: other), merging: .init(), admin: adminID)
        }
        #expect(throws: AccountMerge.Refusal.keptAccountMerged(other)) {
            try AccountMerge.plan(keep: AccountMerge.Account(id: keepID, role: .learner, mergedInto: other), keeping: .init(),
                                  merge: merge(), merging: .init(), admin: adminID)
        }
        #expect(throws: AccountMerge.Refusal.ownAccount) {
            try AccountMerge.plan(keep: keep(), keeping: .init(), merge: merge(.admin), merging: .init(), admin: mergeID)
        }
    }
}
