import Fluent
import Vapor

/// A learner downloads their own accreditation records, in the same formats partners receive, their signed
/// Open Badges (?format=ob3: the records that stand) and a yearly CLR transcript (?format=clr&year=2026).
struct LearnerRecordsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(SignedInMiddleware()).get(SiteRoute.Pattern.myRecords, use: download)
    }

    func download(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let requested = try? req.query.get(String.self, at: "format")
        if requested?.lowercased() == "clr" { return try await transcript(req: req, user: user) }
        guard let format = RecordExportFormat.negotiate(query: requested, accept: nil) else {
            let formats = RecordExportFormat.allCases.map(\.rawValue) + ["clr"]
            throw Abort(.badRequest, reason: req.t("records.download.format", formats.joined(separator: ", ")))
        }
        let accountIDs = try await MergedAccounts.ids(of: user.requireID(), on: req.db)
        var records = try await AccreditationRecord.query(on: req.db).filter(\.$user.$id ~~ accountIDs)
            .sort(\.$createdAt).all()
        let settings = req.application.academySettings
        let site = ExportSite(baseURL: settings.baseURL, academyName: settings.academyName)
        var issuance: CredentialIssuance?
        if format.isSigned {
            // Badges to keep and show: only what stands, not the superseded ones.
            records = CredentialIssuance.standing(records)
            issuance = try await req.application.credentialIssuance(on: req.db)
        }
        var lines = RecordLineWriter(format: format, site: site, issuance: issuance)
        var body = format.header()
        for record in records {
            body += try await lines.add(try RecordExportItem(record))
        }
        body += try await lines.finish()
        body += try format.footer(next: "")
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"my-accreditation-records.\(format.fileExtension)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// The signed CLR 2.0 transcript of one calendar year (this year unless ?year= says otherwise).
    func transcript(req: Request, user: User) async throws -> Response {
        let thisYear = BrusselsTime.calendar.component(.year, from: Date())
        let typed = (try? req.query.get(String.self, at: "year")) ?? String(thisYear)
        guard let year = Int(typed), (2000...thisYear + 1).contains(year) else {
            throw Abort(.badRequest, reason: req.t("credentials.clr.year", typed))
        }
        do {
            let token = try await req.application.credentialIssuance(on: req.db).transcript(learner: user, year: year)
            return CredentialController.download(token, fileName: "transcript-\(year).jwt")
        } catch ClrCredential.Refusal.noCredentials {
            throw Abort(.notFound, reason: req.t("credentials.clr.none", String(year)))
        }
    }
}
