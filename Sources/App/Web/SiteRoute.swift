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
