import Fluent
import Vapor

/// The admin pages for partners and their API tokens: list, register, issue (shown once), revoke, and each
/// partner's export log. Admins only (403 for everyone else). The rules live in `PartnerDesk`, which the
/// `academy partner` command uses too; this controller reads forms and lays out pages.
struct PartnerAdminController: RouteCollection {
    static let logRows = 50

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(PartnerAdminRoute.Pattern.partners, use: partners)
        signedIn.get(PartnerAdminRoute.Pattern.newPartner, use: newPartnerForm)
        signedIn.post(PartnerAdminRoute.Pattern.newPartner, use: addPartner)
        signedIn.get(PartnerAdminRoute.Pattern.partner, use: partner)
        signedIn.post(PartnerAdminRoute.Pattern.createToken, use: createToken)
        signedIn.post(PartnerAdminRoute.Pattern.revokeToken, use: revokeToken)
    }

    static func requireAdmin(_ req: Request) throws -> User {
        guard let user = req.auth.get(User.self), user.role == .admin else {
            throw Abort(.forbidden, reason: "admins-only")
        }
        return user
    }

    static func partner(_ req: Request) async throws -> Partner {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let partner = try await Partner.query(on: req.db).filter(\.$id == id).with(\.$tokens).first() else {
            throw Abort(.notFound)
        }
        return partner
    }

    // MARK: What the pages show

    struct TokenRow: Encodable {
        let prefix: String
        let label: String
        let scopes: String
        let created: String
        let expires: String
        let lastUsed: String
        let state: String
        let stateLabel: String
        let revokeURL: String?
    }

    struct PartnerRow: Encodable {
        let name: String
        let url: String
        let contact: String?
        /// nil when empty: Leaf takes an empty string as true.
        let bodies: String?
        let courses: String?
        let tokens: [TokenRow]
        let hasTokens: Bool
    }

    static func when(_ date: Date?, _ req: Request) -> String {
        guard let date else { return req.t("partners.never") }
        return BrusselsTime.day(date, language: req.language) + " " + BrusselsTime.clock(date, language: req.language)
    }

    static func tokenRows(_ partner: Partner, _ req: Request, revocable: Bool) throws -> [TokenRow] {
        let now = Date()
        let partnerID = try partner.requireID()
        return try partner.tokens.sorted { $0.createdAt > $1.createdAt }.map { token in
            let state = PartnerDesk.state(of: token, at: now)
            return TokenRow(prefix: token.prefix + "…", label: token.label, scopes: token.scopes.joined(separator: ", "),
                            created: when(token.createdAt, req), expires: when(token.expiresAt, req),
                            lastUsed: when(token.lastUsedAt, req), state: state, stateLabel: req.t("partners.token.state.\(state)"),
                            revokeURL: revocable && token.revokedAt == nil
                                ? PartnerAdminRoute.revokeToken(partner: partnerID, token: try token.requireID()).path : nil)
        }
    }

    static func row(_ partner: Partner, courses: [UUID: String], _ req: Request) throws -> PartnerRow {
        let tokens = try tokenRows(partner, req, revocable: false)
        let bodies = bodyNames(partner.bodies, req)
        let slugs = partner.courseIDs.map { courses[$0] ?? $0.uuidString.lowercased() }.joined(separator: ", ")
        return PartnerRow(name: partner.name, url: PartnerAdminRoute.partner(id: try partner.requireID()).path,
                          contact: partner.contact, bodies: bodies.isEmpty ? nil : bodies, courses: slugs.isEmpty ? nil : slugs,
                          tokens: tokens, hasTokens: !tokens.isEmpty)
    }

    static func bodyNames(_ bodies: [String], _ req: Request) -> String {
        bodies.map { MessageCatalogue.has("accreditation.body.\($0)", req.language) ? "\(req.t("accreditation.body.\($0)")) (\($0))" : $0 }
            .joined(separator: ", ")
    }

    static func courseSlugs(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let courses = try await Course.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(uniqueKeysWithValues: try courses.map { (try $0.requireID(), $0.slug) })
    }

    // MARK: List

    struct PartnersPage: Encodable {
        let page: PageContext
        let notice: String?
        let partners: [PartnerRow]
        let hasPartners: Bool
        let newURL: String
    }

    func partners(req: Request) async throws -> View {
        _ = try Self.requireAdmin(req)
        let partners = try await Partner.query(on: req.db).with(\.$tokens).sort(\.$name).all()
        let courses = try await Self.courseSlugs(Array(Set(partners.flatMap(\.courseIDs))), on: req.db)
        let rows = try partners.map { try Self.row($0, courses: courses, req) }
        return try await req.view.render("partners", PartnersPage(
            page: PageContext(req, title: req.t("partners.title"), section: "partners"), notice: req.takeNotice(),
            partners: rows, hasPartners: !rows.isEmpty, newURL: PartnerAdminRoute.newPartner.path))
    }

    // MARK: Register a partner

    struct PartnerForm: Content {
        var name: String?
        var contact: String?
        var bodies: String?
        var courses: String?
    }

    struct PartnerFormPage: Encodable {
        let page: PageContext
        let action: String
        let cancelURL: String
        let hasErrors: Bool
        let name: FormField
        let contact: FormField
        let bodies: FormField
        let courses: FormField
    }

    func newPartnerForm(req: Request) async throws -> View {
        _ = try Self.requireAdmin(req)
        return try await renderPartnerForm(req, input: .init(name: ""), problems: [])
    }

    private func renderPartnerForm(_ req: Request, input: PartnerDesk.PartnerInput, problems: [FieldProblem]) async throws -> View {
        try await req.view.render("partner-form", PartnerFormPage(
            page: PageContext(req, title: req.t("partners.new.title"), section: "partners"),
            action: PartnerAdminRoute.newPartner.path, cancelURL: PartnerAdminRoute.partners.path, hasErrors: !problems.isEmpty,
            name: FormField("name", value: input.name, problems: problems, request: req),
            contact: FormField("contact", value: input.contact, problems: problems, request: req),
            bodies: FormField("bodies", value: input.bodies, problems: problems, request: req),
            courses: FormField("courses", value: input.courses, problems: problems, request: req)))
    }

    func addPartner(req: Request) async throws -> Response {
        _ = try Self.requireAdmin(req)
        let form = try req.content.decode(PartnerForm.self)
        let input = PartnerDesk.PartnerInput(name: form.name ?? "", contact: form.contact ?? "", bodies: form.bodies ?? "",
                                             courses: form.courses ?? "")
        do {
            let partner = try await PartnerDesk(database: req.db).addPartner(input)
            req.notice = req.t("partners.added", partner.name)
            return req.redirect(to: PartnerAdminRoute.partner(id: try partner.requireID()).path, redirectType: .normal)
        } catch let refused as PartnerDesk.Refused {
            return try await renderPartnerForm(req, input: input, problems: refused.problems)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    // MARK: One partner

    struct LogRow: Encodable {
        let at: String
        let channel: String
        let token: String
        let format: String
        let filters: String
        let count: Int
        let cursorFrom: String
        let cursorTo: String
    }

    struct PartnerPage: Encodable {
        let page: PageContext
        let notice: String?
        let partner: PartnerRow
        let tokens: [TokenRow]
        let hasTokens: Bool
        let tokenAction: String
        let hasErrors: Bool
        let label: FormField
        let expiresDays: FormField
        let defaultExpiryDays: Int
        let log: [LogRow]
        let hasLog: Bool
        let logLimit: Int
        let listURL: String
    }

    func partner(req: Request) async throws -> View {
        _ = try Self.requireAdmin(req)
        return try await renderPartner(req, partner: try await Self.partner(req), token: .init(), problems: [])
    }

    private func renderPartner(_ req: Request, partner: Partner, token: PartnerDesk.TokenInput,
                               problems: [FieldProblem]) async throws -> View {
        let partnerID = try partner.requireID()
        let courses = try await Self.courseSlugs(partner.courseIDs, on: req.db)
        let logs = try await ExportLog.query(on: req.db).filter(\.$partner.$id == partnerID).with(\.$token)
            .sort(\.$at, .descending).limit(Self.logRows).all()
        let log = logs.map { entry in
            LogRow(at: Self.when(entry.at, req), channel: entry.channel, token: entry.token.map { $0.prefix + "…" } ?? "–",
                   format: entry.format, filters: entry.filters == "{}" ? "–" : entry.filters, count: entry.recordCount,
                   cursorFrom: entry.cursorFrom ?? "–", cursorTo: entry.cursorTo ?? "–")
        }
        let tokens = try Self.tokenRows(partner, req, revocable: true)
        return try await req.view.render("partner", PartnerPage(
            page: PageContext(req, title: req.t("partners.partner.title", partner.name), section: "partners"),
            notice: req.takeNotice(), partner: try Self.row(partner, courses: courses, req), tokens: tokens,
            hasTokens: !tokens.isEmpty, tokenAction: PartnerAdminRoute.createToken(partner: partnerID).path,
            hasErrors: !problems.isEmpty,
            label: FormField("label", value: token.label, problems: problems, request: req),
            expiresDays: FormField("expiresDays", value: token.expiresDays, problems: problems, request: req),
            defaultExpiryDays: PartnerDesk.defaultExpiryDays, log: log, hasLog: !log.isEmpty, logLimit: Self.logRows,
            listURL: PartnerAdminRoute.partners.path))
    }

    // MARK: Tokens

    struct TokenForm: Content {
        var label: String?
        var expiresDays: String?
    }

    struct NewTokenPage: Encodable {
        let page: PageContext
        let partnerName: String
        let secret: String
        let prefix: String
        let expires: String
        let partnerURL: String
    }

    func createToken(req: Request) async throws -> Response {
        _ = try Self.requireAdmin(req)
        let partner = try await Self.partner(req)
        let form = try req.content.decode(TokenForm.self)
        let input = PartnerDesk.TokenInput(label: form.label ?? "", expiresDays: form.expiresDays ?? "")
        do {
            let (token, secret) = try await PartnerDesk(database: req.db).issueToken(for: partner, input)
            let view = try await req.view.render("partner-token", NewTokenPage(
                page: PageContext(req, title: req.t("partners.token.created.title"), section: "partners"),
                partnerName: partner.name, secret: secret, prefix: token.prefix + "…", expires: Self.when(token.expiresAt, req),
                partnerURL: PartnerAdminRoute.partner(id: try partner.requireID()).path))
            let response = try await view.encodeResponse(status: .created, for: req)
            // The secret is on this page only: keep it out of caches and history.
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } catch let refused as PartnerDesk.Refused {
            return try await renderPartner(req, partner: partner, token: input, problems: refused.problems)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func revokeToken(req: Request) async throws -> Response {
        _ = try Self.requireAdmin(req)
        let partner = try await Self.partner(req)
        guard let tokenID = req.parameters.get("token").flatMap(UUID.init(uuidString:)),
              let token = try await PartnerDesk(database: req.db).revokeToken(id: tokenID, of: try partner.requireID()) else {
            throw Abort(.notFound)
        }
        req.notice = req.t("partners.token.revoked", token.prefix + "…")
        return req.redirect(to: PartnerAdminRoute.partner(id: try partner.requireID()).path, redirectType: .normal)
    }
}
