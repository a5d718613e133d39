import Crypto
import Fluent
import Foundation

/// A partner's secret for the export API. Only its SHA-256 is stored; the token itself is shown once.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    static let recordsScope = "records:read"

    @ID(key: .id) var id: UUID?
    @Parent(key: "partner_id") var partner: Partner
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

    /// A new token and the secret to hand over once.
    static func make(partnerID: UUID, label: String, scopes: [String] = [recordsScope], expiresAt: Date?,
                     now: Date = Date()) -> (token: APIToken, secret: String) {
        let secret = newSecret()
        let token = APIToken()
        token.$partner.id = partnerID
        token.label = label
        token.tokenHash = hash(secret)
        token.prefix = String(secret.prefix(12))
        token.scopes = scopes
        token.expiresAt = expiresAt
        token.createdAt = now
        return (token, secret)
    }

    /// "vivel_" and 32 random bytes in base64url: the form of every API token, partners' and people's.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "vivel_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    func isUsable(at date: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > date } ?? true)
    }
}
