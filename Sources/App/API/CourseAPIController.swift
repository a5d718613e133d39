import Fluent
import Vapor

/// The public course API under /api/v1, with the catalogue's filters. Described in `OpenAPIDocument`.
struct CourseAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api")
        api.get("openapi.json") { _ -> Response in
            let response = Response(status: .ok, body: .init(string: OpenAPIDocument.json))
            response.headers.contentType = .json
            return response
        }
        let v1 = api.grouped("v1")
        v1.get("courses", use: list)
        v1.get("courses", ":slug", use: detail)
    }

    struct CourseSummary: Content {
        var slug: String
        var url: String
        var title: LocalizedText
        var summary: LocalizedText
        var language: String
        var themes: [String]
        var professions: [String]
        var durationMinutes: Int?
        var accreditations: [PackageAccreditation]
        var restricted: Bool
        var access: String
        var version: Int
    }

    struct CourseList: Content {
        var items: [CourseSummary]
        var total: Int
        var page: Int
        var pageCount: Int
        var next: String?
        var previous: String?
    }

    struct ModuleSummary: Content {
        var key: String
        var title: LocalizedText
        var kind: String
        var durationMinutes: Int?
        var depth: Int
        var required: Bool
    }

    struct CourseDetail: Content {
        var course: CourseSummary
        var description: LocalizedText
        var learningGoals: [LocalizedText]
        var keywords: [String]
        var modules: [ModuleSummary]
        var publishedAt: Date?
    }

    func list(req: Request) async throws -> CourseList {
        let parameters = (try? req.query.decode([String: String].self)) ?? [:]
        if let page = parameters["page"], Int(page) == nil || Int(page)! < 1 {
            throw APIValidationError(reason: "The query has invalid parameters",
                                     problems: [.init(field: "page", message: "page must be a whole number of 1 or more, got '\(page)'")])
        }
        let query = CatalogueQuery(parameters: parameters)
        let index = try await req.application.catalogue.current(on: req.db)
        let access = try await CourseAccess.load(for: req)
        let verdicts = access.verdicts(in: index, fingerprint: access.fingerprint, kept: req.application.catalogueVerdicts)
        let result = index.search(query, language: req.language, verdicts: verdicts)
        return CourseList(
            items: result.entries.map { Self.summary($0.entry, visibility: $0.visibility) },
            total: result.total, page: result.page, pageCount: result.pageCount,
            next: result.page < result.pageCount ? "/api/v1/courses" + Self.queryPart(query.onPage(result.page + 1)) : nil,
            previous: result.page > 1 ? "/api/v1/courses" + Self.queryPart(query.onPage(result.page - 1)) : nil)
    }

    static func queryPart(_ query: CatalogueQuery) -> String {
        let string = query.queryString
        return string.isEmpty ? "" : "?" + string
    }

    static func summary(_ entry: CatalogueEntry, visibility: CatalogueVisibility) -> CourseSummary {
        CourseSummary(slug: entry.slug, url: SiteRoute.course(slug: entry.slug).path, title: entry.title,
                      summary: entry.summary, language: entry.language, themes: entry.themes,
                      professions: entry.professions, durationMinutes: entry.durationMinutes,
                      accreditations: entry.accreditations, restricted: entry.isRestricted,
                      access: visibility == .open ? "open" : "locked", version: entry.versionNumber)
    }

    func detail(req: Request) async throws -> CourseDetail {
        let slug = req.parameters.get("slug") ?? ""
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).filter(\.$status == .published)
            .with(\.$currentVersion).first(), let version = course.currentVersion, let courseID = course.id else {
            throw Abort(.notFound, reason: "No published course has the slug '\(slug)'")
        }
        let entry = CatalogueEntry(version: version, courseID: courseID, slug: course.slug)
        let access = try await CourseAccess.load(for: req)
        let visibility = access.visibility(entry)
        guard visibility != .hidden else { throw Abort(.notFound, reason: "No published course has the slug '\(slug)'") }
        let modules = try await version.$modules.query(on: req.db).sort(\.$position).all()
        return CourseDetail(
            course: Self.summary(entry, visibility: visibility), description: version.description,
            learningGoals: version.learningGoals, keywords: version.keywords,
            modules: modules.map { .init(key: $0.key, title: $0.title, kind: $0.kind, durationMinutes: $0.durationMinutes,
                                         depth: $0.depth, required: $0.required) },
            publishedAt: version.publishedAt)
    }
}
