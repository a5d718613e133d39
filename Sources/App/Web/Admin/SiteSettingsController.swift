import Fluent
import Vapor

/// Site settings for admins: the academy's name and how people reach it (shown in every page's header and
/// footer), saved in the database and audited; and the state of the academy's mail. The SMTP server and the
/// sender stay in the environment (ACADEMY_SMTP_URL, ACADEMY_MAIL_FROM): its password must not sit in the
/// database or pass through a browser; the page shows what is configured and can send a test mail.
struct SiteSettingsController: RouteCollection {
    static let action = "site.settings-changed"

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(AdminRoute.Pattern.settings, use: show)
        signedIn.post(AdminRoute.Pattern.settings, use: save)
        signedIn.post(AdminRoute.Pattern.settingsTestMail, use: testMail)
    }

    struct SettingsPage: Encodable {
        struct Field: Encodable {
            let name: String
            let label: String
            let value: String
            let type: String
            let autocomplete: String
            let hint: String?
            let error: String?
        }
        struct Fact: Encodable {
            let label: String
            let value: String
        }
        let page: PageContext
        let notice: String?
        let hasErrors: Bool
        let action: String
        let fields: [Field]
        let mailFacts: [Fact]
        let mailWarning: String?
        let testMailAction: String
        let testMailText: String
    }

    struct Form: Content {
        var academyName: String?
        var contactEmail: String?
        var contactPhone: String?
        var contactURL: String?
    }

    func show(req: Request) async throws -> View {
        _ = try UserAdminController.requireAdmin(req)
        let profile = req.application.siteProfile
        let form = SiteProfile.Form(academyName: profile.academyName, contactEmail: profile.contactEmail ?? "",
                                    contactPhone: profile.contactPhone ?? "", contactURL: profile.contactURL ?? "")
        return try await render(req, form: form, problems: [:])
    }

    func save(req: Request) async throws -> Response {
        let admin = try UserAdminController.requireAdmin(req)
        let posted = try req.content.decode(Form.self)
        let form = SiteProfile.Form(academyName: posted.academyName ?? "", contactEmail: posted.contactEmail ?? "",
                                    contactPhone: posted.contactPhone ?? "", contactURL: posted.contactURL ?? "")
        switch form.validated() {
        case .failure(let problems):
            return try await render(req, form: form, problems: problems.fields).encodeResponse(status: .unprocessableEntity, for: req)
        case .success(let profile):
            let before = req.application.siteProfile
            let now = Date()
            try await req.db.transaction { db in
                let row = try await SiteProfileRow.query(on: db).first() ?? SiteProfileRow()
                row.apply(profile, at: now)
                try await row.save(on: db)
                if before != profile {
                    try await AuditTrail(database: db).record(actor: admin, action: Self.action, subjectType: "site",
                                                              subjectID: "profile", before: before, after: profile, reason: nil, at: now)
                }
            }
            req.application.siteProfiles.remember(profile, at: now)
            req.notice = req.t("site.saved")
            return req.redirect(to: .admin(.settings))
        }
    }

    func testMail(req: Request) async throws -> Response {
        let admin = try UserAdminController.requireAdmin(req)
        let name = req.application.siteProfile.academyName
        try await req.mailer.send(to: admin.email, subject: req.t("site.mail.test.subject", name),
                                  body: req.t("site.mail.test.body", admin.name, name))
        req.notice = req.t("site.mail.test.queued", admin.email)
        return req.redirect(to: .admin(.settings))
    }

    private func render(_ req: Request, form: SiteProfile.Form, problems: [String: String]) async throws -> View {
        func field(_ name: String, _ value: String, type: String, autocomplete: String, hint: Bool = false) -> SettingsPage.Field {
            SettingsPage.Field(name: name, label: req.t("site.field.\(name)"), value: value, type: type, autocomplete: autocomplete,
                               hint: hint ? req.t("site.field.\(name).hint") : nil, error: problems[name].map { req.t($0) })
        }
        let settings = req.application.academySettings
        var facts: [SettingsPage.Fact] = []
        var warning: String?
        if let url = settings.smtpURL, let smtp = try? SMTPSettings(url: url, trustedCertificatesFile: settings.smtpTrustedCertificatesFile) {
            facts.append(.init(label: req.t("site.mail.server"), value: "\(smtp.host):\(smtp.port)"))
            facts.append(.init(label: req.t("site.mail.security"), value: req.t("site.mail.security.\(smtp.security.rawValue)")))
        } else {
            warning = req.t("site.mail.none")
        }
        facts.append(.init(label: req.t("site.mail.from"), value: settings.mailFrom))
        let waiting = try await OutboxMail.query(on: req.db).filter(\.$sentAt == nil)
            .filter(\.$attempts < OutboxDelivery.maximumAttempts).count()
        let failed = try await OutboxMail.query(on: req.db).filter(\.$sentAt == nil)
            .filter(\.$attempts >= OutboxDelivery.maximumAttempts).count()
        let sentToday = try await OutboxMail.query(on: req.db).filter(\.$sentAt >= Date().addingTimeInterval(-86_400)).count()
        facts.append(.init(label: req.t("site.mail.waiting"), value: String(waiting)))
        facts.append(.init(label: req.t("site.mail.failed"), value: String(failed)))
        facts.append(.init(label: req.t("site.mail.sent"), value: String(sentToday)))
        if let last = try await OutboxMail.query(on: req.db).filter(\.$lastError != nil).sort(\.$createdAt, .descending).first(),
           let error = last.lastError {
            facts.append(.init(label: req.t("site.mail.last.error"), value: error))
        }
        return try await req.view.render("admin-settings", SettingsPage(
            page: PageContext(req, title: req.t("site.title"), section: "workspace"),
            notice: req.takeNotice(), hasErrors: !problems.isEmpty,
            action: SiteRoute.admin(.settings).path,
            fields: [
                field("academyName", form.academyName, type: "text", autocomplete: "organization"),
                field("contactEmail", form.contactEmail, type: "email", autocomplete: "email", hint: true),
                field("contactPhone", form.contactPhone, type: "tel", autocomplete: "tel", hint: true),
                field("contactURL", form.contactURL, type: "url", autocomplete: "url", hint: true),
            ],
            mailFacts: facts, mailWarning: warning,
            testMailAction: SiteRoute.admin(.settingsTestMail).path,
            testMailText: req.t("site.mail.test.text", (try? req.auth.require(User.self).email) ?? "")))
    }
}
