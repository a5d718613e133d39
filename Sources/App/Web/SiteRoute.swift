import Vapor

/// Every page of the site, in one place: handlers are registered from `pattern` and links are built from
/// `path`, so the two cannot drift apart (a test checks every case against the router).
enum SiteRoute: Sendable, Equatable {
    case catalogue(CatalogueQuery = .init())
    case course(slug: String)
    case enrol(slug: String)
    case unenrol(slug: String)
    case login(returnTo: String? = nil)
    case logout
    case register
    case forgotPassword
    case resetPassword(token: String)
    case profile
    case myLearning
    case language(Language, returnTo: String)
    /// A file of an imported course version; `path` is relative to the version's root ("pages/intro.html").
    case content(slug: String, version: Int, path: String)
    /// The trainer's package upload form (GET) and upload (POST).
    case trainerPackages
    /// A stored upload, by its random id: POST publishes it or saves it as a draft.
    case trainerUpload(id: String)
    /// The course player: the learner's resume point, or the given module.
    case player(slug: String, module: String? = nil)
    /// The player on one version of the course, for its managers (kept in their session; see `PlayerController`).
    case playerVersion(slug: String, version: Int)
    /// POST: progress of a native module (viewed, marked done, quiz answers, video watched).
    case moduleProgress(slug: String, module: String)
    /// POST (JSON): a batch of SCORM API calls from the player's adapter; GET: the attempt's current data.
    case scormRuntime(slug: String, module: String)
    /// POST, by a cmi5 AU: the one-time fetch URL of a launch session, answered with the xAPI auth token.
    case cmi5Fetch(token: String)
    /// Where a cmi5 AU sends the learner when it ends (LMS.LaunchData's returnURL): no new launch, links onward.
    case cmi5Closed(slug: String, module: String)
    /// The printable certificate of one of the learner's completions.
    case certificate(id: UUID)
    /// Public: does this verification code belong to a real record?
    case verify(code: String)
    /// Public: the form to type a code in (GET ?code= goes on to `verify`).
    case verifyLookup
    /// Setting up, confirming or (learners) turning off sign-in with an authenticator app.
    case twoFactor
    case twoFactorDisable
    /// The second step of signing in: the code from the authenticator app, or a recovery code.
    case loginCode
    /// The signed-in learner's own accreditation records as a file (?format=json|csv|csv-excel).
    case myRecords(format: RecordExportFormat = .json)
    /// The signed-in person's devices, and signing one or all others out (POST).
    case sessions
    case endSession(id: UUID)
    case endOtherSessions
    /// The staff workspace hub: links to every section the signed-in person may use.
    case workspace
    /// Areas of the workspace, each with its own typed routes (one file per area, nested here).
    case trainer(TrainerRoute)
    case boards(BoardAdminRoute)
    case partners(PartnerAdminRoute)
    case admin(AdminRoute)

