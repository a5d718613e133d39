import Fluent
import Vapor

/// GET /api/v1/accreditation-records: the records within the calling partner's scope, after the cursor it
/// sends, as JSON, NDJSON, CSV, xAPI or signed Open Badges 3.0 credentials (ob3, ob3-ndjson). The response
/// streams; the next cursor is in the `Academy-Next-Cursor` header (and at the end of the JSON document),
/// known before the first record leaves.
struct AccreditationRecordAPIController: RouteCollection {
    static let maxLimit = 1_000_000

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1").grouped(PartnerTokenAuthenticator(scope: APIToken.recordsScope))
            .get("accreditation-records", use: list)
    }

    struct Query: Decodable {
        var since: String?
        var limit: Int?
        var course: String?
        var body: String?
        var from: String?
        var to: String?
        var format: String?
    }

    func list(req: Request) async throws -> Response {
        let caller = try req.auth.require(PartnerCaller.self)
        let query = try req.query.decode(Query.self)
        guard let format = RecordExportFormat.negotiate(query: query.format, accept: req.headers.first(name: .accept)) else {
            throw Abort(.badRequest, reason: "format must be one of \(RecordExportFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(query.format ?? "")'.")
        }
        var cursor = ExportCursor.start
        if let since = query.since, !since.isEmpty {
            guard let parsed = ExportCursor(since) else {
                throw Abort(.badRequest, reason: "since: '\(since)' is not a cursor from this API. Send the value of the last Academy-Next-Cursor header, or leave it out to start from the first record.")
            }
            cursor = parsed
        }
        if let limit = query.limit, !(1...Self.maxLimit).contains(limit) {
            throw Abort(.badRequest, reason: "limit must be between 1 and \(Self.maxLimit), not \(limit).")
        }
        var filters = RecordExport.Filters()
        if let course = query.course, !course.isEmpty {
            if let id = UUID(uuidString: course) {
                filters.courseID = id
            } else if let found = try await Course.query(on: req.db).filter(\.$slug == course).first() {
                filters.courseID = try found.requireID()
            } else {
                throw Abort(.badRequest, reason: "course: no course has the slug or id '\(course)'.")
            }
        }
        filters.body = query.body.flatMap { $0.isEmpty ? nil : $0 }
        for (name, value) in [("from", query.from), ("to", query.to)] {
            if let value, !value.isEmpty, CalendarDay(iso: value) == nil {
                throw Abort(.badRequest, reason: "\(name) must be a day written as YYYY-MM-DD, not '\(value)'.")
            }
        }
        filters.from = query.from.flatMap { $0.isEmpty ? nil : $0 }
        filters.to = query.to.flatMap { $0.isEmpty ? nil : $0 }

        let export = RecordExport(database: req.db, scope: caller.partner.scope, filters: filters)
        let window = try await export.window(after: cursor, limit: query.limit)
        let log = ExportLogWriter(database: req.db, partnerID: try caller.partner.requireID(), tokenID: caller.token.id,
                                  channel: "api", format: format, filters: filters, logger: req.logger)
        let settings = req.application.academySettings
        let site = ExportSite(baseURL: settings.baseURL, academyName: settings.academyName)
        let issuance = format.isSigned ? try await req.application.credentialIssuance(on: req.db) : nil
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        response.headers.replaceOrAdd(name: "Academy-Next-Cursor", value: window.next.description)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        if format != .json {
            response.headers.replaceOrAdd(name: .contentDisposition,
                                          value: "attachment; filename=\"accreditation-records.\(format.fileExtension)\"")
        }
        response.body = .init(asyncStream: { writer in
            do {
                var buffer = ByteBuffer()
                buffer.writeString(format.header())
                var lines = RecordLineWriter(format: format, site: site, issuance: issuance)
                let count: Int
                if RecordExport.writesPages(format) {
                    count = try await export.forEachPage(in: window, format: format) { page in
                        buffer.writeImmutableBuffer(page)
                        try await writer.write(.buffer(buffer))
                        buffer = ByteBuffer()
                    }
                } else {
                    count = try await export.forEach(in: window) { item in
                        buffer.writeString(try await lines.add(item))
                        if buffer.readableBytes >= 64 * 1024 {
                            try await writer.write(.buffer(buffer))
                            buffer = ByteBuffer()
                        }
                    }
                }
                buffer.writeString(try await lines.finish())
                buffer.writeString(try format.footer(next: window.next.description))
                try await writer.write(.buffer(buffer))
                try await writer.write(.end)
                await log.write(count: count, window: window)
            } catch {
                req.logger.report(error: error)
                try? await writer.write(.error(error))
            }
        })
        return response
    }
}

/// Writes the audit line of an export once it has been sent.
struct ExportLogWriter: Sendable {
    let database: any Database
    let partnerID: UUID
    let tokenID: UUID?
    let channel: String
    let format: RecordExportFormat
    let filters: RecordExport.Filters
    let logger: Logger

    func write(count: Int, window: RecordExport.Window) async {
        let entry = ExportLog()
        entry.$partner.id = partnerID
        entry.$token.id = tokenID
        entry.channel = channel
        entry.at = Date()
        entry.format = format.rawValue
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        entry.filters = (try? encoder.encode(filters)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        entry.recordCount = count
        entry.cursorFrom = window.after.description
        entry.cursorTo = window.next.description
        do {
            try await entry.create(on: database)
        } catch {
            logger.error("The export log could not be written: \(String(reflecting: error))")
        }
    }
}
