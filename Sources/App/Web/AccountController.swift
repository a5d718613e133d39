import Crypto
import Fluent
import Vapor

/// Registration, sign-in and out, password reset and the profile.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.Pattern.login, use: showLogin)
        routes.post(SiteRoute.Pattern.login, use: login)
        routes.post(SiteRoute.Pattern.logout, use: logout)
        routes.get(SiteRoute.Pattern.register, use: showRegister)
        routes.post(SiteRoute.Pattern.register, use: register)
        routes.get(SiteRoute.Pattern.forgotPassword, use: showForgotPassword)
        routes.post(SiteRoute.Pattern.forgotPassword, use: forgotPassword)
        routes.get(SiteRoute.Pattern.resetPassword, use: showResetPassword)
        routes.post(SiteRoute.Pattern.resetPassword, use: resetPassword)
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(SiteRoute.Pattern.profile, use: showProfile)
        signedIn.post(SiteRoute.Pattern.profile, use: updateProfile)
    }

    // MARK: Sign in

    struct LoginPage: Encodable {
        let page: PageContext
        let action: String
        let email: FormField
        let error: String?
        let notice: String?
        let registerURL: String
        let forgotURL: String
    }

    struct LoginForm: Content {
        var email: String?
        var password: String?
    }

    func showLogin(req: Request) async throws -> View {
        if req.auth.has(User.self) { throw Abort.redirect(to: SiteRoute.myLearning.path) }
        return try await renderLogin(req, email: "", error: nil)
    }

    private func renderLogin(_ req: Request, email: String, error: String?) async throws -> View {
        let returnTo = try? req.query.get(String.self, at: "return")
        let context = LoginPage(page: PageContext(req, title: req.t("login.title"), section: "login"),
                                action: SiteRoute.login(returnTo: returnTo).path,
                                email: FormField("email", value: email, request: req), error: error,
                                notice: req.takeNotice(), registerURL: SiteRoute.register.path,
                                forgotURL: SiteRoute.forgotPassword.path)
        return try await req.view.render("login", context)
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let emailText = form.email ?? ""
        let throttle = LoginThrottle(database: req.db)
        let now = Date()
        let accountKey = "account:\(EmailAddress(emailText)?.value ?? emailText.lowercased())"
        let addressKey = "address:\(req.remoteAddress?.ipAddress ?? "unknown")"
        if let until = try await throttle.lockedUntil(keys: [accountKey, addressKey], now: now) {
            let time = BrusselsTime.clock(until, language: req.language)
            let view = try await renderLogin(req, email: emailText, error: req.t("login.error.locked", time))
            return try await view.encodeResponse(status: .tooManyRequests, for: req)
        }
        let delay = try await throttle.delay(keys: [accountKey, addressKey], now: now)
        if delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }

        if let email = EmailAddress(emailText), let password = form.password,
           let user = try await User.query(on: req.db).filter(\.$email == email.value).first(),
           user.deactivatedAt == nil,
           try await req.password.async.verify(password, created: user.passwordHash) {
            try await throttle.clear(key: accountKey)
            try await req.renewSession()
            let returnTo = (try? req.query.get(String.self, at: "return")).flatMap { SiteRoute.isLocal($0) ? $0 : nil }
            if let credential = try await TwoFactorController.credential(of: user.requireID(), on: req.db),
               credential.confirmedAt != nil {
                // Signed in only after the code from the authenticator app.
                req.session.data[TwoFactorController.pendingUserKey] = try user.requireID().uuidString
                req.session.data[TwoFactorController.pendingReturnKey] = returnTo
                return req.redirect(to: .loginCode)
            }
            req.auth.login(user)
            req.session.authenticate(user)
            try await req.signInSessions.start(for: user, on: req)
            return req.redirect(to: returnTo ?? SiteRoute.myLearning.path, redirectType: .normal)
        }
        try await throttle.recordFailure(keys: [accountKey, addressKey], now: now)
        var hint: String?
        if let email = EmailAddress(emailText), let password = form.password {
            hint = try await AccountMergeController.signInHint(email: email, password: password, req)
        }
        let view = try await renderLogin(req, email: emailText, error: hint ?? req.t("login.error.credentials"))
        return try await view.encodeResponse(status: .unauthorized, for: req)
    }

    func logout(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.unauthenticate(User.self)
        req.session.destroy()
        return req.redirect(to: .catalogue())
    }

    // MARK: Register

    struct AccountPage: Encodable {
        let page: PageContext
        let action: String
        let name: FormField
        let email: FormField
        let password: FormField
        let profession: FormField
        let professions: [Choice]
        let registrationNumber: FormField
        let askNumberConfirmation: Bool
        let hasErrors: Bool
        let notice: String?
        let loginURL: String
    }

    struct AccountFormData: Content {
        var name: String?
        var email: String?
        var password: String?
        var profession: String?
        var registrationNumber: String?
        var confirmRegistrationNumber: String?

        var input: AccountInput {
            AccountInput(name: name ?? "", email: email ?? "", password: password ?? "", profession: profession ?? "",
                         registrationNumber: registrationNumber ?? "",
                         confirmRegistrationNumber: confirmRegistrationNumber != nil)
        }
    }

    func showRegister(req: Request) async throws -> View {
        try await renderAccountForm(req, template: "register", title: "register.title", action: SiteRoute.register.path,
                                    input: AccountInput(name: "", email: "", password: nil, profession: "",
                                                        registrationNumber: "", confirmRegistrationNumber: false),
                                    outcome: nil)
    }

    private func renderAccountForm(_ req: Request, template: String, title: String, action: String, input: AccountInput,
                                   outcome: AccountValidation.Outcome?, notice: String? = nil) async throws -> View {
        let problems = outcome?.problems ?? []
        let context = AccountPage(
            page: PageContext(req, title: req.t(title), section: template),
            action: action,
            name: FormField("name", value: input.name, problems: problems, request: req),
            email: FormField("email", value: input.email, problems: problems, request: req),
            password: FormField("password", problems: problems, request: req),
            profession: FormField("profession", value: input.profession, problems: problems, request: req),
            professions: req.professionChoices(selected: input.profession),
            registrationNumber: FormField("registrationNumber", value: input.registrationNumber, problems: problems,
                                          request: req),
            askNumberConfirmation: outcome?.needsNumberConfirmation ?? false,
            hasErrors: !problems.isEmpty, notice: notice, loginURL: SiteRoute.login().path)
        return try await req.view.render(template, context)
    }

    func register(req: Request) async throws -> Response {
        let form = try req.content.decode(AccountFormData.self)
        let input = form.input
        var outcome = AccountValidation().validate(input)
        if let email = outcome.email, try await User.query(on: req.db).filter(\.$email == email.value).count() > 0 {
            outcome.problems.append(.init("email", "form.error.email.taken"))
        }
        guard outcome.isValid, let email = outcome.email, let password = input.password else {
            let view = try await renderAccountForm(req, template: "register", title: "register.title",
                                                   action: SiteRoute.register.path, input: input, outcome: outcome)
            return try await view.encodeResponse(status: .unprocessableEntity, for: req)
        }
        let user = User(email: email.value, name: input.name.trimmingCharacters(in: .whitespacesAndNewlines),
                        passwordHash: try await req.password.async.hash(password), role: .learner,
                        profession: input.profession, registrationNumber: outcome.registrationNumber?.digits,
                        preferredLanguage: req.language.rawValue)
        do {
            try await user.save(on: req.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            outcome.problems.append(.init("email", "form.error.email.taken"))
            let view = try await renderAccountForm(req, template: "register", title: "register.title",
                                                   action: SiteRoute.register.path, input: input, outcome: outcome)
            return try await view.encodeResponse(status: .unprocessableEntity, for: req)
        }
        try await req.renewSession()
        req.auth.login(user)
        req.session.authenticate(user)
        try await req.signInSessions.start(for: user, on: req, notify: false)
        req.notice = req.t("register.welcome", user.name)
        return req.redirect(to: .myLearning)
    }

    // MARK: Profile

    func showProfile(req: Request) async throws -> View {
        let user = try req.auth.require(User.self)
        let input = AccountInput(name: user.name, email: user.email, password: nil, profession: user.profession,
                                 registrationNumber: user.registrationNumber.map { RegistrationNumber.check($0) }.map {
                                     if case .valid(let n, _) = $0 { return n.formatted }
                                     if case .unverifiedCheckDigits(let n) = $0 { return n.formatted }
                                     return user.registrationNumber ?? ""
                                 } ?? "",
                                 confirmRegistrationNumber: false)
        return try await renderAccountForm(req, template: "profile", title: "profile.title",
                                           action: SiteRoute.profile.path, input: input, outcome: nil,
                                           notice: req.takeNotice())
    }

    func updateProfile(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let form = try req.content.decode(AccountFormData.self)
        var input = form.input
        let newPassword = (form.password ?? "").isEmpty ? nil : form.password
        input.password = newPassword
        var outcome = AccountValidation().validate(input)
        if let email = outcome.email, email.value != user.email,
           try await User.query(on: req.db).filter(\.$email == email.value).count() > 0 {
            outcome.problems.append(.init("email", "form.error.email.taken"))
        }
        guard outcome.isValid, let email = outcome.email else {
            let view = try await renderAccountForm(req, template: "profile", title: "profile.title",
                                                   action: SiteRoute.profile.path, input: input, outcome: outcome)
            return try await view.encodeResponse(status: .unprocessableEntity, for: req)
        }
        user.name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        user.email = email.value
        user.profession = input.profession
        user.registrationNumber = outcome.registrationNumber?.digits
        if let newPassword {
            user.passwordHash = try await req.password.async.hash(newPassword)
        }
        try await user.save(on: req.db)
        if newPassword != nil {
            try await req.signInSessions.passwordChanged(for: user, keeping: req.signInSessionID, language: req.language)
        }
        // Accreditation records that waited for the registration number are issued now.
        if user.registrationNumber != nil {
            try await req.completionRecorder().issueWaitingRecords(userID: user.requireID())
        }
        req.notice = req.t("profile.saved")
        return req.redirect(to: .profile)
    }

    // MARK: Password reset

    struct ForgotPage: Encodable {
        let page: PageContext
        let action: String
        let email: FormField
        let sent: Bool
    }

    func showForgotPassword(req: Request) async throws -> View {
        try await req.view.render("forgot-password", ForgotPage(
            page: PageContext(req, title: req.t("forgot.title")), action: SiteRoute.forgotPassword.path,
            email: FormField("email", request: req), sent: false))
    }

    func forgotPassword(req: Request) async throws -> View {
        struct Form: Content { var email: String? }
        let form = try req.content.decode(Form.self)
        if let email = EmailAddress(form.email ?? ""),
           let user = try await User.query(on: req.db).filter(\.$email == email.value).first(),
           user.deactivatedAt == nil, let userID = user.id {
            let token = CSRFMiddleware.makeToken()
            try await PasswordResetToken(userID: userID, tokenHash: Self.hash(token),
                                         expiresAt: Date().addingTimeInterval(60 * 60)).save(on: req.db)
            let link = req.application.academySettings.baseURL + SiteRoute.resetPassword(token: token).path
            let language = Language(rawValue: user.preferredLanguage) ?? req.language
            try await req.mailer.send(
                to: user.email, subject: MessageCatalogue.text("mail.reset.subject", language),
                body: MessageCatalogue.text("mail.reset.body", language, [user.name, link]))
        }
        // The same answer whether or not the address is known, so the form cannot be used to probe accounts.
        return try await req.view.render("forgot-password", ForgotPage(
            page: PageContext(req, title: req.t("forgot.title")), action: SiteRoute.forgotPassword.path,
            email: FormField("email", value: form.email ?? "", request: req), sent: true))
    }

    struct ResetPage: Encodable {
        let page: PageContext
        let action: String
        let password: FormField
        let valid: Bool
        let forgotURL: String
    }

    func showResetPassword(req: Request) async throws -> View {
        let token = req.parameters.get("token") ?? ""
        let record = try await validResetToken(token, on: req.db)
        return try await renderReset(req, token: token, valid: record != nil, problems: [])
    }

    private func renderReset(_ req: Request, token: String, valid: Bool, problems: [FieldProblem]) async throws -> View {
        try await req.view.render("reset-password", ResetPage(
            page: PageContext(req, title: req.t("reset.title")), action: SiteRoute.resetPassword(token: token).path,
            password: FormField("password", problems: problems, request: req), valid: valid,
            forgotURL: SiteRoute.forgotPassword.path))
    }

    func resetPassword(req: Request) async throws -> Response {
        struct Form: Content { var password: String? }
        let token = req.parameters.get("token") ?? ""
        let form = try req.content.decode(Form.self)
        guard let record = try await validResetToken(token, on: req.db) else {
            return try await renderReset(req, token: token, valid: false, problems: []).encodeResponse(status: .gone, for: req)
        }
        let user = try await record.$user.get(on: req.db)
        let problems = PasswordPolicy().problems(password: form.password ?? "", email: user.email).map { problem -> FieldProblem in
            switch problem {
            case .tooShort(let minimum): FieldProblem("password", "form.error.password.short", [String(minimum)])
            case .tooLong(let maximum): FieldProblem("password", "form.error.password.long", [String(maximum)])
            case .tooCommon: FieldProblem("password", "form.error.password.common")
            case .containsEmail: FieldProblem("password", "form.error.password.email")
            }
        }
        guard problems.isEmpty, let password = form.password else {
            return try await renderReset(req, token: token, valid: true, problems: problems)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let hash = try await req.password.async.hash(password)
        try await req.db.transaction { db in
            user.passwordHash = hash
            try await user.save(on: db)
            try await PasswordResetToken.query(on: db).filter(\.$user.$id == user.requireID())
                .filter(\.$usedAt == nil).set(\.$usedAt, to: Date()).update()
        }
        try await req.signInSessions.passwordChanged(for: user, keeping: nil, language: req.language)
        req.notice = req.t("reset.done")
        return req.redirect(to: .login())
    }

    private func validResetToken(_ token: String, on db: any Database) async throws -> PasswordResetToken? {
        guard !token.isEmpty else { return nil }
        return try await PasswordResetToken.query(on: db)
            .filter(\.$tokenHash == Self.hash(token))
            .filter(\.$usedAt == nil)
            .filter(\.$expiresAt > Date())
            .first()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Request {
    /// A session identifier known before sign-in is never the one used after it (session fixation):
    /// the old record is deleted and the response sets a new identifier.
    func renewSession() async throws {
        guard hasSession, let old = session.id else { return }
        try await application.sessions.driver.deleteSession(old, for: self).get()
        session.id = nil
    }
}

/// Sends visitors who are not signed in to the sign-in page, and back here afterwards.
struct SignedInMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else {
            let returnTo = request.method == .GET ? request.url.string : nil
            return request.redirect(to: .login(returnTo: returnTo))
        }
        return try await next.respond(to: request)
    }
}