    var path: String {
        switch self {
        case .catalogue(let query):
            let string = query.queryString
            return string.isEmpty ? "/" : "/?\(string)"
        case .course(let slug): return "/courses/\(Self.escape(slug))"
        case .enrol(let slug): return "/courses/\(Self.escape(slug))/enrol"
        case .unenrol(let slug): return "/courses/\(Self.escape(slug))/unenrol"
        case .login(let returnTo):
            guard let returnTo, Self.isLocal(returnTo) else { return "/login" }
            return "/login?return=\(CatalogueQuery.encode(returnTo))"
        case .logout: return "/logout"
        case .register: return "/register"
        case .forgotPassword: return "/password/forgot"
        case .resetPassword(let token): return "/password/reset/\(Self.escape(token))"
        case .profile: return "/profile"
        case .myLearning: return "/my-learning"
        case .language(let language, let returnTo):
            return "/language/\(language.rawValue)?return=\(CatalogueQuery.encode(Self.isLocal(returnTo) ? returnTo : "/"))"
        case .content(let slug, let version, let path):
            let file = path.split(separator: "/").map { Self.escape(String($0)) }.joined(separator: "/")
            return "/content/\(Self.escape(slug))/\(version)/\(file)"
        case .trainerPackages: return "/trainer/packages"
        case .trainerUpload(let id): return "/trainer/packages/\(Self.escape(id))"
        case .player(let slug, let module):
            guard let module else { return "/learn/\(Self.escape(slug))" }
            return "/learn/\(Self.escape(slug))/\(Self.escape(module))"
        case .playerVersion(let slug, let version): return "/learn/\(Self.escape(slug))?version=\(version)"
        case .moduleProgress(let slug, let module): return "/learn/\(Self.escape(slug))/\(Self.escape(module))/progress"
        case .scormRuntime(let slug, let module): return "/learn/\(Self.escape(slug))/\(Self.escape(module))/runtime"
        case .cmi5Fetch(let token): return "/cmi5/fetch/\(Self.escape(token))"
        case .cmi5Closed(let slug, let module): return "/learn/\(Self.escape(slug))/\(Self.escape(module))/closed"
        case .certificate(let id): return "/certificates/\(id.uuidString.lowercased())"
        case .verify(let code): return "/verify/\(Self.escape(code))"
        case .verifyLookup: return "/verify"
        case .twoFactor: return "/account/two-factor"
        case .twoFactorDisable: return "/account/two-factor/disable"
        case .loginCode: return "/login/code"
        case .myRecords(let format): return "/my-learning/records?format=\(format.rawValue)"
        case .sessions: return "/account/sessions"
        case .endSession(let id): return "/account/sessions/\(id.uuidString.lowercased())/end"
        case .endOtherSessions: return "/account/sessions/end-others"
        case .workspace: return "/workspace"
        case .trainer(let route): return route.path
        case .boards(let route): return route.path
        case .partners(let route): return route.path
        case .admin(let route): return route.path
        }
    }

    /// Route patterns for registration.
    enum Pattern {
        static let catalogue: [PathComponent] = []
        static let course: [PathComponent] = ["courses", ":slug"]
        static let enrol: [PathComponent] = ["courses", ":slug", "enrol"]
        static let unenrol: [PathComponent] = ["courses", ":slug", "unenrol"]
        static let login: [PathComponent] = ["login"]
        static let logout: [PathComponent] = ["logout"]
        static let register: [PathComponent] = ["register"]
        static let forgotPassword: [PathComponent] = ["password", "forgot"]
        static let resetPassword: [PathComponent] = ["password", "reset", ":token"]
        static let profile: [PathComponent] = ["profile"]
        static let myLearning: [PathComponent] = ["my-learning"]
        static let language: [PathComponent] = ["language", ":code"]
        static let content: [PathComponent] = ["content", ":slug", ":version", "**"]
        static let trainerPackages: [PathComponent] = ["trainer", "packages"]
        static let trainerUpload: [PathComponent] = ["trainer", "packages", ":upload"]
        static let player: [PathComponent] = ["learn", ":slug"]
        static let playerModule: [PathComponent] = ["learn", ":slug", ":module"]
        static let moduleProgress: [PathComponent] = ["learn", ":slug", ":module", "progress"]
        static let scormRuntime: [PathComponent] = ["learn", ":slug", ":module", "runtime"]
        static let cmi5Fetch: [PathComponent] = ["cmi5", "fetch", ":token"]
        static let cmi5Closed: [PathComponent] = ["learn", ":slug", ":module", "closed"]
        static let certificate: [PathComponent] = ["certificates", ":id"]
        static let verify: [PathComponent] = ["verify", ":code"]
        static let verifyLookup: [PathComponent] = ["verify"]
        static let twoFactor: [PathComponent] = ["account", "two-factor"]
        static let twoFactorDisable: [PathComponent] = ["account", "two-factor", "disable"]
        static let loginCode: [PathComponent] = ["login", "code"]
        static let myRecords: [PathComponent] = ["my-learning", "records"]
        static let workspace: [PathComponent] = ["workspace"]
        static let sessions: [PathComponent] = ["account", "sessions"]
        static let endSession: [PathComponent] = ["account", "sessions", ":id", "end"]
        static let endOtherSessions: [PathComponent] = ["account", "sessions", "end-others"]
    }

    /// Only paths on this site may be redirected to ("/x", never "//evil.example" or "https://...").
    static func isLocal(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\") && !path.contains("\r") && !path.contains("\n")
    }

    static func escape(_ component: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return component.addingPercentEncoding(withAllowedCharacters: allowed) ?? component
    }
}

extension Request {
    func redirect(to route: SiteRoute) -> Response {
        redirect(to: route.path, redirectType: .normal)
    }
}
