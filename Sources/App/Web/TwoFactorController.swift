import Fluent
import Vapor

/// Sign-in with a second factor: setting up an authenticator app (QR code, recovery codes shown once),
/// the code step after the password, and the rule that trainers and admins cannot work without it.
struct TwoFactorController: RouteCollection {
    static let passedKey = "mfa"
    static let pendingUserKey = "pending-user"
    static let pendingReturnKey = "pending-return"

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.Pattern.loginCode, use: codeForm)
        routes.post(SiteRoute.Pattern.loginCode, use: submitCode)
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(SiteRoute.Pattern.twoFactor, use: setup)
        signedIn.post(SiteRoute.Pattern.twoFactor, use: confirm)
        signedIn.post(SiteRoute.Pattern.twoFactorDisable, use: disable)
    }

    struct CodePage: Encodable {
        let page: PageContext
        let action: String
        let error: String?
        let lead: String
    }

    struct SetupPage: Encodable {
        let page: PageContext
        let action: String
        let qrSVG: String?
        let secretGroups: String
        let error: String?
        let required: Bool
        let notice: String?
    }

    struct EnabledPage: Encodable {
        let page: PageContext
        let recoveryCodes: [String]
        let showCodes: Bool
        let canDisable: Bool
        let disableAction: String
        let continueURL: String
        let notice: String?
    }

    // MARK: Second step of signing in

    func codeForm(req: Request) async throws -> Response {
        guard req.session.data[Self.pendingUserKey] != nil else { return req.redirect(to: .login()) }
        return try await renderCode(req, error: nil, status: .ok)
    }

    func submitCode(req: Request) async throws -> Response {
        guard let pending = req.session.data[Self.pendingUserKey].flatMap(UUID.init(uuidString:)),
              let user = try await User.find(pending, on: req.db),
              let credential = try await Self.credential(of: pending, on: req.db), credential.confirmedAt != nil else {
            return req.redirect(to: .login())
        }
        struct Form: Decodable { var code: String? }
        let typed = (try req.content.decode(Form.self).code ?? "").trimmingCharacters(in: .whitespaces)
        let throttle = LoginThrottle(database: req.db)
        let key = "second-factor:\(pending.uuidString)"
        let now = Date()
        if let until = try await throttle.lockedUntil(keys: [key], now: now) {
            return try await renderCode(req, error: req.t("login.error.locked", BrusselsTime.clock(until, language: req.language)),
                                        status: .tooManyRequests)
        }
        guard try await Self.accept(typed, for: credential, at: now, on: req.db) else {
            try await throttle.recordFailure(keys: [key], now: now)
            return try await renderCode(req, error: req.t("twofactor.error.code"), status: .unprocessableEntity)
        }
        try await throttle.clear(key: key)
        let returnTo = req.session.data[Self.pendingReturnKey]
        try await req.renewSession()
        req.auth.login(user)
        req.session.authenticate(user)
        req.session.data[Self.passedKey] = "1"
        try await req.signInSessions.start(for: user, on: req)
        return req.redirect(to: returnTo.flatMap { SiteRoute.isLocal($0) ? $0 : nil } ?? SiteRoute.myLearning.path, redirectType: .normal)
    }

    private func renderCode(_ req: Request, error: String?, status: HTTPResponseStatus) async throws -> Response {
        let view = try await req.view.render("login-code", CodePage(
            page: PageContext(req, title: req.t("twofactor.code.title"), section: "login"),
            action: SiteRoute.loginCode.path, error: error, lead: req.t("twofactor.code.lead")))
        return try await view.encodeResponse(status: status, for: req)
    }

    // MARK: Setting up

    func setup(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let userID = try user.requireID()
        if let credential = try await Self.credential(of: userID, on: req.db), credential.confirmedAt != nil {
            if req.session.data[Self.passedKey] != "1" {
                // A session from before the code was required: the code confirms it is the same person.
                let view = try await req.view.render("login-code", CodePage(
                    page: PageContext(req, title: req.t("twofactor.code.title"), section: "profile"),
                    action: SiteRoute.twoFactor.path, error: nil, lead: req.t("twofactor.code.lead")))
                return try await view.encodeResponse(for: req)
            }
            return try await renderEnabled(req, user: user, codes: [])
        }
        let credential = try await Self.pendingCredential(for: userID, on: req.db)
        return try await renderSetup(req, user: user, credential: credential, error: nil, status: .ok)
    }

    func confirm(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let userID = try user.requireID()
        struct Form: Decodable { var code: String? }
        let typed = (try req.content.decode(Form.self).code ?? "").trimmingCharacters(in: .whitespaces)
        guard let credential = try await Self.credential(of: userID, on: req.db) else { return req.redirect(to: .twoFactor) }
        let now = Date()
        if credential.confirmedAt != nil {
            guard try await Self.accept(typed, for: credential, at: now, on: req.db) else {
                let view = try await req.view.render("login-code", CodePage(
                    page: PageContext(req, title: req.t("twofactor.code.title"), section: "profile"),
                    action: SiteRoute.twoFactor.path, error: req.t("twofactor.error.code"), lead: req.t("twofactor.code.lead")))
                return try await view.encodeResponse(status: .unprocessableEntity, for: req)
            }
            req.session.data[Self.passedKey] = "1"
            return req.redirect(to: .myLearning)
        }
        guard let step = credential.totp.verify(typed, at: now, usedStep: nil) else {
            return try await renderSetup(req, user: user, credential: credential, error: req.t("twofactor.error.setup"),
                                         status: .unprocessableEntity)
        }
        let codes = RecoveryCodes.make()
        credential.confirmedAt = now
        credential.lastStep = step
        credential.recoveryHashes = codes.map(RecoveryCodes.hash)
        try await credential.save(on: req.db)
        req.session.data[Self.passedKey] = "1"
        return try await renderEnabled(req, user: user, codes: codes)
    }

    func disable(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        guard !Self.isStaff(user) || !req.application.academySettings.staffTwoFactor else {
            throw Abort(.forbidden, reason: req.t("twofactor.error.staff"))
        }
        try await TwoFactorCredential.query(on: req.db).filter(\.$user.$id == user.requireID()).delete()
        req.notice = req.t("twofactor.disabled")
        return req.redirect(to: .profile)
    }

    private func renderSetup(_ req: Request, user: User, credential: TwoFactorCredential, error: String?,
                             status: HTTPResponseStatus) async throws -> Response {
        let issuer = req.application.academySettings.academyName
        let uri = credential.totp.provisioningURI(issuer: issuer, account: user.email)
        let groups = stride(from: 0, to: credential.secret.count, by: 4).map { start -> String in
            let from = credential.secret.index(credential.secret.startIndex, offsetBy: start)
            let to = credential.secret.index(from, offsetBy: min(4, credential.secret.count - start))
            return String(credential.secret[from..<to])
        }.joined(separator: " ")
        let required = Self.isStaff(user) && req.application.academySettings.staffTwoFactor
        let view = try await req.view.render("two-factor-setup", SetupPage(
            page: PageContext(req, title: req.t("twofactor.setup.title"), section: "profile"),
            action: SiteRoute.twoFactor.path,
            qrSVG: try? QRCode(text: uri).svg(moduleSize: 5, quietZone: 4, title: req.t("twofactor.setup.qr")),
            secretGroups: groups, error: error, required: required, notice: req.takeNotice()))
        return try await view.encodeResponse(status: status, for: req)
    }

    private func renderEnabled(_ req: Request, user: User, codes: [String]) async throws -> Response {
        let view = try await req.view.render("two-factor-enabled", EnabledPage(
            page: PageContext(req, title: req.t("twofactor.enabled.title"), section: "profile"),
            recoveryCodes: codes, showCodes: !codes.isEmpty,
            canDisable: !(Self.isStaff(user) && req.application.academySettings.staffTwoFactor),
            disableAction: SiteRoute.twoFactorDisable.path, continueURL: SiteRoute.myLearning.path, notice: req.takeNotice()))
        return try await view.encodeResponse(for: req)
    }

    // MARK: Shared

    static func isStaff(_ user: User) -> Bool { user.role == .trainer || user.role == .admin }

    static func credential(of userID: UUID, on db: any Database) async throws -> TwoFactorCredential? {
        try await TwoFactorCredential.query(on: db).filter(\.$user.$id == userID).first()
    }

    /// The credential being set up: the same secret on every visit until it is confirmed, so that a reload
    /// does not invalidate what the app already scanned.
    static func pendingCredential(for userID: UUID, on db: any Database) async throws -> TwoFactorCredential {
        if let existing = try await credential(of: userID, on: db) { return existing }
        let credential = TwoFactorCredential()
        credential.$user.id = userID
        credential.secret = Base32.encode(TOTP.randomSecret())
        credential.recoveryHashes = []
        credential.createdAt = Date()
        do {
            try await credential.create(on: db)
            return credential
        } catch {
            // A second tab made it at the same moment.
            guard (error as? any DatabaseError)?.isConstraintFailure == true,
                  let existing = try await Self.credential(of: userID, on: db) else { throw error }
            return existing
        }
    }

    /// A current code (each works once) or an unused recovery code (then used up).
    static func accept(_ typed: String, for credential: TwoFactorCredential, at now: Date, on db: any Database) async throws -> Bool {
        if let step = credential.totp.verify(typed, at: now, usedStep: credential.lastStep) {
            credential.lastStep = step
            try await credential.save(on: db)
            return true
        }
        let hash = RecoveryCodes.hash(typed)
        if typed.count >= 10, credential.recoveryHashes.contains(hash) {
            credential.recoveryHashes.removeAll { $0 == hash }
            try await credential.save(on: db)
            return true
        }
        return false
    }
}

/// Trainers and admins reach nothing but the set-up page, sign-out and static files until they have passed
/// a second factor in this session.
struct StaffTwoFactorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.application.academySettings.staffTwoFactor,
              let user = request.auth.get(User.self), TwoFactorController.isStaff(user),
              request.session.data[TwoFactorController.passedKey] != "1" else {
            return try await next.respond(to: request)
        }
        let path = request.url.path
        let open = [SiteRoute.twoFactor.path, SiteRoute.logout.path, SiteRoute.loginCode.path]
        if open.contains(path) || path.hasPrefix("/language/") {
            return try await next.respond(to: request)
        }
        if path.hasPrefix("/api/") { throw Abort(.forbidden, reason: "Set up two-factor sign-in first.") }
        request.notice = request.t("twofactor.required")
        return request.redirect(to: .twoFactor)
    }
}
