import Fluent
import Foundation

/// The public half of a credential signing key, kept so that credentials signed with it still verify after a
/// rotation: the JWKS publishes every key that is not retired. Private keys are never stored here.
final class PublishedSigningKey: Model, @unchecked Sendable {
    static let schema = "credential_signing_keys"

    @ID(key: .id) var id: UUID?
    /// RFC 7638 thumbprint; the last segment of the key's `kid` URL.
    @Field(key: "thumbprint") var thumbprint: String
    @Field(key: "x") var x: String
    @Field(key: "y") var y: String
    @Field(key: "created_at") var createdAt: Date
    /// From this moment on the key is no longer published, and credentials signed with it are reported as
    /// signed with a retired key.
    @OptionalField(key: "retire_after") var retireAfter: Date?

    init() {}

    init(thumbprint: String, x: String, y: String, createdAt: Date) {
        self.thumbprint = thumbprint
        self.x = x
        self.y = y
        self.createdAt = createdAt
    }

    func isRetired(at now: Date) -> Bool { retireAfter.map { $0 <= now } ?? false }
}
