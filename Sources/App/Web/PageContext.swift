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

    /// How to reach the academy, in the footer when admins gave it.
    struct Contact: Encodable {
        let email: String?
        let phone: String?
        let phoneLink: String?
        let url: String?
    }

    let lang: String
    let title: String
    let academyName: String
    let contact: Contact?
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
        let profile = request.application.siteProfile
        academyName = profile.academyName
        contact = profile.contactEmail == nil && profile.contactPhone == nil && profile.contactURL == nil ? nil
            : Contact(email: profile.contactEmail, phone: profile.contactPhone,
                      phoneLink: profile.contactPhone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } },
                      url: profile.contactURL)
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
