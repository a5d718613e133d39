import Fluent
import Vapor

/// The learner's printable certificate of a completion, and the public page that confirms a
/// verification code without showing more than the certificate does.
struct CertificateController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(SignedInMiddleware()).get(SiteRoute.Pattern.certificate, use: certificate)
        routes.get(SiteRoute.Pattern.verify, use: verify)
        routes.get(SiteRoute.Pattern.verifyLookup, use: lookup)
    }

    struct CertificatePage: Encodable {
        let page: PageContext
        let learnerName: String
        let courseTitle: String
        let completedOn: String
        let score: String?
        let accreditations: [CertificateAccreditation]
        let hasAccreditations: Bool
        let waitingForRegistrationNumber: Bool
        let profileURL: String
        let verificationCode: String
        let verificationURL: String
        let qrSVG: String?
        let myLearningURL: String
        /// The signed Open Badges credential of each standing record, to download.
        let badges: [BadgeLink]
        let hasBadges: Bool
    }

    struct BadgeLink: Encodable {
        let label: String
        let url: String
    }

    struct CertificateAccreditation: Encodable {
        let body: String
        let activityNumber: String
        let points: String
        let rubric: String?
        let organiserNumber: String?
        let status: String?
        /// "Geldig tot en met ...", when the record has a validity period.
        var validUntil: String? = nil
    }

    struct VerifyPage: Encodable {
        let page: PageContext
        let code: String
        let found: Bool
        let valid: Bool
        let statusText: String?
        let learnerName: String?
        let courseTitle: String?
        let completedOn: String?
        let accreditations: [CertificateAccreditation]
        let lookupURL: String
    }

    struct LookupPage: Encodable {
        let page: PageContext
        let code: String
        let problem: String?
        let action: String
    }

    func certificate(req: Request) async throws -> View {
        let user = try req.auth.require(User.self)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let completion = try await CourseCompletion.query(on: req.db).filter(\.$id == id)
                .with(\.$version).with(\.$user).first(),
              try await MergedAccounts.belongs(completion.$user.id, to: user.requireID(), on: req.db) || user.role == .admin else {
            throw Abort(.notFound)
        }
        let lang = req.language
        let records = try await AccreditationRecord.query(on: req.db).filter(\.$completion.$id == id)
            .sort(\.$createdAt).all()
        let code = completion.verificationCode ?? records.first?.verificationCode ?? "-"
        let url = req.application.academySettings.baseURL + SiteRoute.verify(code: code).path
        let title = completion.version.title.text(in: lang.rawValue) ?? ""
        let badges = try Self.current(records).map { record in
            BadgeLink(label: req.t("credentials.badge.link", req.t("accreditation.body.\(record.body)"), record.activityNumber),
                      url: CredentialRoute.badge(record: try record.requireID()).path)
        }
        return try await req.view.render("certificate", CertificatePage(
            page: PageContext(req, title: req.t("certificate.title", title), section: "learning"),
            learnerName: completion.user.name,
            courseTitle: title,
            completedOn: BrusselsTime.day(completion.completedAt, language: lang),
            score: completion.scoreScaled.map { "\(Int(($0 * 100).rounded())) %" },
            accreditations: Self.rows(Self.current(records), request: req),
            hasAccreditations: !Self.current(records).isEmpty,
            waitingForRegistrationNumber: !completion.version.accreditations.isEmpty && records.isEmpty
                && (completion.user.registrationNumber ?? "").isEmpty,
            profileURL: SiteRoute.profile.path,
            verificationCode: code,
            verificationURL: url,
            qrSVG: Self.qrSVG(url, title: req.t("certificate.qr.title")),
            myLearningURL: SiteRoute.myLearning.path,
            badges: badges, hasBadges: !badges.isEmpty))
    }

    func lookup(req: Request) async throws -> Response {
        let typed = (try? req.query.get(String.self, at: "code"))?.trimmingCharacters(in: .whitespaces) ?? ""
        if !typed.isEmpty, let code = VerificationCode.normalise(typed) {
            return req.redirect(to: .verify(code: code))
        }
        let view = try await req.view.render("verify-lookup", LookupPage(
            page: PageContext(req, title: req.t("verify.lookup.title")), code: typed,
            problem: typed.isEmpty ? nil : req.t("verify.lookup.malformed", typed),
            action: SiteRoute.verifyLookup.path))
        return try await view.encodeResponse(status: typed.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    func verify(req: Request) async throws -> Response {
        let typed = req.parameters.get("code") ?? ""
        guard let code = VerificationCode.normalise(typed) else {
            return req.redirect(to: SiteRoute.verifyLookup.path + "?code=" + CatalogueQuery.encode(typed))
        }
        if code != typed { return req.redirect(to: .verify(code: code)) }
        let lang = req.language
        var page = VerifyPage(page: PageContext(req, title: req.t("verify.title")), code: code, found: false, valid: false,
                              statusText: nil, learnerName: nil, courseTitle: nil, completedOn: nil, accreditations: [],
                              lookupURL: SiteRoute.verifyLookup.path)
        var completion = try await CourseCompletion.query(on: req.db).filter(\.$verificationCode == code)
            .with(\.$version).with(\.$user).first()
        var onlyRecord: AccreditationRecord?
        if completion == nil, let record = try await AccreditationRecord.query(on: req.db).filter(\.$verificationCode == code).first() {
            onlyRecord = record
            completion = try await CourseCompletion.query(on: req.db).filter(\.$id == record.$completion.id)
                .with(\.$version).with(\.$user).first()
        }
        guard let completion else {
            let view = try await req.view.render("verify", page)
            return try await view.encodeResponse(status: .notFound, for: req)
        }
        let records = try await AccreditationRecord.query(on: req.db).filter(\.$completion.$id == completion.requireID())
            .sort(\.$createdAt).all()
        let current = Self.current(records)
        var shown = current
        var valid = true
        var status = req.t("verify.valid")
        if let onlyRecord {
            // The code of one record: confirm that record, and say when it was corrected or revoked.
            let chain = Self.latest(of: onlyRecord, in: records)
            shown = chain.kind == .revocation ? [] : [chain]
            if chain.kind == .revocation {
                valid = false
                status = req.t("verify.revoked", BrusselsTime.day(chain.createdAt, language: lang))
            } else if chain.id != onlyRecord.id {
                status = req.t("verify.corrected", BrusselsTime.day(chain.createdAt, language: lang))
            }
        }
        page = VerifyPage(page: page.page, code: code, found: true, valid: valid, statusText: status,
                          learnerName: completion.user.name,
                          courseTitle: completion.version.title.text(in: lang.rawValue),
                          completedOn: BrusselsTime.day(completion.completedAt, language: lang),
                          accreditations: Self.rows(shown, request: req), lookupURL: page.lookupURL)
        return try await req.view.render("verify", page).encodeResponse(for: req)
    }

    /// The records that stand: issued or corrections, minus every record a later one supersedes, minus revoked chains.
    static func current(_ records: [AccreditationRecord]) -> [AccreditationRecord] {
        let superseded = Set(records.compactMap { $0.$supersedes.id })
        return records.filter { record in
            guard let id = record.id else { return false }
            return !superseded.contains(id) && record.kind != .revocation
        }
    }

    /// The newest record in the chain that starts at `record` (a correction or revocation names the one it replaces).
    static func latest(of record: AccreditationRecord, in records: [AccreditationRecord]) -> AccreditationRecord {
        var current = record
        while let next = records.first(where: { $0.$supersedes.id == current.id && $0.id != nil }) {
            current = next
        }
        return current
    }

    static func rows(_ records: [AccreditationRecord], request: Request) -> [CertificateAccreditation] {
        records.map { record in
            CertificateAccreditation(body: request.t("accreditation.body.\(record.body)"), activityNumber: record.activityNumber,
                                     points: CreditPoints.text(record.points, unit: record.unit, language: request.language),
                                     rubric: record.rubric, organiserNumber: record.organiserNumber,
                                     status: record.kind == .correction ? request.t("certificate.corrected") : nil,
                                     validUntil: record.validUntil.map {
                                         request.t("cycle.certificate.valid.until", BrusselsTime.day(iso: $0, language: request.language))
                                     })
        }
    }

    /// The verification URL as a QR code; the URL is printed as text beside it either way.
    static func qrSVG(_ url: String, title: String) -> String? {
        try? QRCode(text: url).svg(moduleSize: 4, quietZone: 4, title: title)
    }
}
