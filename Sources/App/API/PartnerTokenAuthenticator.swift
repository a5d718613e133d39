import Fluent
import Vapor

/// The partner behind an API call, from its bearer token.
struct PartnerCaller: Authenticatable {
    let partner: Partner
    let token: APIToken
}

/// Checks `Authorization: Bearer vivel_...` against the stored hashes. Unknown, expired and revoked tokens
/// get 401 with a reason that says which; a token without the needed scope gets 403.
struct PartnerTokenAuthenticator: AsyncMiddleware {
    let scope: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let secret = request.headers.bearerAuthorization?.token else {
            throw Self.unauthorized("Send the partner's API token as `Authorization: Bearer <token>`.")
        }
        guard let token = try await APIToken.query(on: request.db).filter(\.$tokenHash == APIToken.hash(secret))
            .with(\.$partner).first() else {
            throw Self.unauthorized("This API token is not known. Ask the academy for a new one.")
        }
        let now = Date()
        if token.revokedAt != nil {
            throw Self.unauthorized("This API token was revoked. Ask the academy for a new one.")
        }
        if let expiry = token.expiresAt, expiry <= now {
            throw Self.unauthorized("This API token expired on \(ISO8601DateFormatter().string(from: expiry)). Ask the academy for a new one.")
        }
        guard token.scopes.contains(scope) else {
            throw Abort(.forbidden, reason: "This API token may not use this endpoint (it needs the scope \(scope)).")
        }
        token.lastUsedAt = now
        try await token.save(on: request.db)
        request.auth.login(PartnerCaller(partner: token.partner, token: token))
        return try await next.respond(to: request)
    }

    static func unauthorized(_ reason: String) -> Abort {
        Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"academy\""], reason: reason)
    }
}
