import Fluent
import Foundation

/// A person's own secret for the API (trainers publishing packages from their tools). Partners' tokens
/// (`APIToken`) live apart: a partner token reads records for an organisation, this one acts as its person,
/// with that person's current role and ownerships. Only the SHA-256 is stored; the token is shown once.
final class UserAPIToken: Model, @unchecked Sendable {
    static let schema = "user_api_tokens"

    static let packagesScope = "packages:write"
    /// Reading what trainers see about their courses (who can take a course).
    static let coursesReadScope = "courses:read"
    /// The care boards API (/api/v1/care-boards): read for trainers, writes for admins and delegated staff.
    static let boardsScope = "boards"
    static let knownScopes = [packagesScope, coursesReadScope, boardsScope]

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "label") var label: String
    @Field(key: "token_hash") var tokenHash: String
    /// The first characters of the token, to tell tokens apart in lists and logs.
    @Field(key: "prefix") var prefix: String
    @Field(key: "scopes") var scopes: [String]
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    /// A new token and the secret to hand over once; the same form as partners' tokens ("vivel_…").
    static func make(userID: UUID, label: String, scopes: [String] = [packagesScope], expiresAt: Date?,
                     now: Date = Date()) -> (token: UserAPIToken, secret: String) {
        let secret = APIToken.newSecret()
        let token = UserAPIToken()
        token.$user.id = userID
        token.label = label
        token.tokenHash = APIToken.hash(secret)
        token.prefix = String(secret.prefix(12))
        token.scopes = scopes
        token.expiresAt = expiresAt
        token.createdAt = now
        return (token, secret)
    }

    func isUsable(at date: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > date } ?? true)
    }
}
