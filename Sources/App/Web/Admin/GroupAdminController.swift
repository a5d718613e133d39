import Fluent
import Vapor

/// Access groups (cohorts such as "population managers of vaccination centres"), for admins: create a
/// group with its stable key and names, add members by pasting addresses, remove members. Rules name
/// groups by key (`in-group`); group memberships are read on every request, so changes count at once.
struct GroupAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(BoardAdminRoute.Pattern.groups, use: groups)
        signedIn.post(BoardAdminRoute.Pattern.groups, use: createGroup)
        signedIn.get(BoardAdminRoute.Pattern.group, use: group)
        signedIn.on(.POST, BoardAdminRoute.Pattern.addGroupMembers, body: .collect(maxSize: "1mb"), use: addMembers)
        signedIn.post(BoardAdminRoute.Pattern.removeGroupMember, use: removeMember)
        signedIn.post(BoardAdminRoute.Pattern.renameGroup, use: rename)
    }

    static func requireAdmin(_ req: Request) async throws {
        guard try await BoardAdminController.permissions(req).mayManageGroups else { throw Abort(.forbidden, reason: "boards-admin-only") }
    }

    static func group(_ req: Request) async throws -> AccessGroup {
        let key = req.parameters.get("key") ?? ""
        guard let group = try await AccessGroup.query(on: req.db).filter(\.$key == key).first() else { throw Abort(.notFound) }
        return group
    }

    static func name(_ group: AccessGroup, _ req: Request) -> String {
        group.names[req.language.rawValue] ?? group.names["nl"] ?? group.key
    }

    // MARK: List and create

    struct GroupRow: Encodable {
        let key: String
        let name: String
        let members: Int
        let url: String
    }

    struct GroupsPage: Encodable {
        let page: PageContext
        let notice: String?
        let groups: [GroupRow]
        let hasGroups: Bool
        let action: String
        let key: FormField
        let nameNL: FormField
        let nameFR: FormField
        let nameEN: FormField
        let hasErrors: Bool
        let boardsURL: String
    }

    struct NewGroupForm: Content {
        var key: String?
        var name_nl: String?
        var name_fr: String?
        var name_en: String?
    }

    private func renderGroups(_ req: Request, form: NewGroupForm, problems: [FieldProblem]) async throws -> Response {
        let groups = try await AccessGroup.query(on: req.db).sort(\.$key).all()
        let counts = Dictionary(grouping: try await GroupMembership.query(on: req.db).all(), by: { $0.$group.id }).mapValues(\.count)
        let context = GroupsPage(
            page: PageContext(req, title: req.t("boards.groups.title"), section: "boards"), notice: req.takeNotice(),
            groups: groups.map {
                GroupRow(key: $0.key, name: Self.name($0, req), members: counts[$0.id!] ?? 0, url: BoardAdminRoute.group(key: $0.key).path)
            },
            hasGroups: !groups.isEmpty, action: BoardAdminRoute.groups.path,
            key: FormField("key", value: form.key ?? "", problems: problems, request: req),
            nameNL: FormField("name_nl", value: form.name_nl ?? "", problems: problems, request: req),
            nameFR: FormField("name_fr", value: form.name_fr ?? "", problems: problems, request: req),
            nameEN: FormField("name_en", value: form.name_en ?? "", problems: problems, request: req),
            hasErrors: !problems.isEmpty, boardsURL: BoardAdminRoute.boards.path)
        return try await req.view.render("groups", context).encodeResponse(status: problems.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    func groups(req: Request) async throws -> Response {
        try await Self.requireAdmin(req)
        return try await renderGroups(req, form: NewGroupForm(), problems: [])
    }

    func createGroup(req: Request) async throws -> Response {
        try await Self.requireAdmin(req)
        let form = try req.content.decode(NewGroupForm.self)
        let existing = Set(try await AccessGroup.query(on: req.db).all().map(\.key))
        let checked = GroupRoster.check(key: form.key ?? "",
                                        names: ["nl": form.name_nl ?? "", "fr": form.name_fr ?? "", "en": form.name_en ?? ""],
                                        existingKeys: existing)
        guard let new = checked.group else { return try await renderGroups(req, form: form, problems: checked.problems) }
        do {
            try await AccessGroup(key: new.key, names: new.names).create(on: req.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Created by a second request in between: the key is taken after all.
            return try await renderGroups(req, form: form, problems: [.init("key", "boards.group.error.key.taken", [new.key])])
        }
        await req.application.accessDirectory.invalidate()
        req.notice = req.t("boards.group.notice.created", new.key)
        return req.redirect(to: .boards(.group(key: new.key)))
    }

    // MARK: One group

    struct MemberRow: Encodable {
        let name: String
        let email: String
        let removeAction: String
    }

    struct GroupPage: Encodable {
        let page: PageContext
        let notice: String?
        let key: String
        let name: String
        let members: [MemberRow]
        let hasMembers: Bool
        let addAction: String
        let emails: FormField
        let hasErrors: Bool
        let groupsURL: String
        let renameAction: String
        let nameNL: FormField
        let nameFR: FormField
        let nameEN: FormField
        let renameHasErrors: Bool
    }

    struct AddMembersForm: Content {
        var emails: String?
    }

    private func renderGroup(_ req: Request, group: AccessGroup, emails: String, problems: [FieldProblem],
                             names: [String: String]? = nil, renameProblems: [FieldProblem] = []) async throws -> Response {
        let names = names ?? group.names
        let members = try await GroupMembership.query(on: req.db).filter(\.$group.$id == group.id!).with(\.$user).all()
            .map(\.user).sorted { $0.name.lowercased() < $1.name.lowercased() }
        let context = GroupPage(
            page: PageContext(req, title: Self.name(group, req), section: "boards"), notice: req.takeNotice(),
            key: group.key, name: Self.name(group, req),
            members: members.map {
                MemberRow(name: $0.name, email: $0.email,
                          removeAction: BoardAdminRoute.removeGroupMember(key: group.key, userID: $0.id!).path)
            },
            hasMembers: !members.isEmpty, addAction: EnrolmentAdminController.withToken(req, .addGroupMembers(key: group.key)),
            emails: FormField("emails", value: emails, problems: problems, request: req),
            hasErrors: !problems.isEmpty, groupsURL: BoardAdminRoute.groups.path,
            renameAction: BoardAdminRoute.renameGroup(key: group.key).path,
            nameNL: FormField("name_nl", value: names["nl"] ?? "", problems: renameProblems, request: req),
            nameFR: FormField("name_fr", value: names["fr"] ?? "", problems: renameProblems, request: req),
            nameEN: FormField("name_en", value: names["en"] ?? "", problems: renameProblems, request: req),
            renameHasErrors: !renameProblems.isEmpty)
        let failed = !problems.isEmpty || !renameProblems.isEmpty
        return try await req.view.render("group", context).encodeResponse(status: failed ? .unprocessableEntity : .ok, for: req)
    }

    func group(req: Request) async throws -> Response {
        try await Self.requireAdmin(req)
        return try await renderGroup(req, group: try await Self.group(req), emails: "", problems: [])
    }

    /// All or nothing: when one address is not an address or has no account, nobody is added and the
    /// form says which, with the pasted text kept.
    func addMembers(req: Request) async throws -> Response {
        try await Self.requireAdmin(req)
        let group = try await Self.group(req)
        let text = (try req.content.decode(AddMembersForm.self)).emails ?? ""
        let parsed = GroupRoster.addresses(in: text)
        var problems: [FieldProblem] = []
        if parsed.addresses.isEmpty && parsed.invalid.isEmpty { problems.append(.init("emails", "boards.group.error.emails.missing")) }
        if !parsed.invalid.isEmpty { problems.append(.init("emails", "boards.group.error.emails.invalid", [parsed.invalid.joined(separator: ", ")])) }
        let users = try await MembershipImport.users(Set(parsed.addresses.map(\.value)), on: req.db)
        let unknown = parsed.addresses.map(\.value).filter { users[$0] == nil }
        if !unknown.isEmpty { problems.append(.init("emails", "boards.group.error.emails.unknown", [unknown.joined(separator: ", ")])) }
        guard problems.isEmpty else { return try await renderGroup(req, group: group, emails: text, problems: problems) }

        let groupID = group.id!
        let added = try await req.db.transaction { db -> Int in
            let already = Set(try await GroupMembership.query(on: db).filter(\.$group.$id == groupID).all().map { $0.$user.id })
            var added = 0
            for address in parsed.addresses {
                guard let userID = users[address.value], !already.contains(userID) else { continue }
                try await GroupMembership(userID: userID, groupID: groupID).create(on: db)
                added += 1
            }
            return added
        }
        req.notice = req.t("boards.group.notice.added", String(added), String(parsed.addresses.count - added))
        return req.redirect(to: .boards(.group(key: group.key)))
    }

    /// New display names; the key stays, since rules and files name the group by it. Audited with before and after.
    func rename(req: Request) async throws -> Response {
        try await Self.requireAdmin(req)
        let group = try await Self.group(req)
        let form = try req.content.decode(NewGroupForm.self)
        let entered = ["nl": form.name_nl ?? "", "fr": form.name_fr ?? "", "en": form.name_en ?? ""]
        let checked = GroupRoster.check(key: group.key, names: entered, existingKeys: [])
        guard let new = checked.group else {
            return try await renderGroup(req, group: group, emails: "", problems: [], names: entered, renameProblems: checked.problems)
        }
        let before = group.names
        if before != new.names {
            let actor = req.auth.get(User.self)
            try await req.db.transaction { db in
                group.names = new.names
                try await group.save(on: db)
                try await AuditTrail(database: db).record(actor: actor, action: "group.rename", subjectType: "access-group",
                                                          subjectID: group.key, before: before, after: new.names, reason: nil)
            }
            await req.application.accessDirectory.invalidate()
        }
        req.notice = req.t("groups.rename.notice", new.names["nl"] ?? group.key)
        return req.redirect(to: .boards(.group(key: group.key)))
    }

    func removeMember(req: Request) async throws -> Response {
        try await Self.requireAdmin(req)
        let group = try await Self.group(req)
        guard let userID = req.parameters.get("user").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let user = try await User.find(userID, on: req.db)
        try await GroupMembership.query(on: req.db).filter(\.$group.$id == group.id!).filter(\.$user.$id == userID).delete()
        req.notice = req.t("boards.group.notice.removed", user?.email ?? "")
        return req.redirect(to: .boards(.group(key: group.key)))
    }
}
