import Fluent
import Vapor

/// Serves the files of imported course versions: GET /content/:slug/:version/**, with the file's media
/// type, an ETag and byte ranges (video seeking) from Vapor's file streaming. Admins may open every version;
/// signed-in learners enrolled in the course (active or completed) the published versions and the one
/// they enrolled in. Everyone else gets 404 when the course or version is unpublished or hidden from them,
/// 403 otherwise.
///
/// Unfinished: package content runs on the academy's own origin, so a package's scripts act with the
/// learner's session (SCORM needs the same origin as the player). Serving content from a separate
/// content host is the way out once there is a player.
struct ContentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.Pattern.content, use: serve)
    }

    enum Decision: Equatable {
        case allowed
        case hidden
        case forbidden
    }

    func serve(req: Request) async throws -> Response {
        let segments = req.parameters.getCatchall()
        guard ContentPath.isSafe(segments) else { throw Abort(.badRequest, reason: "content-path") }
        guard let number = req.parameters.get("version", as: Int.self),
              let course = try await Course.query(on: req.db).filter(\.$slug == req.parameters.get("slug") ?? "").first(),
              let courseID = course.id,
              let version = try await CourseVersion.query(on: req.db).filter(\.$course.$id == courseID)
                .filter(\.$number == number).first() else {
            throw Abort(.notFound)
        }
        switch try await decide(req: req, course: course, version: version) {
        case .allowed: break
        case .hidden: throw Abort(.notFound)
        case .forbidden: throw Abort(.forbidden, reason: "content-not-enrolled")
        }
        let path = segments.joined(separator: "/")
        guard case .file(let file) = try await req.application.contentStore.locate(courseID: courseID, version: number, path: path) else {
            throw Abort(.notFound)
        }
        let fileExtension = file.pathExtension.lowercased()
        let response = try await req.fileio.asyncStreamFile(
            at: file.path, mediaType: HTTPMediaType.fileExtension(fileExtension) ?? .binary)
        // Access can change, so browsers ask again each time (a cheap 304 with the ETag).
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    func decide(req: Request, course: Course, version: CourseVersion) async throws -> Decision {
        let user = req.auth.get(User.self)
        if user?.role == .admin { return .allowed }
        // Owners and co-owners try every version of their course, drafts too, before learners get it.
        if let user, user.role == .trainer, let courseID = course.id,
           try await CourseOwnership(database: req.db).canManage(courseID: courseID, user: user) {
            return .allowed
        }
        if let userID = user?.id, let courseID = course.id {
            let enrolment = try await Enrolment.query(on: req.db)
                .filter(\.$user.$id == userID).filter(\.$course.$id == courseID)
                .filter(\.$status ~~ [.active, .completed]).first()
            if let enrolment, version.publishedAt != nil || enrolment.$version.id == version.id {
                return .allowed
            }
        }
        guard course.status == .published, version.publishedAt != nil,
              let currentID = course.$currentVersion.id, let courseID = course.id,
              let current = try await CourseVersion.find(currentID, on: req.db) else {
            return .hidden
        }
        let access = try await CourseAccess.load(for: req)
        let entry = CatalogueEntry(version: current, courseID: courseID, slug: course.slug)
        return access.visibility(entry) == .hidden ? .hidden : .forbidden
    }
}
