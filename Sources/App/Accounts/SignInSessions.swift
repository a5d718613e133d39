import Fluent
import Vapor

/// Starts, checks and ends the sign-in sessions of `SignInSession`, and mails their owner about a sign-in
/// from a device not seen before and about a changed password.
struct SignInSessions: Sendable {
    /// Where the browser's session keeps the id of its `SignInSession`.
    static let sessionKey = "sign-in"
    /// Last activity is written at most this often, not on every request.
    static let seenInterval: TimeInterval = 300

    let database: any Database
    let mailer: Mailer
    let settings: AcademySettings

    enum Check: Equatable {
        case active
        case ended
    }

    /// Right after a successful sign-in. `notify`: false for a new account's first session.
    func start(for user: User, on request: Request, notify: Bool = true, now: Date = Date()) async throws {
        let userID = try user.requireID()
        let agent = request.headers.first(name: .userAgent)
        let device = DeviceName(userAgent: agent)
        let earlier = try await SignInSession.query(on: database).filter(\.$user.$id == userID).all()
        let session = SignInSession(userID: userID, device: device, userAgent: agent,
                                    address: request.remoteAddress?.ipAddress, now: now)
        try await session.save(on: database)
        request.session.data[Self.sessionKey] = try session.requireID().uuidString
        guard notify, !earlier.isEmpty, !earlier.contains(where: { $0.device == device }) else { return }
        let language = Language(rawValue: user.preferredLanguage) ?? request.language
        try await mailer.send(
            to: user.email,
            subject: MessageCatalogue.text("mail.newdevice.subject", language, [settings.academyName]),
            body: MessageCatalogue.text("mail.newdevice.body", language, [
                user.name, device.text(language), session.address ?? "?",
                BrusselsTime.day(now, language: language) + " " + BrusselsTime.clock(now, language: language),
                settings.baseURL + SiteRoute.sessions.path]))
    }

    /// On every signed-in request: is the session this browser carries still open? Sessions from before
    /// this check existed get their row now.
    func check(userID: UUID, on request: Request, now: Date = Date()) async throws -> Check {
        guard let text = request.session.data[Self.sessionKey], let id = UUID(uuidString: text) else {
            let session = SignInSession(userID: userID, device: DeviceName(userAgent: request.headers.first(name: .userAgent)),
                                        userAgent: request.headers.first(name: .userAgent),
                                        address: request.remoteAddress?.ipAddress, now: now)
            try await session.save(on: database)
            request.session.data[Self.sessionKey] = try session.requireID().uuidString
            return .active
        }
        guard let session = try await SignInSession.find(id, on: database), session.$user.id == userID,
              session.endedAt == nil else {
            return .ended
        }
        if now.timeIntervalSince(session.lastSeenAt) > Self.seenInterval {
            session.lastSeenAt = now
            try await session.save(on: database)
        }
        return .active
    }

    func active(of userID: UUID) async throws -> [SignInSession] {
        try await SignInSession.query(on: database).filter(\.$user.$id == userID).filter(\.$endedAt == nil)
            .sort(\.$lastSeenAt, .descending).all()
    }

    /// Ends one of the person's sessions; false when there is no such open session of his.
    @discardableResult
    func end(_ id: UUID, of userID: UUID, now: Date = Date()) async throws -> Bool {
        guard let session = try await SignInSession.find(id, on: database), session.$user.id == userID,
              session.endedAt == nil else { return false }
        session.endedAt = now
        try await session.save(on: database)
        return true
    }

    /// Ends every open session of the person but `keeping` (nil: all of them).
    func endAll(of userID: UUID, keeping: UUID?, now: Date = Date()) async throws {
        var query = SignInSession.query(on: database).filter(\.$user.$id == userID).filter(\.$endedAt == nil)
        if let keeping { query = query.filter(\.$id != keeping) }
        try await query.set(\.$endedAt, to: now).update()
    }

    /// After a new password: other devices are signed out, and the owner hears of it.
    func passwordChanged(for user: User, keeping: UUID?, language fallback: Language, now: Date = Date()) async throws {
        try await endAll(of: user.requireID(), keeping: keeping, now: now)
        let language = Language(rawValue: user.preferredLanguage) ?? fallback
        try await mailer.send(
            to: user.email,
            subject: MessageCatalogue.text("mail.password.subject", language, [settings.academyName]),
            body: MessageCatalogue.text("mail.password.body", language, [
                user.name, settings.academyName,
                BrusselsTime.day(now, language: language) + " " + BrusselsTime.clock(now, language: language),
                settings.baseURL + SiteRoute.forgotPassword.path]))
    }
}

extension Request {
    var signInSessions: SignInSessions {
        var settings = application.academySettings
        // Mails name the academy as its pages do.
        settings.academyName = application.siteProfile.academyName
        return SignInSessions(database: db, mailer: mailer, settings: settings)
    }

    /// The id of the sign-in session this browser carries.
    var signInSessionID: UUID? {
        guard hasSession else { return nil }
        return session.data[SignInSessions.sessionKey].flatMap(UUID.init(uuidString:))
    }
}

/// Signs out a browser whose sign-in session was ended (by its owner from another device, by a new
/// password, by an admin) or whose account was deactivated: the request goes on as a visitor's, so pages
/// that need a person send it to sign in.
struct SignInSessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let user = request.auth.get(User.self), let userID = user.id {
            let ended = user.deactivatedAt != nil
                ? true : try await request.signInSessions.check(userID: userID, on: request) == .ended
            if ended {
                request.auth.logout(User.self)
                request.session.destroy()
            }
        }
        return try await next.respond(to: request)
    }
}
