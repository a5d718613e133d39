import Vapor

/// The pages and documents of the academy's signed credentials: public keys, issuer profile and status list
/// for verifiers, and the learner's own badge downloads and sharing choice. Links are built from `path` and
/// handlers registered from `Pattern`, as in `SiteRoute`.
enum CredentialRoute: Sendable, Equatable {
    /// The public signing keys as a JWKS.
    case jwks
    /// One public key as a JWK: what a credential's `kid` points to.
    case key(thumbprint: String)
    /// The issuer's Open Badges Profile.
    case issuer
    /// The signed revocation status list (Bitstring Status List).
    case statusList
    /// The signed Open Badges credential of one of the learner's records, as a file.
    case badge(record: UUID)
    /// POST: whether the learner's registration number goes into shared credentials.
    case sharing
    /// The learner's signed CLR transcript of one year, as a file.
    case transcript(year: Int)
    /// The learner's standing Open Badges credentials, signed, in one JSON file.
    case badges

    var path: String {
        switch self {
        case .jwks: return CredentialAddresses.jwksPath
        case .key(let thumbprint): return CredentialAddresses.keysPath + "/" + SiteRoute.escape(thumbprint)
        case .issuer: return CredentialAddresses.issuerPath
        case .statusList: return CredentialAddresses.statusListPath
        case .badge(let record): return "/my-learning/records/\(record.uuidString.lowercased())/badge"
        case .sharing: return "/my-learning/records/sharing"
        case .transcript(let year): return "/my-learning/records?format=clr&year=\(year)"
        case .badges: return SiteRoute.myRecords(format: .ob3).path
        }
    }

    enum Pattern {
        static let jwks: [PathComponent] = [".well-known", "jwks.json"]
        static let key: [PathComponent] = ["credentials", "keys", ":thumbprint"]
        static let issuer: [PathComponent] = ["credentials", "issuer"]
        static let statusList: [PathComponent] = ["credentials", "status", "revocation"]
        static let badge: [PathComponent] = ["my-learning", "records", ":record", "badge"]
        static let sharing: [PathComponent] = ["my-learning", "records", "sharing"]
    }
}
