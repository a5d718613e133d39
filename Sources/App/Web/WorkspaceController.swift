import Fluent
import Vapor

/// The staff workspace hub: one page linking to every section the signed-in person may use, so that
/// trainers, admins and care-board staff find their tools without knowing addresses.
struct WorkspaceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(SignedInMiddleware()).get(SiteRoute.Pattern.workspace, use: hub)
    }

    struct Section: Encodable, Equatable {
        let title: String
        let text: String
        let url: String
    }

    struct HubPage: Encodable {
        let page: PageContext
        let sections: [Section]
        let hasSections: Bool
    }

    /// What each kind of person finds in the workspace, most used first.
    enum Entry: String, CaseIterable {
        case courses, packages, packageTokens, boards, groups, partners, users, audit, settings

        var route: SiteRoute {
            switch self {
            case .courses: .trainer(.courses)
            case .packages: .trainerPackages
            case .packageTokens: .trainer(.packageTokens)
            case .boards: .boards(.boards)
            case .groups: .boards(.groups)
            case .partners: .partners(.partners)
            case .users: .admin(.users())
            case .audit: .admin(.audit())
            case .settings: .admin(.settings)
            }
        }

        static func visible(role: User.Role, boardStaff: Bool) -> [Entry] {
            switch role {
            case .admin: allCases
            case .trainer: [.courses, .packages, .packageTokens] + (boardStaff ? [.boards] : [])
            case .learner: boardStaff ? [.boards] : []
            }
        }
    }

    func hub(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let boardStaff = try await Self.isBoardStaff(user, on: req.db)
        let entries = Entry.visible(role: user.role, boardStaff: boardStaff)
        guard !entries.isEmpty else { throw Abort(.forbidden) }
        let sections = entries.map {
            Section(title: req.t("hub.\($0.rawValue)"), text: req.t("hub.\($0.rawValue).text"), url: $0.route.path)
        }
        return try await req.view.render("workspace", HubPage(
            page: PageContext(req, title: req.t("hub.title"), section: "workspace"),
            sections: sections, hasSections: !sections.isEmpty)).encodeResponse(for: req)
    }

    /// Staff of a care board (a membership valid today) manage their own board's memberships.
    static func isBoardStaff(_ user: User, on db: any Database) async throws -> Bool {
        guard let userID = user.id else { return false }
        let memberships = try await CourseAccess.memberships(of: userID, on: db)
        return !BoardPermissions(isAdmin: false, memberships: memberships, today: CalendarDay(Date())).staffOf.isEmpty
    }
}
