import Fluent
import Foundation
import JWTKit

/// The published signing keys and their rotation. The current private key stays where `CredentialSigningKey`
/// reads it (ACADEMY_CREDENTIAL_KEY or the key file); the public half of every key used so far is kept in
/// `PublishedSigningKey`, so the JWKS goes on carrying earlier keys and credentials signed with them still
/// verify. A key can be retired from a stated moment: from then on it is no longer published, and credentials
/// signed with it are reported as such.
struct CredentialKeyStore: Sendable {
    let database: any Database
    let addresses: CredentialAddresses

    enum Failure: Error, CustomStringConvertible {
        case unknownKey(String)
        case retiringCurrentKey(String)

        var description: String {
            switch self {
            case .unknownKey(let key):
                "No published signing key has the kid or thumbprint '\(key)'. `academy credentials keys` lists them."
            case .retiringCurrentKey(let kid):
                "\(kid) is the current signing key: rotate first (`academy credentials rotate-key`), then retire it."
            }
        }
    }

    /// Records the public half of `signer`'s key if it is not there yet (idempotent, safe against a racing writer).
    @discardableResult
    func register(_ signer: CredentialSigner, now: Date = Date()) async throws -> PublishedSigningKey {
        try await register(thumbprint: signer.thumbprint, x: signer.publicKey.x, y: signer.publicKey.y, now: now)
    }

    @discardableResult
    func register(thumbprint: String, x: String, y: String, now: Date = Date()) async throws -> PublishedSigningKey {
        if let existing = try await key(thumbprint: thumbprint) { return existing }
        let key = PublishedSigningKey(thumbprint: thumbprint, x: x, y: y, createdAt: now)
        do {
            try await key.create(on: database)
        } catch {
            // A racing writer registered it first: theirs is as good.
            guard (error as? any DatabaseError)?.isConstraintFailure == true,
                  let existing = try await self.key(thumbprint: thumbprint) else { throw error }
            return existing
        }
        return key
    }

    func key(thumbprint: String) async throws -> PublishedSigningKey? {
        try await PublishedSigningKey.query(on: database).filter(\.$thumbprint == thumbprint).first()
    }

    /// A key by its `kid` URL or its bare thumbprint.
    func key(named name: String) async throws -> PublishedSigningKey? {
        try await key(thumbprint: Self.thumbprint(ofKeyID: name))
    }

    static func thumbprint(ofKeyID kid: String) -> String {
        kid.split(separator: "/").last.map(String.init) ?? kid
    }

    func all() async throws -> [PublishedSigningKey] {
        try await PublishedSigningKey.query(on: database).sort(\.$createdAt, .descending).all()
    }

    /// What `/.well-known/jwks.json` serves: the current key first, then every earlier key not retired at `now`.
    func keySet(current: CredentialSigner, now: Date = Date()) async throws -> JWKSet {
        try await register(current, now: now)
        let earlier = try await all().filter { $0.thumbprint != current.thumbprint && !$0.isRetired(at: now) }
        return JWKSet(keys: [current.publicKey] + earlier.map(jwk))
    }

    func jwk(_ key: PublishedSigningKey) -> PublicJWK {
        PublicJWK(x: key.x, y: key.y, kid: addresses.keyURL(thumbprint: key.thumbprint))
    }

    /// Stops publishing a key from `after` on. The current key cannot be retired.
    func retire(_ name: String, after: Date, current: CredentialSigner) async throws -> PublishedSigningKey {
        guard let key = try await key(named: name) else { throw Failure.unknownKey(name) }
        guard key.thumbprint != current.thumbprint else { throw Failure.retiringCurrentKey(current.keyID) }
        key.retireAfter = after
        try await key.save(on: database)
        return key
    }

    /// Where a credential's signing key stands.
    enum Standing: Equatable, CustomStringConvertible {
        case current
        /// An earlier key, still published (until the date, when one is set).
        case previous(retiring: Date?)
        case retired(since: Date)
        case unknown

        var description: String {
            switch self {
            case .current: "signed with the current key"
            case .previous(nil): "signed with an earlier key, still published"
            case .previous(let date?): "signed with an earlier key, published until \(CredentialDate.string(date))"
            case .retired(let date): "signed with a key retired since \(CredentialDate.string(date)): no longer trusted"
            case .unknown: "signed with a key the academy never published"
            }
        }
    }

    /// The standing of the key a compact JWS names in its header, and that key (also when retired) to check
    /// the signature with.
    func standing(of token: String, current: CredentialSigner, now: Date = Date()) async throws -> (kid: String?, standing: Standing, key: PublicJWK?) {
        guard let kid = Self.keyID(of: token) else { return (nil, .unknown, nil) }
        let thumbprint = Self.thumbprint(ofKeyID: kid)
        guard kid == addresses.keyURL(thumbprint: thumbprint), let key = try await key(thumbprint: thumbprint) else {
            return (kid, .unknown, nil)
        }
        if thumbprint == current.thumbprint { return (kid, .current, jwk(key)) }
        if let after = key.retireAfter, after <= now { return (kid, .retired(since: after), jwk(key)) }
        return (kid, .previous(retiring: key.retireAfter), jwk(key))
    }

    /// The `kid` of a compact JWS's protected header.
    static func keyID(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[0]),
              let header = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else { return nil }
        return header["kid"] as? String
    }
}

/// `academy credentials rotate-key`: a new ES256 key becomes current; the one before stays published.
struct CredentialKeyRotation: Sendable {
    let store: CredentialKeyStore
    let dataDirectory: String
    /// ACADEMY_CREDENTIAL_KEY, when the key comes from the environment.
    let environmentPEM: String?

    struct Outcome: Sendable {
        let previous: PublishedSigningKey
        let current: CredentialSigner
        /// Set when the key comes from the environment: the operator must put this PEM in ACADEMY_CREDENTIAL_KEY.
        let pemForEnvironment: String?
        /// Where the previous private key was moved (delete it once the rotation is known to work).
        let previousKeyFile: String?
    }

    func rotate(retirePreviousAfter: Date?, now: Date = Date()) async throws -> Outcome {
        let (oldKey, source) = try CredentialSigningKey.load(pem: environmentPEM, dataDirectory: dataDirectory)
        let old = try await CredentialSigner(privateKey: oldKey, addresses: store.addresses)
        let previous = try await store.register(old, now: now)
        let newKey = ES256PrivateKey()
        let new = try await CredentialSigner(privateKey: newKey, addresses: store.addresses)
        var pemForEnvironment: String?
        var previousKeyFile: String?
        switch source {
        case .environment:
            pemForEnvironment = newKey.pemRepresentation
        case .file(let path), .generated(let path):
            previousKeyFile = try CredentialSigningKey.replace(at: path, with: newKey, keepingPreviousAs: "\(old.thumbprint).previous")
        }
        // Published before it signs anything, so a verifier that fetched the JWKS a moment ago finds it soon.
        try await store.register(new, now: now)
        if let retirePreviousAfter {
            previous.retireAfter = retirePreviousAfter
            try await previous.save(on: store.database)
        }
        return Outcome(previous: previous, current: new, pemForEnvironment: pemForEnvironment, previousKeyFile: previousKeyFile)
    }
}
