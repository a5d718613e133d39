import Foundation

/// Where the academy's credentials point: the issuer profile, the signing keys, the status list, and the
/// identifiers of credentials, learners and achievements. Paths are fixed here once; the routes use them.
struct CredentialAddresses: Sendable, Equatable {
    static let jwksPath = "/.well-known/jwks.json"
    static let keysPath = "/credentials/keys"
    static let issuerPath = "/credentials/issuer"
    static let statusListPath = "/credentials/status/revocation"
    static let achievementsPath = "/credentials/achievements"

    let site: ExportSite

    init(site: ExportSite) {
        self.site = site
    }

    var baseURL: String { site.baseURL }
    var issuerID: String { site.baseURL + Self.issuerPath }
    var jwksURL: String { site.baseURL + Self.jwksPath }
    var statusListURL: String { site.baseURL + Self.statusListPath }

    /// The `kid` of a signing key: a URL that answers with that key as a JWK (OB 3.0 wants a dereferenceable URI).
    func keyURL(thumbprint: String) -> String { site.baseURL + Self.keysPath + "/" + thumbprint }

    /// One credential per accreditation record, the same every time it is issued again.
    func credentialID(record: UUID) -> String { "urn:uuid:" + record.uuidString.lowercased() }

    /// The learner, by an identifier that says nothing about the person.
    func subjectID(learner: UUID) -> String { "urn:uuid:" + learner.uuidString.lowercased() }

    /// One achievement per course, accreditation body and activity number.
    func achievementID(course: UUID, body: String, activityNumber: String) -> String {
        site.baseURL + Self.achievementsPath + "/" + course.uuidString.lowercased() + "/" + Self.escape(body)
            + "/" + Self.escape(activityNumber)
    }

    /// Percent-encodes everything but RFC 3986's unreserved ASCII characters.
    static func escape(_ component: String) -> String {
        var allowed = CharacterSet()
        allowed.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return component.addingPercentEncoding(withAllowedCharacters: allowed) ?? component
    }
}
