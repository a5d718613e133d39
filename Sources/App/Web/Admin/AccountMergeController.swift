import Fluent
import SQLKit
import Vapor

/// Admins find accounts that look like one person's, see what merging one into the other would move, and merge
/// them (`AccountMerge`, `AccountMergeDesk`). Nobody but admins reaches these pages.
struct AccountMergeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(AdminRoute.Pattern.duplicates, use: duplicates)
        signedIn.get(AdminRoute.Pattern.merge, use: preview)
        signedIn.post(AdminRoute.Pattern.merge, use: merge)
    }

    /// More groups than this are not shown at once; merging the first ones makes room for the rest.
    static let groupLimit = 100

    // MARK: Candidates

    struct DuplicatesPage: Encodable {
        struct Person: Encodable {
            let id: String
            let name: String
            let email: String
            let url: String
            let registrationNumber: String?
            let role: String
            let state: String
            let facts: String
            /// The one other account of a pair; `others` lists them for larger groups.
            let otherID: String?
            let others: [Choice]
            let keepLabel: String
            let selectID: String
        }
        struct Group: Encodable {
            let heading: String
            let headingID: String
            let reasons: [String]
            let people: [Person]
        }
        let page: PageContext
        let notice: String?
        let groups: [Group]
        let hasGroups: Bool
        let countText: String
        let limitText: String?
        let focus: String?
        let allURL: String
        let usersURL: String
        let previewAction: String
    }

    private struct Row {
        let id: UUID
        let email: String
        let name: String
        let registrationNumber: String?
        let role: String
        let createdAt: Date?
        let deactivatedAt: Date?
    }

    func duplicates(req: Request) async throws -> View {
        _ = try UserAdminController.requireAdmin(req)
        let focus = (try? req.query.get(String.self, at: "user")).flatMap(UUID.init(uuidString:))
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        // Every account but the merged ones, oldest first; read with SQLKit, as the list can be long.
        let rows = try await sql.raw("""
            SELECT id, email, name, registration_number, role, created_at, deactivated_at FROM users
            WHERE merged_into IS NULL ORDER BY created_at, id
            """).all().map { row in
            Row(id: try row.decode(column: "id", as: UUID.self), email: try row.decode(column: "email", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                registrationNumber: try row.decode(column: "registration_number", as: String?.self),
                role: try row.decode(column: "role", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date?.self),
                deactivatedAt: try row.decode(column: "deactivated_at", as: Date?.self))
        }
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var found = DuplicateAccounts.groups(rows.map {
            DuplicateAccounts.Account(id: $0.id, email: $0.email, registrationNumber: $0.registrationNumber)
        })
        if let focus { found = found.filter { $0.accounts.contains(focus) } }
        let total = found.count
        found = Array(found.prefix(Self.groupLimit))
        let counts = try await Self.learningCounts(of: found.flatMap(\.accounts), on: req.db)
        let groups = found.enumerated().map { number, group in
            let people = group.accounts.compactMap { byID[$0] }
            return DuplicatesPage.Group(
                heading: req.t("merge.group.heading", String(number + 1)), headingID: "group-\(number + 1)",
                reasons: group.reasons.map { req.t("merge.reason.\($0.rawValue)") },
                people: people.map { person in
                    let others = people.filter { $0.id != person.id }
                    let id = person.id.uuidString.lowercased()
                    return DuplicatesPage.Person(
                        id: id, name: person.name, email: person.email, url: AdminRoute.user(id: person.id).path,
                        registrationNumber: DuplicateAccounts.registrationDigits(person.registrationNumber)
                            .map { RegistrationNumber(digits: $0).formatted } ?? person.registrationNumber,
                        role: req.t("admin.role.\(person.role)"),
                        state: person.deactivatedAt == nil ? req.t("admin.state.active") : req.t("admin.state.deactivated"),
                        facts: Self.factsText(created: person.createdAt, counts: counts[person.id] ?? .init(), req),
                        otherID: others.count == 1 ? others[0].id.uuidString.lowercased() : nil,
                        others: others.map { Choice(value: $0.id.uuidString.lowercased(), label: "\($0.name) <\($0.email)>", selected: false) },
                        keepLabel: req.t(others.count == 1 ? "merge.keep.this" : "merge.keep.this.choose"),
                        selectID: "merge-\(id)")
                })
        }
        return try await req.view.render("admin-duplicates", DuplicatesPage(
            page: PageContext(req, title: req.t("merge.duplicates.title"), section: "workspace"),
            notice: req.takeNotice(), groups: groups, hasGroups: !groups.isEmpty,
            countText: total == 1 ? req.t("merge.duplicates.one") : req.t("merge.duplicates.count", String(total)),
            limitText: total > Self.groupLimit ? req.t("merge.duplicates.limit", String(Self.groupLimit)) : nil,
            focus: focus.flatMap { byID[$0]?.name }, allURL: AdminRoute.duplicates().path, usersURL: AdminRoute.users().path,
            previewAction: AdminRoute.merge.path))
    }

    struct LearningCounts {
        var enrolments = 0
        var completions = 0
        var records = 0
    }

    static func learningCounts(of ids: [UUID], on db: any Database) async throws -> [UUID: LearningCounts] {
        guard !ids.isEmpty else { return [:] }
        var counts: [UUID: LearningCounts] = [:]
        for id in try await Enrolment.query(on: db).filter(\.$user.$id ~~ ids).all(\.$user.$id) { counts[id, default: .init()].enrolments += 1 }
        for id in try await CourseCompletion.query(on: db).filter(\.$user.$id ~~ ids).all(\.$user.$id) { counts[id, default: .init()].completions += 1 }
        for id in try await AccreditationRecord.query(on: db).filter(\.$user.$id ~~ ids).all(\.$user.$id) { counts[id, default: .init()].records += 1 }
        return counts
    }

    static func factsText(created: Date?, counts: LearningCounts, _ req: Request) -> String {
        var parts: [String] = []
        if let created { parts.append(req.t("merge.fact.created", BrusselsTime.day(created, language: req.language))) }
        parts.append(req.t(counts.enrolments == 1 ? "merge.fact.enrolment" : "merge.fact.enrolments", String(counts.enrolments)))
        parts.append(req.t(counts.completions == 1 ? "merge.fact.completion" : "merge.fact.completions", String(counts.completions)))
        parts.append(req.t(counts.records == 1 ? "merge.fact.record" : "merge.fact.records", String(counts.records)))
        return parts.joined(separator: " · ")
    }

    // MARK: Preview

    struct MergePage: Encodable {
        struct Card: Encodable {
            let heading: String
            let name: String
            let email: String
            let url: String
            let registrationNumber: String?
            let role: String
            let state: String
            let facts: String
        }
        struct Line: Encodable {
            let text: String
            let note: String?
        }
        let page: PageContext
        let error: String?
        let refusal: String?
        let keep: Card?
        let merge: Card?
        let moving: [Line]
        let hasMoving: Bool
        let conflicts: [Line]
        let hasConflicts: Bool
        let changes: [Line]
        let hasChanges: Bool
        let staying: [Line]
        let hasStaying: Bool
        let ending: [Line]
        let canMerge: Bool
        let action: String
        let keepID: String
        let mergeID: String
        let fingerprint: String
        let swapURL: String?
        let duplicatesURL: String
    }

    struct PreviewQuery: Decodable {
        var keep: String?
        var merge: String?
    }

    func preview(req: Request) async throws -> Response {
        let admin = try UserAdminController.requireAdmin(req)
        let query = try req.query.decode(PreviewQuery.self)
        var missing: [String] = []
        let keep = try await Self.account(query.keep, on: req.db)
        let merge = try await Self.account(query.merge, on: req.db)
        if keep == nil { missing.append(req.t("merge.error.keep.unknown", query.keep ?? "")) }
        if merge == nil { missing.append(req.t("merge.error.merge.unknown", query.merge ?? "")) }
        guard let keep, let merge else {
            return try await render(req, keep: keep, merge: merge, admin: admin, error: missing.joined(separator: " "))
                .encodeResponse(status: .notFound, for: req)
        }
        return try await render(req, keep: keep, merge: merge, admin: admin, error: nil).encodeResponse(for: req)
    }

    /// An account by its id, or by its e-mail address as typed in the form by hand.
    static func account(_ text: String?, on db: any Database) async throws -> User? {
        let text = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let id = UUID(uuidString: text) { return try await User.find(id, on: db) }
        guard !text.isEmpty else { return nil }
        let address = DuplicateAccounts.addressKey(text)
        return try await User.query(on: db).filter(\.$email == address).first()
    }

    private func render(_ req: Request, keep: User?, merge: User?, admin: User, error: String?) async throws -> View {
        var plan: AccountMerge?
        var refusal: String?
        if let keep, let merge {
            do {
                plan = try await AccountMergeDesk(database: req.db).plan(keep: keep, merge: merge, by: admin)
            } catch let problem as AccountMerge.Refusal {
                refusal = try await Self.refusalText(problem, req)
            }
        }
        let counts = try await Self.learningCounts(of: [keep?.id, merge?.id].compactMap { $0 }, on: req.db)
        func card(_ user: User?, heading: String) -> MergePage.Card? {
            guard let user, let id = user.id else { return nil }
            return MergePage.Card(
                heading: req.t(heading), name: user.name, email: user.email, url: AdminRoute.user(id: id).path,
                registrationNumber: user.registrationNumber.map { DuplicateAccounts.registrationDigits($0).map { RegistrationNumber(digits: $0).formatted } ?? $0 },
                role: req.t("admin.role.\(user.role.rawValue)"),
                state: user.mergedInto != nil ? req.t("merge.state.merged")
                    : user.deactivatedAt == nil ? req.t("admin.state.active") : req.t("admin.state.deactivated"),
                facts: Self.factsText(created: user.createdAt, counts: counts[id] ?? .init(), req))
        }
        var moving: [MergePage.Line] = [], conflicts: [MergePage.Line] = [], changes: [MergePage.Line] = []
        var staying: [MergePage.Line] = [], ending: [MergePage.Line] = []
        if let plan, let merge {
            let names = try await Names.load(for: plan, on: req.db, req)
            for enrolment in plan.enrolmentsMoving {
                moving.append(.init(text: req.t("merge.move.enrolment", names.course(enrolment.courseID)), note: Self.progressText(enrolment, req)))
            }
            for id in plan.boardMembershipsMoving { moving.append(.init(text: req.t("merge.move.board", names.board(id)), note: nil)) }
            for id in plan.groupMembershipsMoving { moving.append(.init(text: req.t("merge.move.group", names.group(id)), note: nil)) }
            for id in plan.courseOwnershipsMoving { moving.append(.init(text: req.t("merge.move.ownership", names.ownership(id)), note: nil)) }
            for id in plan.apiTokensMoving { moving.append(.init(text: req.t("merge.move.token", names.token(id)), note: nil)) }
            if case .moves = plan.twoFactor { moving.append(.init(text: req.t("merge.move.two-factor"), note: nil)) }

            for conflict in plan.conflicts {
                var note = req.t(conflict.winner == .kept ? "merge.conflict.keeps" : "merge.conflict.takes")
                if conflict.bothCompleted { note += " " + req.t("merge.conflict.both-completed") }
                conflicts.append(.init(
                    text: req.t("merge.conflict.course", names.course(conflict.courseID), Self.progressText(conflict.kept, req),
                                Self.progressText(conflict.merged, req)),
                    note: note))
            }
            if let role = plan.newRole { changes.append(.init(text: req.t("merge.change.role", req.t("admin.role.\(role.rawValue)")), note: nil)) }
            if let number = plan.takenRegistrationNumber {
                changes.append(.init(text: req.t("merge.change.registration", RegistrationNumber(digits: number).formatted), note: nil))
            }
            if plan.recordsStaying > 0 {
                staying.append(.init(text: req.t(plan.recordsStaying == 1 ? "merge.stay.record" : "merge.stay.records", String(plan.recordsStaying)),
                                     note: req.t("merge.stay.records.note")))
            }
            let duplicates = plan.boardMembershipsStaying.count + plan.groupMembershipsStaying.count + plan.courseOwnershipsStaying.count
            if duplicates > 0 { staying.append(.init(text: req.t("merge.stay.duplicates", String(duplicates)), note: nil)) }
            if case .keptHasOwn = plan.twoFactor, try await TwoFactorController.credential(of: merge.requireID(), on: req.db) != nil {
                staying.append(.init(text: req.t("merge.stay.two-factor"), note: nil))
            }
            ending.append(.init(text: req.t("merge.end.account", merge.email), note: nil))
            if !plan.sessionsEnding.isEmpty {
                ending.append(.init(text: req.t(plan.sessionsEnding.count == 1 ? "merge.end.session" : "merge.end.sessions",
                                                String(plan.sessionsEnding.count)), note: nil))
            }
        }
        let keepID = keep?.id?.uuidString.lowercased() ?? "", mergeID = merge?.id?.uuidString.lowercased() ?? ""
        let swapURL: String? = if let keepUUID = keep?.id, let mergeUUID = merge?.id, keep?.mergedInto == nil, merge?.mergedInto == nil,
                                  keepUUID != mergeUUID {
            AdminRoute.mergePreview(keep: mergeUUID, merge: keepUUID).path
        } else { nil }
        return try await req.view.render("admin-merge", MergePage(
            page: PageContext(req, title: req.t("merge.preview.title"), section: "workspace"),
            error: error, refusal: refusal,
            keep: card(keep, heading: "merge.preview.keep"), merge: card(merge, heading: "merge.preview.merge"),
            moving: moving, hasMoving: !moving.isEmpty, conflicts: conflicts, hasConflicts: !conflicts.isEmpty,
            changes: changes, hasChanges: !changes.isEmpty, staying: staying, hasStaying: !staying.isEmpty, ending: ending,
            canMerge: plan != nil, action: AdminRoute.merge.path, keepID: keepID, mergeID: mergeID,
            fingerprint: plan.map(AccountMergeDesk.fingerprint) ?? "", swapURL: swapURL,
            duplicatesURL: AdminRoute.duplicates().path))
    }

    static func progressText(_ enrolment: AccountMerge.Enrolment, _ req: Request) -> String {
        var parts = [req.t("merge.status.\(enrolment.status)")]
        parts.append(req.t(enrolment.completedModules == 1 ? "merge.progress.module" : "merge.progress.modules",
                           String(enrolment.completedModules)))
        if enrolment.completions > 0 {
            parts.append(req.t(enrolment.completions == 1 ? "merge.progress.completion" : "merge.progress.completions",
                               String(enrolment.completions)))
        }
        return parts.joined(separator: ", ")
    }

    static func refusalText(_ refusal: AccountMerge.Refusal, _ req: Request) async throws -> String {
        switch refusal {
        case .sameAccount: return req.t("merge.refused.same")
        case .alreadyMerged: return req.t("merge.refused.already")
        case .mergedElsewhere(let id):
            return req.t("merge.refused.merged-elsewhere", try await User.find(id, on: req.db)?.email ?? id.uuidString)
        case .keptAccountMerged(let id):
            return req.t("merge.refused.kept-merged", try await User.find(id, on: req.db)?.email ?? id.uuidString)
        case .ownAccount: return req.t("merge.refused.own")
        case .differentPeople: return req.t("merge.refused.different-people")
        }
    }

    /// What the preview names: courses, boards, groups and tokens by the rows the plan moves.
    private struct Names {
        var courses: [UUID: String] = [:]
        var boards: [UUID: String] = [:]
        var groups: [UUID: String] = [:]
        var ownerships: [UUID: String] = [:]
        var tokens: [UUID: String] = [:]

        func course(_ id: UUID) -> String { courses[id] ?? id.uuidString }
        func board(_ id: UUID) -> String { boards[id] ?? id.uuidString }
        func group(_ id: UUID) -> String { groups[id] ?? id.uuidString }
        func ownership(_ id: UUID) -> String { ownerships[id] ?? id.uuidString }
        func token(_ id: UUID) -> String { tokens[id] ?? id.uuidString }

        static func load(for plan: AccountMerge, on db: any Database, _ req: Request) async throws -> Names {
            var names = Names()
            let language = req.language.rawValue
            let owners = plan.courseOwnershipsMoving.isEmpty ? [] :
                try await CourseOwner.query(on: db).filter(\.$id ~~ plan.courseOwnershipsMoving).all()
            let courseIDs = Set(plan.enrolmentsMoving.map(\.courseID) + plan.conflicts.map(\.courseID) + owners.map { $0.$course.id })
            if !courseIDs.isEmpty {
                for course in try await Course.query(on: db).filter(\.$id ~~ Array(courseIDs)).with(\.$currentVersion).all() {
                    names.courses[try course.requireID()] = course.currentVersion?.title.text(in: language) ?? course.slug
                }
            }
            for owner in owners { names.ownerships[try owner.requireID()] = names.course(owner.$course.id) }
            if !plan.boardMembershipsMoving.isEmpty {
                for membership in try await BoardMembership.query(on: db).filter(\.$id ~~ plan.boardMembershipsMoving).with(\.$board).all() {
                    names.boards[try membership.requireID()] = "\(membership.board.name) (\(req.t("boards.role.\(membership.role)")))"
                }
            }
            if !plan.groupMembershipsMoving.isEmpty {
                for membership in try await GroupMembership.query(on: db).filter(\.$id ~~ plan.groupMembershipsMoving).with(\.$group).all() {
                    names.groups[try membership.requireID()] = membership.group.names.text(in: language) ?? membership.group.key
                }
            }
            if !plan.apiTokensMoving.isEmpty {
                for token in try await UserAPIToken.query(on: db).filter(\.$id ~~ plan.apiTokensMoving).all() {
                    names.tokens[try token.requireID()] = "\(token.label) (\(token.prefix)…)"
                }
            }
            return names
        }
    }

    // MARK: Merge

    struct MergeForm: Decodable {
        var keep: String?
        var merge: String?
        var fingerprint: String?
        var reason: String?
    }

    func merge(req: Request) async throws -> Response {
        let admin = try UserAdminController.requireAdmin(req)
        let form = try req.content.decode(MergeForm.self)
        guard let keepID = form.keep.flatMap(UUID.init(uuidString:)), let mergeID = form.merge.flatMap(UUID.init(uuidString:)) else {
            throw Abort(.badRequest, reason: req.t("merge.error.form"))
        }
        let desk = AccountMergeDesk(database: req.db)
        do {
            switch try await desk.merge(keepID: keepID, mergeID: mergeID, by: admin, reason: form.reason ?? "", expected: form.fingerprint) {
            case .merged: req.notice = req.t("merge.notice.done")
            case .alreadyMerged: req.notice = req.t("merge.notice.already")
            }
            return req.redirect(to: .admin(.user(id: keepID)))
        } catch AccountMergeDesk.Problem.noSuchAccount {
            throw Abort(.notFound)
        } catch let problem {
            let key: String, status: HTTPResponseStatus
            switch problem {
            case UserAdministration.Refusal.reasonMissing: (key, status) = ("merge.error.reason", .unprocessableEntity)
            case AccountMergeDesk.Problem.planChanged: (key, status) = ("merge.error.changed", .conflict)
            case is AccountMerge.Refusal: (key, status) = ("merge.error.refused", .unprocessableEntity)
            default: throw problem
            }
            let keep = try await User.find(keepID, on: req.db), merge = try await User.find(mergeID, on: req.db)
            return try await render(req, keep: keep, merge: merge, admin: admin, error: req.t(key)).encodeResponse(status: status, for: req)
        }
    }

    // MARK: Signing in with a merged account

    /// What the sign-in page says to someone who gave the right password of an account merged into another:
    /// which address to use now, partly hidden. `nil` for anything else (the usual "wrong address or password").
    static func signInHint(email: EmailAddress, password: String, _ req: Request) async throws -> String? {
        guard let user = try await User.query(on: req.db).filter(\.$email == email.value).first(), let keptID = user.mergedInto,
              let kept = try await User.find(keptID, on: req.db),
              try await req.password.async.verify(password, created: user.passwordHash) else { return nil }
        return req.t("merge.login.merged", Self.masked(kept.email))
    }

    /// "a•••@example.be": enough for the person to recognise the address, not enough to give it away.
    static func masked(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), at != email.startIndex else { return "•••" }
        return String(email[email.startIndex]) + "•••" + email[at...]
    }
}
