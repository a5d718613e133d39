import Foundation
import JWTKit

/// Checks a VC-JWT the way OB 3.0 §8.2.4 tells verifiers to: the signature with a key from a published JWKS,
/// then `iss`, `sub`, `jti`, `nbf` (and `exp`) against the credential's own members.
struct CredentialVerifier: Sendable {
    let keys: JWTKeyCollection

    /// From a JWKS document as `/.well-known/jwks.json` serves it.
    init(jwks: String) async throws {
        keys = JWTKeyCollection()
        try await keys.add(jwksJSON: jwks)
    }

    func verify(_ token: String) async throws -> VerifiedCredential {
        try await keys.verify(token, as: VerifiedCredential.self)
    }

    /// The payload as JSON, unchecked: for looking inside after `verify`, or at a credential that failed it.
    static func payload(of token: String) -> [String: Any]? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[1]) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }
}

/// What a verifier relies on after the signature checked out.
struct VerifiedCredential: JWTPayload, Equatable {
    enum Mismatch: Error, Equatable, CustomStringConvertible {
        case claim(String)
        case notYetValid
        case expired

        var description: String {
            switch self {
            case .claim(let name): "The JWT claim `\(name)` does not match the credential it carries."
            case .notYetValid: "The credential is not valid yet (nbf is in the future)."
            case .expired: "The credential expired (exp has passed)."
            }
        }
    }

    struct Subject: Codable, Equatable { var id: String? }

    /// The issuer as a URI or as a Profile with an `id`.
    struct Issuer: Codable, Equatable {
        var id: String
        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                id = text
            } else {
                struct Profile: Decodable { let id: String }
                id = try Profile(from: decoder).id
            }
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(id)
        }
    }

    var iss: String
    var jti: String
    var sub: String?
    var nbf: Int
    var exp: Int?
    var id: String
    var type: [String]
    var issuer: Issuer
    var validFrom: String
    var validUntil: String?
    var credentialSubject: Subject

    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard iss == issuer.id else { throw Mismatch.claim("iss") }
        guard jti == id else { throw Mismatch.claim("jti") }
        guard sub == credentialSubject.id else { throw Mismatch.claim("sub") }
        guard let from = CredentialDate.parse(validFrom), Int(from.timeIntervalSince1970) == nbf else { throw Mismatch.claim("nbf") }
        let until = validUntil.flatMap(CredentialDate.parse).map { Int($0.timeIntervalSince1970) }
        guard exp == until else { throw Mismatch.claim("exp") }
        let now = Date().timeIntervalSince1970
        // A minute's leeway for clocks that disagree a little.
        guard Double(nbf) <= now + 60 else { throw Mismatch.notYetValid }
        if let exp, Double(exp) < now { throw Mismatch.expired }
    }
}
