import Fluent
import Vapor

/// A learner downloads their own accreditation records, in the same formats partners receive.
struct LearnerRecordsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(SignedInMiddleware()).get(SiteRoute.Pattern.myRecords, use: download)
    }

    func download(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let requested = try? req.query.get(String.self, at: "format")
        guard let format = RecordExportFormat.negotiate(query: requested, accept: nil) else {
            throw Abort(.badRequest, reason: req.t("records.download.format", RecordExportFormat.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        let records = try await AccreditationRecord.query(on: req.db).filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt).all()
        var body = format.header()
        for (index, record) in records.enumerated() {
            body += try format.line(try RecordExportItem(record), first: index == 0,
                                      site: ExportSite(baseURL: req.application.academySettings.baseURL,
                                                       academyName: req.application.academySettings.academyName))
        }
        body += try format.footer(next: "")
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"my-accreditation-records.\(format.fileExtension)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
