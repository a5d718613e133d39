import Fluent
import Vapor

/// A trainer's own API tokens for publishing packages from their tools (POST /api/v1/packages): list,
/// create (the secret is shown once, on the answer to the form, never stored or redirected), revoke.
struct TrainerTokensController: RouteCollection {
    static let expiryChoices = [30, 90, 365]

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(TrainerRoute.Pattern.packageTokens, use: list)
        signedIn.post(TrainerRoute.Pattern.packageTokens, use: create)
        signedIn.post(TrainerRoute.Pattern.packageTokenRevoke, use: revoke)
    }

    static func requireTrainer(_ req: Request) throws -> User {
        guard let user = req.auth.get(User.self), user.role == .trainer || user.role == .admin else {
            throw Abort(.forbidden, reason: "trainers only")
        }
        return user
    }

    struct TokensPage: Encodable {
        struct Row: Encodable {
            let prefix: String
            let label: String
            let created: String
            let expires: String
            let lastUsed: String
            let state: String
            let revokeAction: String?
        }
        struct Choice: Encodable {
            let value: Int
            let label: String
            let selected: Bool
        }
        let page: PageContext
        let notice: String?
        let secret: String?
        let rows: [Row]
        let hasRows: Bool
        let action: String
        let choices: [Choice]
        let example: String
    }

    func list(req: Request) async throws -> View {
        let user = try Self.requireTrainer(req)
        return try await render(req, user: user, secret: nil)
    }

    private func render(_ req: Request, user: User, secret: String?) async throws -> View {
        let tokens = try await UserAPIToken.query(on: req.db).filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending).all()
        let now = Date()
        let day = { (date: Date?) in date.map { BrusselsTime.day($0, language: req.language) } }
        let rows = tokens.map { token in
            let state = token.revokedAt != nil ? "revoked" : (token.isUsable(at: now) ? "active" : "expired")
            return TokensPage.Row(
                prefix: token.prefix + "…", label: token.label, created: day(token.createdAt) ?? "",
                expires: day(token.expiresAt) ?? req.t("import.tokens.never"),
                lastUsed: day(token.lastUsedAt) ?? req.t("import.tokens.never"),
                state: req.t("import.tokens.state.\(state)"),
                revokeAction: state == "active" ? token.id.map { SiteRoute.trainer(.packageTokenRevoke(id: $0)).path } : nil)
        }
        let base = req.application.academySettings.baseURL
        let context = TokensPage(
            page: PageContext(req, title: req.t("import.tokens.title"), section: "trainer"),
            notice: req.takeNotice(), secret: secret, rows: rows, hasRows: !rows.isEmpty,
            action: SiteRoute.trainer(.packageTokens).path,
            choices: Self.expiryChoices.map { .init(value: $0, label: req.t("import.tokens.days", String($0)), selected: $0 == 365) },
            example: "curl -X POST -H 'Authorization: Bearer vivel_…' -H 'Content-Type: application/zip' --data-binary @course.zip '\(base)/api/v1/packages?publish=true'")
        return try await req.view.render("trainer-api-tokens", context)
    }

    struct CreateForm: Content {
        var label: String?
        var days: Int?
    }

    func create(req: Request) async throws -> View {
        let user = try Self.requireTrainer(req)
        let form = try req.content.decode(CreateForm.self)
        let label = String((form.label ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let days = form.days.flatMap { Self.expiryChoices.contains($0) ? $0 : nil } ?? 365
        let (token, secret) = UserAPIToken.make(userID: try user.requireID(), label: label.isEmpty ? req.t("import.tokens.default.label") : label,
                                                expiresAt: Date().addingTimeInterval(Double(days) * 86_400))
        try await token.create(on: req.db)
        return try await render(req, user: user, secret: secret)
    }

    func revoke(req: Request) async throws -> Response {
        let user = try Self.requireTrainer(req)
        guard let id = req.parameters.get("token", as: UUID.self),
              let token = try await UserAPIToken.find(id, on: req.db), token.$user.id == user.id else { throw Abort(.notFound) }
        if token.revokedAt == nil {
            token.revokedAt = Date()
            try await token.save(on: req.db)
        }
        req.notice = req.t("import.tokens.revoked", token.prefix + "…")
        return req.redirect(to: .trainer(.packageTokens))
    }
}
