import Vapor

/// The cmi5 fetch URL (cmi5 8.2): POST /cmi5/fetch/:token hands the AU its auth token once. Always 200 with
/// JSON, as the spec asks: {"auth-token": "..."} the first time, {"error-code": "1", "error-text": ...} after
/// that or once the session ended, "2" for a token that was never issued. Called by content, without the
/// session cookie or a CSRF token (the CSRF middleware lets /cmi5/fetch/ through).
struct Cmi5LaunchController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(SiteRoute.Pattern.cmi5Fetch, use: fetch)
        routes.grouped(SignedInMiddleware()).get(SiteRoute.Pattern.cmi5Closed, use: closed)
    }

    struct ClosedPage: Encodable {
        let page: PageContext
        let moduleTitle: String
        let contentLanguage: String
        let againURL: String
        let nextURL: String?
        let courseURL: String
    }

    /// The returnURL of LMS.LaunchData: an AU that ends lands here, in the player's frame or its own window.
    /// It launches nothing (the player page would start a new session at once); its links go on in the top window.
    func closed(req: Request) async throws -> Response {
        let seat: PlayerController.Seat
        do {
            seat = try await PlayerController.seat(req)
        } catch is PlayerController.NotEnrolled {
            throw Abort(.forbidden, reason: "player-not-enrolled")
        }
        let key = req.parameters.get("module") ?? ""
        guard let module = seat.module(key) else { throw Abort(.notFound) }
        let playable = seat.playable
        let next = playable.firstIndex { $0.key == key }.flatMap { $0 + 1 < playable.count ? playable[$0 + 1] : nil }
        let lang = req.language.rawValue
        let context = ClosedPage(
            page: PageContext(req, title: req.t("cmi5.closed.title"), section: "learning"),
            moduleTitle: module.title.text(in: lang) ?? module.key, contentLanguage: seat.version.language,
            againURL: SiteRoute.player(slug: seat.course.slug, module: key).path,
            nextURL: next.map { SiteRoute.player(slug: seat.course.slug, module: $0.key).path },
            courseURL: SiteRoute.course(slug: seat.course.slug).path)
        return try await req.view.render("cmi5-closed", context).encodeResponse(for: req)
    }

    func fetch(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let answer: Cmi5Runtime.FetchAnswer
        do {
            answer = try await Cmi5Runtime(database: req.db, baseURL: req.application.academySettings.baseURL).fetch(token)
        } catch {
            req.logger.error("cmi5 fetch failed: \(String(reflecting: error))")
            answer = .error(code: "3", text: "The academy could not issue a token just now; launch the AU again.")
        }
        let body: JSONValue
        switch answer {
        case .token(let token): body = .object(["auth-token": .string(token)])
        case .error(let code, let text): body = .object(["error-code": .string(code), "error-text": .string(text)])
        }
        return XAPIController.json(body)
    }
}

/// What the player page needs to run one cmi5 AU (templates/partials/cmi5-frame.leaf). Making it launches
/// the AU: every page view is a new cmi5 session (an open one of the same AU is abandoned).
struct Cmi5Frame: Encodable, Sendable {
    let launchURL: String
    /// launchMethod OwnWindow: a button opens the AU in a window of its own instead of the frame.
    let ownWindow: Bool
    /// Launched in Review mode: the learner's result stands, the page says so.
    let reviewing: Bool

    static func make(req: Request, course: Course, version: CourseVersion, module: CourseModule,
                     enrolment: Enrolment) async throws -> Cmi5Frame {
        let base = Cmi5Launch(baseURL: req.application.academySettings.baseURL).baseURL
        let launch = module.launch ?? ""
        let auURL = PackagePath.isAbsoluteURL(launch)
            ? launch : base + ScormFrame.launchURL(slug: course.slug, version: version.number, launch: launch)
        let launched = try await Cmi5Runtime(database: req.db, baseURL: base).launch(
            enrolment: enrolment, course: course, module: module, auURL: auURL,
            returnURL: base + SiteRoute.cmi5Closed(slug: course.slug, module: module.key).path,
            fetchURL: { base + SiteRoute.cmi5Fetch(token: $0).path })
        if launched.satisfactionChanged {
            try await req.completionRecorder().attemptChanged(enrolmentID: try enrolment.requireID())
        }
        return Cmi5Frame(launchURL: launched.launchURL, ownWindow: module.runtime.cmi5?.launchMethod == "OwnWindow",
                         reviewing: launched.mode == .review)
    }
}
