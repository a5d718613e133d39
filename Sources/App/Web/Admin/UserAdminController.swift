import Fluent
import SQLKit
import Vapor

/// Admins find people, change their role, deactivate and reactivate accounts, and end their sessions;
/// every change asks a reason and lands in the audit log. Nobody but admins reaches these pages.
struct UserAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(AdminRoute.Pattern.users, use: users)
        signedIn.get(AdminRoute.Pattern.user, use: user)
        signedIn.post(AdminRoute.Pattern.userRole, use: changeRole)
        signedIn.post(AdminRoute.Pattern.userDeactivate, use: deactivate)
        signedIn.post(AdminRoute.Pattern.userReactivate, use: reactivate)
        signedIn.post(AdminRoute.Pattern.userEndSession, use: endSession)
    }

    static func requireAdmin(_ req: Request) throws -> User {
        guard let user = req.auth.get(User.self), user.role == .admin else {
            throw Abort(.forbidden, reason: "admin-only")
        }
        return user
    }

    // MARK: List

    struct UsersPage: Encodable {
        struct Row: Encodable {
            let name: String
            let email: String
            let url: String
            let role: String
            let profession: String
            let active: Bool
            let state: String
        }
        let page: PageContext
        let action: String
        let text: String
        let roles: [Choice]
        let rows: [Row]
        let hasRows: Bool
        let resultsText: String
        let hasFilters: Bool
        let clearURL: String
        let pagination: CatalogueController.Pagination
        var duplicatesURL = AdminRoute.duplicates().path
    }

    func users(req: Request) async throws -> View {
        _ = try Self.requireAdmin(req)
        let query = UserQuery(parameters: (try? req.query.decode([String: String].self)) ?? [:])
        let total = try await Self.matching(query, on: req.db).count()
        let found = try await Self.matching(query, on: req.db).sort(\.$name).sort(\.$id)
            .range(((query.page - 1) * UserQuery.pageSize)..<(query.page * UserQuery.pageSize)).all()
        let rows = try found.map { user in
            UsersPage.Row(name: user.name, email: user.email, url: AdminRoute.user(id: try user.requireID()).path,
                          role: req.t("admin.role.\(user.role.rawValue)"), profession: req.t("profession.\(user.profession)"),
                          active: user.deactivatedAt == nil,
                          state: req.t(user.mergedInto != nil ? "merge.state.merged"
                                       : user.deactivatedAt == nil ? "admin.state.active" : "admin.state.deactivated"))
        }
        let pageCount = max(1, (total + UserQuery.pageSize - 1) / UserQuery.pageSize)
        return try await req.view.render("admin-users", UsersPage(
            page: PageContext(req, title: req.t("admin.users.title"), section: "workspace"),
            action: AdminRoute.users().path, text: query.text,
            roles: User.Role.allCases.map { Choice(value: $0.rawValue, label: req.t("admin.role.\($0.rawValue)"), selected: $0 == query.role) },
            rows: rows, hasRows: !rows.isEmpty,
            resultsText: total == 1 ? req.t("admin.users.one") : req.t("admin.users.count", String(total)),
            hasFilters: !query.text.isEmpty || query.role != nil, clearURL: AdminRoute.users().path,
            pagination: .around(min(query.page, pageCount), of: pageCount) { AdminRoute.users(query.onPage($0)).path }))
    }

    static func matching(_ query: UserQuery, on db: any Database) -> QueryBuilder<User> {
        var builder = User.query(on: db)
        if let role = query.role { builder = builder.filter(\.$role == role) }
        if !query.text.isEmpty {
            var escaped = ""
            for character in query.text.lowercased() {
                if "%_\\".contains(character) { escaped.append("\\") }
                escaped.append(character)
            }
            let pattern = "%" + escaped + "%"
            builder = builder.filter(.sql(embed: "(LOWER(\(ident: "name")) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(\(ident: "email")) LIKE \(bind: pattern) ESCAPE '\\')"))
        }
        return builder
    }

    // MARK: One person

    struct UserPage: Encodable {
        struct SessionRow: Encodable {
            let device: String
            let address: String?
            let lastSeen: String
            let endAction: String
        }
        struct EventRow: Encodable {
            let when: String
            let actor: String
            let action: String
            let reason: String?
        }
        let page: PageContext
        let notice: String?
        let error: String?
        let name: String
        let email: String
        let profession: String
        let registrationNumber: String?
        let role: String
        let roles: [Choice]
        let active: Bool
        let state: String
        let isSelf: Bool
        let roleAction: String
        let deactivateAction: String
        let reactivateAction: String
        let sessions: [SessionRow]
        let hasSessions: Bool
        let events: [EventRow]
        let hasEvents: Bool
        let usersURL: String
        let auditURL: String
        /// The account this one was merged into, with a link to it.
        var mergedInto: MergedLink? = nil
        var duplicatesURL: String? = nil
    }

    struct MergedLink: Encodable {
        let name: String
        let url: String
    }

    func user(req: Request) async throws -> View {
        let admin = try Self.requireAdmin(req)
        let target = try await Self.target(req)
        return try await render(req, target: target, admin: admin, error: nil)
    }

    private func render(_ req: Request, target: User, admin: User, error: String?) async throws -> View {
        let id = try target.requireID()
        let moment = { (date: Date) in
            BrusselsTime.day(date, language: req.language) + " " + BrusselsTime.clock(date, language: req.language)
        }
        let sessions = try await SignInSession.query(on: req.db).filter(\.$user.$id == id).filter(\.$endedAt == nil)
            .sort(\.$lastSeenAt, .descending).all()
        let events = try await AuditTrail(database: req.db).events(subjectType: "user", subjectID: id.uuidString)
        var mergedInto: MergedLink?
        if let keptID = target.mergedInto, let kept = try await User.find(keptID, on: req.db) {
            mergedInto = MergedLink(name: "\(kept.name) <\(kept.email)>", url: AdminRoute.user(id: keptID).path)
        }
        return try await req.view.render("admin-user", UserPage(
            page: PageContext(req, title: target.name, section: "workspace"),
            notice: req.takeNotice(), error: error,
            name: target.name, email: target.email, profession: req.t("profession.\(target.profession)"),
            registrationNumber: target.registrationNumber,
            role: req.t("admin.role.\(target.role.rawValue)"),
            roles: User.Role.allCases.map { Choice(value: $0.rawValue, label: req.t("admin.role.\($0.rawValue)"), selected: $0 == target.role) },
            active: target.deactivatedAt == nil,
            state: target.deactivatedAt.map { req.t("admin.state.deactivated.on", moment($0)) } ?? req.t("admin.state.active"),
            isSelf: target.id == admin.id,
            roleAction: AdminRoute.userRole(id: id).path, deactivateAction: AdminRoute.userDeactivate(id: id).path,
            reactivateAction: AdminRoute.userReactivate(id: id).path,
            sessions: try sessions.map {
                UserPage.SessionRow(device: $0.device.text(req.language), address: $0.address, lastSeen: moment($0.lastSeenAt),
                                    endAction: AdminRoute.userEndSession(id: id, session: try $0.requireID()).path)
            },
            hasSessions: !sessions.isEmpty,
            events: events.map {
                UserPage.EventRow(when: moment($0.createdAt), actor: $0.actorName, action: AuditLogController.actionText($0.action, req),
                                  reason: $0.reason)
            },
            hasEvents: !events.isEmpty,
            usersURL: AdminRoute.users().path, auditURL: AdminRoute.audit().path,
            mergedInto: mergedInto,
            duplicatesURL: target.mergedInto == nil ? AdminRoute.duplicates(of: id).path : nil))
    }

    static func target(_ req: Request) async throws -> User {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let user = try await User.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        return user
    }

    struct ChangeForm: Decodable {
        var role: String?
        var reason: String?
    }

    func changeRole(req: Request) async throws -> Response {
        let admin = try Self.requireAdmin(req)
        let target = try await Self.target(req)
        let form = try req.content.decode(ChangeForm.self)
        guard let role = form.role.flatMap(User.Role.init(rawValue:)) else {
            return try await refuse(req, target: target, admin: admin, key: "admin.error.role")
        }
        return try await perform(req, target: target, admin: admin, notice: "admin.notice.role") {
            try await UserAdministration(database: req.db).changeRole(of: target, to: role, by: admin, reason: form.reason ?? "")
        }
    }

    func deactivate(req: Request) async throws -> Response {
        let admin = try Self.requireAdmin(req)
        let target = try await Self.target(req)
        let form = try req.content.decode(ChangeForm.self)
        return try await perform(req, target: target, admin: admin, notice: "admin.notice.deactivated") {
            try await UserAdministration(database: req.db).deactivate(target, by: admin, reason: form.reason ?? "")
        }
    }

    func reactivate(req: Request) async throws -> Response {
        let admin = try Self.requireAdmin(req)
        let target = try await Self.target(req)
        let form = try req.content.decode(ChangeForm.self)
        return try await perform(req, target: target, admin: admin, notice: "admin.notice.reactivated") {
            try await UserAdministration(database: req.db).reactivate(target, by: admin, reason: form.reason ?? "")
        }
    }

    func endSession(req: Request) async throws -> Response {
        let admin = try Self.requireAdmin(req)
        let target = try await Self.target(req)
        guard let sessionID = req.parameters.get("session").flatMap(UUID.init(uuidString:)),
              try await UserAdministration(database: req.db).endSession(sessionID, of: target, by: admin) else {
            throw Abort(.notFound)
        }
        req.notice = req.t("admin.notice.session.ended")
        return req.redirect(to: .admin(.user(id: try target.requireID())))
    }

    private func perform(_ req: Request, target: User, admin: User, notice: String,
                         _ change: () async throws -> Void) async throws -> Response {
        do {
            try await change()
        } catch let refusal as UserAdministration.Refusal {
            let key = switch refusal {
            case .reasonMissing: "admin.error.reason"
            case .ownAccount: "admin.error.own"
            case .lastAdmin: "admin.error.last.admin"
            case .unchanged: "admin.error.unchanged"
            case .merged: "merge.error.reactivate"
            }
            // The change did not happen: show the page as it is, with what went wrong.
            let fresh = try await User.find(target.requireID(), on: req.db) ?? target
            return try await refuse(req, target: fresh, admin: admin, key: key)
        }
        req.notice = req.t(notice)
        return req.redirect(to: .admin(.user(id: try target.requireID())))
    }

    private func refuse(_ req: Request, target: User, admin: User, key: String) async throws -> Response {
        try await render(req, target: target, admin: admin, error: req.t(key)).encodeResponse(status: .unprocessableEntity, for: req)
    }
}
