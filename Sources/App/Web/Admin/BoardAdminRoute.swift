import Vapor

/// Pages of the care boards, memberships and groups (admins; board staff for their own board), under /admin/boards
/// and /admin/groups, and the trainers' enrolment desk of a course under /enrolments/:slug.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum BoardAdminRoute: Sendable, Equatable {
    /// Which memberships a board's page lists.
    enum MembershipFilter: String, Sendable, Equatable, CaseIterable {
        /// Valid today or starting later.
        case current
        /// Ended before today.
        case ended
        case all
    }

    /// Every board (admins) or the boards the person is staff of.
    case boards
    case board(code: String, filter: MembershipFilter = .current)
    /// GET: the form to add a membership; POST: add it.
    case newMembership(code: String)
    /// GET: the form to change role, cluster and validity; POST: save.
    case membership(code: String, id: UUID)
    /// POST: the membership's last day becomes yesterday, so access that depended on it ends now.
    case endMembership(code: String, id: UUID)
    /// Admins: upload or paste a membership file (GET form, POST dry-run report).
    case importMemberships
    /// Admins: POST the file again to write it, all or nothing.
    case applyImport
    /// Admins: every membership as CSV.
    case exportMemberships
    /// One board's memberships as CSV (admins and that board's staff).
    case exportBoard(code: String)

    /// Access groups (cohorts), admins only.
    case groups
    case group(key: String)
    /// POST: new names for a group (its key stays: rules name it).
    case renameGroup(key: String)
    /// POST: add members by e-mail (one or many, pasted).
    case addGroupMembers(key: String)
    /// POST: remove one member.
    case removeGroupMember(key: String, userID: UUID)

    /// The enrolments of one course, for its owners and admins: list, enrol by hand, unenrol.
    case enrolments(slug: String)
    /// POST: the dry-run report of a pasted or uploaded list of e-mail addresses.
    case checkEnrolments(slug: String)
    /// POST: enrol the list, all or nothing.
    case applyEnrolments(slug: String)
    /// POST: withdraw one person (`user` field).
    case withdrawEnrolment(slug: String)

    var path: String {
        switch self {
        case .boards: return "/admin/boards"
        case .board(let code, let filter):
            let base = "/admin/boards/\(SiteRoute.escape(code))"
            return filter == .current ? base : base + "?show=\(filter.rawValue)"
        case .newMembership(let code): return "/admin/boards/\(SiteRoute.escape(code))/memberships/new"
        case .membership(let code, let id): return "/admin/boards/\(SiteRoute.escape(code))/memberships/\(id.uuidString.lowercased())"
        case .endMembership(let code, let id):
            return "/admin/boards/\(SiteRoute.escape(code))/memberships/\(id.uuidString.lowercased())/end"
        case .importMemberships: return "/admin/boards/import"
        case .applyImport: return "/admin/boards/import/apply"
        case .exportMemberships: return "/admin/boards/export.csv"
        case .exportBoard(let code): return "/admin/boards/\(SiteRoute.escape(code))/export.csv"
        case .groups: return "/admin/groups"
        case .group(let key): return "/admin/groups/\(SiteRoute.escape(key))"
        case .renameGroup(let key): return "/admin/groups/\(SiteRoute.escape(key))/rename"
        case .addGroupMembers(let key): return "/admin/groups/\(SiteRoute.escape(key))/members"
        case .removeGroupMember(let key, let userID):
            return "/admin/groups/\(SiteRoute.escape(key))/members/\(userID.uuidString.lowercased())/remove"
        case .enrolments(let slug): return "/enrolments/\(SiteRoute.escape(slug))"
        case .checkEnrolments(let slug): return "/enrolments/\(SiteRoute.escape(slug))/check"
        case .applyEnrolments(let slug): return "/enrolments/\(SiteRoute.escape(slug))/apply"
        case .withdrawEnrolment(let slug): return "/enrolments/\(SiteRoute.escape(slug))/withdraw"
        }
    }

    enum Pattern {
        static let boards: [PathComponent] = ["admin", "boards"]
        static let board: [PathComponent] = ["admin", "boards", ":code"]
        static let newMembership: [PathComponent] = ["admin", "boards", ":code", "memberships", "new"]
        static let membership: [PathComponent] = ["admin", "boards", ":code", "memberships", ":id"]
        static let endMembership: [PathComponent] = ["admin", "boards", ":code", "memberships", ":id", "end"]
        static let importMemberships: [PathComponent] = ["admin", "boards", "import"]
        static let applyImport: [PathComponent] = ["admin", "boards", "import", "apply"]
        static let exportMemberships: [PathComponent] = ["admin", "boards", "export.csv"]
        static let exportBoard: [PathComponent] = ["admin", "boards", ":code", "export.csv"]
        static let groups: [PathComponent] = ["admin", "groups"]
        static let group: [PathComponent] = ["admin", "groups", ":key"]
        static let renameGroup: [PathComponent] = ["admin", "groups", ":key", "rename"]
        static let addGroupMembers: [PathComponent] = ["admin", "groups", ":key", "members"]
        static let removeGroupMember: [PathComponent] = ["admin", "groups", ":key", "members", ":user", "remove"]
        static let enrolments: [PathComponent] = ["enrolments", ":slug"]
        static let checkEnrolments: [PathComponent] = ["enrolments", ":slug", "check"]
        static let applyEnrolments: [PathComponent] = ["enrolments", ":slug", "apply"]
        static let withdrawEnrolment: [PathComponent] = ["enrolments", ":slug", "withdraw"]
    }
}
