import Crypto
import Foundation
import JWTKit

/// Signs credentials as VC-JWTs (OB 3.0 §8.2): ES256, a JOSE header of only `alg`, `kid` and `typ`, and a
/// payload that is the credential itself plus the registered claims `iss`, `jti`, `sub`, `nbf` (and `exp`
/// when the credential has a `validUntil`). The `kid` is a URL that answers with the public key as a JWK.
struct CredentialSigner: Sendable {
    let keyID: String
    let thumbprint: String
    let publicKey: PublicJWK
    private let keys: JWTKeyCollection

    init(privateKey: ES256PrivateKey, addresses: CredentialAddresses) async throws {
        guard let parameters = privateKey.publicKey.parameters else { throw Failure.noPublicKeyParameters }
        thumbprint = PublicJWK.thumbprint(x: parameters.x, y: parameters.y)
        keyID = addresses.keyURL(thumbprint: thumbprint)
        publicKey = PublicJWK(x: parameters.x, y: parameters.y, kid: keyID)
        keys = JWTKeyCollection()
        await keys.add(ecdsa: privateKey, kid: JWKIdentifier(string: keyID), serializer: DefaultJWTSerializer(jsonEncoder: Self.encoder))
    }

    enum Failure: Error, CustomStringConvertible {
        case noPublicKeyParameters
        var description: String { "The signing key has no public P-256 coordinates." }
    }

    /// The published key set: this key (older keys would stay here after a rotation; see docs/credentials.md).
    var keySet: JWKSet { JWKSet(keys: [publicKey]) }

    func sign<Credential: Codable & Sendable>(_ credential: Credential, claims: CredentialClaims) async throws -> String {
        try await keys.sign(SignedCredentialPayload(credential: credential, claims: claims), kid: JWKIdentifier(string: keyID))
    }

    func sign(_ credential: OpenBadgeCredential) async throws -> String {
        try await sign(credential, claims: CredentialClaims(issuer: credential.issuer.id, id: credential.id,
                                                            subject: credential.credentialSubject.id,
                                                            validFrom: credential.validFrom, validUntil: credential.validUntil))
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// The JWT claims that mirror a credential's own fields.
struct CredentialClaims: Codable, Sendable, Equatable {
    var iss: String
    var jti: String
    var sub: String?
    var nbf: Int
    var exp: Int?

    init(issuer: String, id: String, subject: String?, validFrom: String, validUntil: String?) {
        iss = issuer
        jti = id
        sub = subject
        nbf = Int(CredentialDate.parse(validFrom)?.timeIntervalSince1970 ?? 0)
        exp = validUntil.flatMap(CredentialDate.parse).map { Int($0.timeIntervalSince1970) }
    }
}

/// The credential's members and the claims side by side at the top level of the JWT payload.
struct SignedCredentialPayload<Credential: Codable & Sendable>: JWTPayload {
    let credential: Credential
    let claims: CredentialClaims

    init(credential: Credential, claims: CredentialClaims) {
        self.credential = credential
        self.claims = claims
    }

    init(from decoder: any Decoder) throws {
        credential = try Credential(from: decoder)
        claims = try CredentialClaims(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try credential.encode(to: encoder)
        try claims.encode(to: encoder)
    }

    /// Signing only; `VerifiedCredential` checks what a verifier receives.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A public key as a JWK (RFC 7517), never with the private `d`.
struct PublicJWK: Codable, Sendable, Equatable {
    var kty = "EC"
    var crv = "P-256"
    var x: String
    var y: String
    var kid: String
    var alg = "ES256"
    var use = "sig"

    init(x: String, y: String, kid: String) {
        self.x = x
        self.y = y
        self.kid = kid
    }

    /// RFC 7638: SHA-256 of the required members in lexicographic order, base64url.
    static func thumbprint(x: String, y: String) -> String {
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        return Base64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }
}

struct JWKSet: Codable, Sendable, Equatable {
    var keys: [PublicJWK]
}
