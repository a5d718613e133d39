import Fluent
import Vapor

/// Serves what verifiers of the academy's credentials need (keys, issuer profile, status list), and lets a
/// learner download the signed badge of a record and choose whether the registration number is shared.
/// The credentials themselves are made in `CredentialIssuance`.
struct CredentialController: RouteCollection {
    static let jwtContentType = HTTPMediaType(type: "application", subType: "vc+jwt")

    func boot(routes: any RoutesBuilder) throws {
        routes.get(CredentialRoute.Pattern.jwks, use: jwks)
        routes.get(CredentialRoute.Pattern.key, use: key)
        routes.get(CredentialRoute.Pattern.issuer, use: issuer)
        routes.get(CredentialRoute.Pattern.statusList, use: statusList)
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(CredentialRoute.Pattern.badge, use: badge)
        signedIn.post(CredentialRoute.Pattern.sharing, use: sharing)
    }

    /// The current key and every earlier one that is not retired (see `CredentialKeyStore`).
    func jwks(req: Request) async throws -> Response {
        let signer = try await req.application.credentialKeyring.current()
        let keys = try await req.application.credentialKeyStore(on: req.db).keySet(current: signer)
        return try Self.json(keys, contentType: "application/jwk-set+json", maxAge: 300)
    }

    func key(req: Request) async throws -> Response {
        let signer = try await req.application.credentialKeyring.current()
        let thumbprint = req.parameters.get("thumbprint") ?? ""
        if thumbprint == signer.thumbprint {
            return try Self.json(signer.publicKey, contentType: "application/jwk+json", maxAge: 300)
        }
        let store = req.application.credentialKeyStore(on: req.db)
        guard let key = try await store.key(thumbprint: thumbprint) else {
            throw Abort(.notFound, reason: "No signing key has this thumbprint; the current keys are at \(CredentialAddresses.jwksPath).")
        }
        if let retired = key.retireAfter, retired <= Date() {
            throw Abort(.gone, reason: "This signing key was retired on \(CredentialDate.string(retired)); credentials signed with it are no longer trusted.")
        }
        return try Self.json(store.jwk(key), contentType: "application/jwk+json", maxAge: 300)
    }

    func issuer(req: Request) async throws -> Response {
        struct Document: Encodable {
            let context = OpenBadgeCredential.context
            let profile: IssuerProfile
            enum CodingKeys: String, CodingKey { case context = "@context", id, type, name, url }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(context, forKey: .context)
                try container.encode(profile.id, forKey: .id)
                try container.encode(profile.type, forKey: .type)
                try container.encode(profile.name, forKey: .name)
                try container.encode(profile.url, forKey: .url)
            }
        }
        return try Self.json(Document(profile: IssuerProfile(addresses: req.application.credentialAddresses)),
                             contentType: "application/ld+json", maxAge: 3600)
    }

    func statusList(req: Request) async throws -> Response {
        let token = try await req.application.credentialIssuance(on: req.db).statusList()
        let response = Response(status: .ok, body: .init(string: token))
        response.headers.contentType = Self.jwtContentType
        // Verifiers may keep it a minute; a revocation shows within that.
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }

    func badge(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        guard let id = req.parameters.get("record").flatMap(UUID.init(uuidString:)),
              let record = try await AccreditationRecord.query(on: req.db).filter(\.$id == id).first(),
              try await MergedAccounts.belongs(record.$user.id, to: user.requireID(), on: req.db) || user.role == .admin else {
            throw Abort(.notFound)
        }
        guard record.kind != .revocation else {
            throw Abort(.notFound, reason: req.t("credentials.badge.revocation"))
        }
        let issued = try await req.application.credentialIssuance(on: req.db).issue([try RecordExportItem(record)])
        guard let token = issued.first?.credential else { throw Abort(.notFound) }
        return Self.download(token, fileName: "badge-\(record.verificationCode).jwt")
    }

    struct SharingForm: Content {
        var share: String?
    }

    func sharing(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let form = try req.content.decode(SharingForm.self)
        let share = ["on", "true", "1", "yes"].contains((form.share ?? "").lowercased())
        user.shareRegistrationNumber = share
        try await user.save(on: req.db)
        req.notice = req.t(share ? "credentials.sharing.on" : "credentials.sharing.off")
        return req.redirect(to: SiteRoute.myLearning.path + "#credentials-sharing", redirectType: .normal)
    }

    /// A signed credential (a compact JWS) as a file.
    static func download(_ token: String, fileName: String) -> Response {
        let response = Response(status: .ok, body: .init(string: token))
        response.headers.contentType = jwtContentType
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(fileName)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    private static func json(_ value: some Encodable, contentType: String, maxAge: Int) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let response = Response(status: .ok, body: .init(data: try encoder.encode(value)))
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(maxAge)")
        response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return response
    }
}
