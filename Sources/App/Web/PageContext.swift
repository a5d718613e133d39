import Vapor

/// What the layout needs on every page: language, the signed-in person, navigation and the CSRF token.
struct PageContext: Encodable {
    struct LanguageLink: Encodable {
        let code: String
        let name: String
        let url: String
        let current: Bool
    }

    struct Navigation: Encodable {
        let catalogue = SiteRoute.catalogue().path
        let myLearning = SiteRoute.myLearning.path
        let profile = SiteRoute.profile.path
        let login: String
        let register = SiteRoute.register.path
        let logout = SiteRoute.logout.path
        let trainerPackages = SiteRoute.trainerPackages.path
        let workspace = SiteRoute.workspace.path
        let twoFactor = SiteRoute.twoFactor.path
        let sessions = SiteRoute.sessions.path
    }

    let lang: String
    let title: String
    let academyName: String
    let csrf: String
    let userName: String?
    /// Trainers and admins see the link to the upload page.
    let canPublish: Bool
    let nav: Navigation
    let languages: [LanguageLink]
    let section: String

    init(_ request: Request, title: String, section: String = "") {
        let here = request.url.string
        lang = request.language.rawValue
        self.title = title
        academyName = request.application.academySettings.academyName
        csrf = request.csrfToken
        let user = request.auth.get(User.self)
        userName = user?.name
        canPublish = user.map { $0.role == .trainer || $0.role == .admin } ?? false
        nav = Navigation(login: SiteRoute.login(returnTo: section == "login" ? nil : here).path)
        languages = Language.allCases.map {
            LanguageLink(code: $0.rawValue, name: $0.endonym, url: SiteRoute.language($0, returnTo: here).path,
                         current: $0 == request.language)
        }
        self.section = section
    }
}
