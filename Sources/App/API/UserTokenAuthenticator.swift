import Fluent
import Vapor

/// The person behind an API call made with one of their own tokens.
struct TokenHolder: Authenticatable {
    let user: User
    let token: UserAPIToken
}

/// Checks `Authorization: Bearer vivel_...` against people's own tokens. Unknown, expired and revoked tokens
/// get 401; a token without the scope, or whose holder is no longer a trainer or admin, gets 403. Errors are
/// problem documents (the API's error middleware).
struct UserTokenAuthenticator: AsyncMiddleware {
    let scope: String
    /// Without an Authorization header, pass the request on (the endpoint also takes a signed-in session).
    var optional = false
    /// Only trainers' and admins' tokens; off where the endpoint checks its own rights (the boards API).
    var trainersOnly = true

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if optional, request.headers.first(name: .authorization) == nil {
            return try await next.respond(to: request)
        }
        guard let secret = request.headers.bearerAuthorization?.token else {
            throw PartnerTokenAuthenticator.unauthorized("Send your API token as `Authorization: Bearer <token>`; create one under /trainer/api-tokens.")
        }
        guard let token = try await UserAPIToken.query(on: request.db).filter(\.$tokenHash == APIToken.hash(secret))
            .with(\.$user).first() else {
            throw PartnerTokenAuthenticator.unauthorized("This API token is not known. Create a new one under /trainer/api-tokens.")
        }
        let now = Date()
        if token.revokedAt != nil {
            throw PartnerTokenAuthenticator.unauthorized("This API token was revoked. Create a new one under /trainer/api-tokens.")
        }
        if let expiry = token.expiresAt, expiry <= now {
            throw PartnerTokenAuthenticator.unauthorized("This API token expired on \(ISO8601DateFormatter().string(from: expiry)). Create a new one under /trainer/api-tokens.")
        }
        guard token.scopes.contains(scope) else {
            throw Abort(.forbidden, reason: "This API token may not use this endpoint (it needs the scope \(scope)).")
        }
        guard token.user.deactivatedAt == nil, !trainersOnly || token.user.role == .trainer || token.user.role == .admin else {
            throw Abort(.forbidden, reason: "This token's account is no longer a trainer's; ask an admin.")
        }
        token.lastUsedAt = now
        try await token.save(on: request.db)
        request.auth.login(TokenHolder(user: token.user, token: token))
        return try await next.respond(to: request)
    }
}
