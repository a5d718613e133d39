import Fluent
import Vapor

/// The signed-in person's devices: where the account is signed in, and signing any of them out.
struct SessionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(SiteRoute.Pattern.sessions, use: list)
        signedIn.post(SiteRoute.Pattern.endSession, use: end)
        signedIn.post(SiteRoute.Pattern.endOtherSessions, use: endOthers)
    }

    struct SessionsPage: Encodable {
        struct Row: Encodable {
            let device: String
            let address: String?
            let started: String
            let lastSeen: String
            let current: Bool
            let endAction: String
        }
        let page: PageContext
        let notice: String?
        let rows: [Row]
        let hasOthers: Bool
        let endOthersAction: String
    }

    func list(req: Request) async throws -> View {
        let user = try req.auth.require(User.self)
        let sessions = try await req.signInSessions.active(of: user.requireID())
        let current = req.signInSessionID
        let moment = { (date: Date) in
            BrusselsTime.day(date, language: req.language) + " " + BrusselsTime.clock(date, language: req.language)
        }
        let rows = try sessions.map { session in
            SessionsPage.Row(device: session.device.text(req.language), address: session.address,
                             started: moment(session.createdAt), lastSeen: moment(session.lastSeenAt),
                             current: session.id == current,
                             endAction: SiteRoute.endSession(id: try session.requireID()).path)
        }.sorted { $0.current && !$1.current }
        return try await req.view.render("sessions", SessionsPage(
            page: PageContext(req, title: req.t("sessions.title"), section: "profile"),
            notice: req.takeNotice(), rows: rows, hasOthers: rows.contains { !$0.current },
            endOthersAction: SiteRoute.endOtherSessions.path))
    }

    func end(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              try await req.signInSessions.end(id, of: user.requireID()) else {
            throw Abort(.notFound)
        }
        if id == req.signInSessionID {
            req.auth.logout(User.self)
            req.session.destroy()
            return req.redirect(to: .login())
        }
        req.notice = req.t("sessions.ended")
        return req.redirect(to: .sessions)
    }

    func endOthers(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        try await req.signInSessions.endAll(of: user.requireID(), keeping: req.signInSessionID)
        req.notice = req.t("sessions.ended.others")
        return req.redirect(to: .sessions)
    }
}
