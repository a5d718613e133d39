import Fluent
import Vapor

/// The audit log for admins: every change to rights, records or content (who, what, when, why, before and
/// after), filterable by action, actor and days, and exported as CSV that streams page by page.
struct AuditLogController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(AdminRoute.Pattern.audit, use: list)
        signedIn.get(AdminRoute.Pattern.auditCSV, use: csv)
    }

    struct AuditPage: Encodable {
        struct Row: Encodable {
            let when: String
            let actor: String
            let action: String
            let code: String
            let subject: String
            let subjectURL: String?
            let reason: String?
            let before: String?
            let after: String?
        }
        let page: PageContext
        let action: String
        let filterAction: String
        let filterActor: String
        let from: String
        let until: String
        let rows: [Row]
        let hasRows: Bool
        let resultsText: String
        let hasFilters: Bool
        let clearURL: String
        let csvURL: String
        let pagination: CatalogueController.Pagination
    }

    /// "user.role-changed" reads as "Rol gewijzigd" where the catalogue knows it, as itself otherwise.
    static func actionText(_ action: String, _ req: Request) -> String {
        let key = "audit.action.\(action)"
        return MessageCatalogue.has(key, req.language) ? req.t(key) : action
    }

    static func matching(_ query: AuditQuery, on db: any Database) -> QueryBuilder<AuditEvent> {
        var builder = AuditEvent.query(on: db)
        if !query.action.isEmpty {
            builder = builder.filter(.sql(embed: "\(ident: "action") LIKE \(bind: Self.escapeLike(query.action) + "%") ESCAPE '\\'"))
        }
        if !query.actor.isEmpty {
            builder = builder.filter(.sql(embed: "LOWER(\(ident: "actor_name")) LIKE \(bind: "%" + Self.escapeLike(query.actor.lowercased()) + "%") ESCAPE '\\'"))
        }
        if let from = query.from { builder = builder.filter(\.$createdAt >= Self.start(of: from)) }
        if let until = query.until { builder = builder.filter(\.$createdAt < Self.start(of: until.adding(days: 1))) }
        return builder
    }

    /// Midnight in Brussels at the start of the day.
    static func start(of day: CalendarDay) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDay.timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date.distantPast
    }

    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "%_\\".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    func list(req: Request) async throws -> View {
        _ = try UserAdminController.requireAdmin(req)
        let query = AuditQuery(parameters: (try? req.query.decode([String: String].self)) ?? [:])
        let total = try await Self.matching(query, on: req.db).count()
        let events = try await Self.matching(query, on: req.db).sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .range(((query.page - 1) * AuditQuery.pageSize)..<(query.page * AuditQuery.pageSize)).all()
        let pageCount = max(1, (total + AuditQuery.pageSize - 1) / AuditQuery.pageSize)
        let rows = events.map { event in
            AuditPage.Row(
                when: BrusselsTime.day(event.createdAt, language: req.language) + " " + BrusselsTime.clock(event.createdAt, language: req.language),
                actor: event.actorName, action: Self.actionText(event.action, req), code: event.action,
                subject: "\(event.subjectType) \(event.subjectID)",
                subjectURL: event.subjectType == "user" ? UUID(uuidString: event.subjectID).map { AdminRoute.user(id: $0).path } : nil,
                reason: event.reason, before: event.beforeJSON, after: event.afterJSON)
        }
        return try await req.view.render("admin-audit", AuditPage(
            page: PageContext(req, title: req.t("admin.audit.title"), section: "workspace"),
            action: AdminRoute.audit().path, filterAction: query.action, filterActor: query.actor,
            from: query.from?.iso ?? "", until: query.until?.iso ?? "",
            rows: rows, hasRows: !rows.isEmpty,
            resultsText: total == 1 ? req.t("admin.audit.one") : req.t("admin.audit.count", String(total)),
            hasFilters: query.hasFilters, clearURL: AdminRoute.audit().path, csvURL: AdminRoute.auditCSV(query).path,
            pagination: .around(min(query.page, pageCount), of: pageCount) {
                AdminRoute.audit(query.onPage($0)).path
            }))
    }

    /// Oldest first, in keyed pages of 500, so that memory holds one page whatever the log's length.
    func csv(req: Request) async throws -> Response {
        _ = try UserAdminController.requireAdmin(req)
        let query = AuditQuery(parameters: (try? req.query.decode([String: String].self)) ?? [:])
        let database = req.db
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"audit-log.csv\"")
        let response = Response(status: .ok, headers: headers)
        response.body = .init(asyncStream: { writer in
            do {
                try await writer.writeBuffer(ByteBuffer(string: "time_utc,actor,action,subject_type,subject_id,reason,before,after\r\n"))
                var after: (Date, UUID)?
                while true {
                    var page = Self.matching(query, on: database)
                    if let (time, id) = after {
                        page = page.group(.or) { group in
                            group.filter(\.$createdAt > time)
                            group.group(.and) { $0.filter(\.$createdAt == time).filter(\.$id > id) }
                        }
                    }
                    let events = try await page.sort(\.$createdAt).sort(\.$id).limit(500).all()
                    guard let last = events.last else { break }
                    var buffer = ByteBuffer()
                    for event in events {
                        let fields = [ISO8601DateFormatter().string(from: event.createdAt), event.actorName, event.action,
                                      event.subjectType, event.subjectID, event.reason ?? "", event.beforeJSON ?? "", event.afterJSON ?? ""]
                        buffer.writeString(fields.map(Self.csvField).joined(separator: ",") + "\r\n")
                    }
                    try await writer.writeBuffer(buffer)
                    after = (last.createdAt, try last.requireID())
                }
                try await writer.write(.end)
            } catch {
                try await writer.write(.error(error))
            }
        })
        return response
    }

    /// RFC 4180, and a leading = + - @ neutralised so that a spreadsheet never runs a cell as a formula.
    static func csvField(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
