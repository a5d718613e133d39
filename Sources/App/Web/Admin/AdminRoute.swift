import Vapor

/// Pages of the platform administration (users, their sessions, the audit log), under /admin.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum AdminRoute: Sendable, Equatable {
    case users(UserQuery = .init())
    case user(id: UUID)
    /// POST: a new role, with a reason.
    case userRole(id: UUID)
    /// POST: deactivate or reactivate the account, with a reason.
    case userDeactivate(id: UUID)
    case userReactivate(id: UUID)
    /// POST: end one of the person's sign-in sessions.
    case userEndSession(id: UUID, session: UUID)
    case audit(AuditQuery = .init())
    case auditCSV(AuditQuery = .init())
    /// The academy's name and contact (GET, POST) and the state of its mail.
    case settings
    /// POST: queue a test mail to the signed-in admin.
    case settingsTestMail
    /// Accounts that look like one person's (shared address, mailbox or registration number); `of` narrows
    /// the list to one account's.
    case duplicates(of: UUID? = nil)
    /// GET: what merging `merge` into `keep` would move; POST (to `.merge`): do it.
    case mergePreview(keep: UUID, merge: UUID)
    case merge

    var path: String {
        switch self {
        case .users(let query): return "/admin/users" + Self.suffix(query.queryString)
        case .user(let id): return "/admin/users/\(id.uuidString.lowercased())"
        case .userRole(let id): return "/admin/users/\(id.uuidString.lowercased())/role"
        case .userDeactivate(let id): return "/admin/users/\(id.uuidString.lowercased())/deactivate"
        case .userReactivate(let id): return "/admin/users/\(id.uuidString.lowercased())/reactivate"
        case .userEndSession(let id, let session):
            return "/admin/users/\(id.uuidString.lowercased())/sessions/\(session.uuidString.lowercased())/end"
        case .audit(let query): return "/admin/audit" + Self.suffix(query.queryString)
        case .auditCSV(let query): return "/admin/audit.csv" + Self.suffix(query.queryString(paged: false))
        case .settings: return "/admin/settings"
        case .settingsTestMail: return "/admin/settings/test-mail"
        case .duplicates(let of): return "/admin/duplicates" + (of.map { "?user=" + $0.uuidString.lowercased() } ?? "")
        case .mergePreview(let keep, let merge):
            return "/admin/merge?keep=\(keep.uuidString.lowercased())&merge=\(merge.uuidString.lowercased())"
        case .merge: return "/admin/merge"
        }
    }

    private static func suffix(_ query: String) -> String { query.isEmpty ? "" : "?" + query }

    enum Pattern {
        static let users: [PathComponent] = ["admin", "users"]
        static let user: [PathComponent] = ["admin", "users", ":id"]
        static let userRole: [PathComponent] = ["admin", "users", ":id", "role"]
        static let userDeactivate: [PathComponent] = ["admin", "users", ":id", "deactivate"]
        static let userReactivate: [PathComponent] = ["admin", "users", ":id", "reactivate"]
        static let userEndSession: [PathComponent] = ["admin", "users", ":id", "sessions", ":session", "end"]
        static let audit: [PathComponent] = ["admin", "audit"]
        static let auditCSV: [PathComponent] = ["admin", "audit.csv"]
        static let settings: [PathComponent] = ["admin", "settings"]
        static let settingsTestMail: [PathComponent] = ["admin", "settings", "test-mail"]
        static let duplicates: [PathComponent] = ["admin", "duplicates"]
        static let merge: [PathComponent] = ["admin", "merge"]
    }
}

/// The admin's user list: a search over name and e-mail, a role, a page.
struct UserQuery: Sendable, Equatable {
    static let pageSize = 50
    var text = ""
    var role: User.Role?
    var page = 1

    init(text: String = "", role: User.Role? = nil, page: Int = 1) {
        self.text = text
        self.role = role
        self.page = max(page, 1)
    }

    init(parameters: [String: String]) {
        text = String((parameters["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        role = parameters["role"].flatMap(User.Role.init(rawValue:))
        page = max(Int(parameters["page"] ?? "") ?? 1, 1)
    }

    var queryString: String {
        var items: [(String, String)] = []
        if !text.isEmpty { items.append(("q", text)) }
        if let role { items.append(("role", role.rawValue)) }
        if page > 1 { items.append(("page", String(page))) }
        return items.map { "\($0.0)=\(CatalogueQuery.encode($0.1))" }.joined(separator: "&")
    }

    func onPage(_ number: Int) -> UserQuery { UserQuery(text: text, role: role, page: number) }
}

/// The audit log's filters: what happened (an action or its prefix, "user." for every change to a user),
/// who did it (part of a name or e-mail), from and until which day (Brussels).
struct AuditQuery: Sendable, Equatable {
    static let pageSize = 50
    var action = ""
    var actor = ""
    var from: CalendarDay?
    var until: CalendarDay?
    var page = 1

    init(action: String = "", actor: String = "", from: CalendarDay? = nil, until: CalendarDay? = nil, page: Int = 1) {
        self.action = action
        self.actor = actor
        self.from = from
        self.until = until
        self.page = max(page, 1)
    }

    init(parameters: [String: String]) {
        action = String((parameters["action"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        actor = String((parameters["actor"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        from = parameters["from"].flatMap(CalendarDay.init(iso:))
        until = parameters["until"].flatMap(CalendarDay.init(iso:))
        page = max(Int(parameters["page"] ?? "") ?? 1, 1)
    }

    func queryString(paged: Bool = true) -> String {
        var items: [(String, String)] = []
        if !action.isEmpty { items.append(("action", action)) }
        if !actor.isEmpty { items.append(("actor", actor)) }
        if let from { items.append(("from", from.iso)) }
        if let until { items.append(("until", until.iso)) }
        if paged && page > 1 { items.append(("page", String(page))) }
        return items.map { "\($0.0)=\(CatalogueQuery.encode($0.1))" }.joined(separator: "&")
    }

    var queryString: String { queryString() }

    func onPage(_ number: Int) -> AuditQuery { AuditQuery(action: action, actor: actor, from: from, until: until, page: number) }

    var hasFilters: Bool { !action.isEmpty || !actor.isEmpty || from != nil || until != nil }
}
