import Fluent
import Foundation

/// A person's authenticator-app secret. Until `confirmedAt` is set (the first right code), it does not
/// protect the sign-in yet.
final class TwoFactorCredential: Model, @unchecked Sendable {
    static let schema = "two_factor_credentials"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    /// Base 32, as the authenticator app got it.
    @Field(key: "secret") var secret: String
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    /// The time step of the last code accepted, so that a code cannot be used twice.
    @OptionalField(key: "last_step") var lastStep: Int64?
    /// SHA-256 of the recovery codes not used yet.
    @Field(key: "recovery_hashes") var recoveryHashes: [String]
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var totp: TOTP { TOTP(secret: Base32.decode(secret) ?? []) }
}
