import NIOCore
import NIOPosix
import Vapor

/// POST /api/v1/packages: a trainer's tool publishes a package. The body is the zip itself, streamed to disk
/// as the upload page does; `dry_run=true` only checks it, `publish=true` makes the version current. The
/// answer is the import report as JSON (`ImportReportDocument`): 201 when a version was created, 200 for a
/// dry run or identical content, 422 when the package is refused (broken, hostile, or a course the token's
/// holder does not own). Authentication errors are RFC 9457 problem documents. Findings keep `message` and
/// `hint` in English and add `localizedMessage`/`localizedHint` in the request's Accept-Language, or else the
/// token holder's preferred language, or else Dutch (`reportLanguage`).
struct PackageAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1").grouped(UserTokenAuthenticator(scope: UserAPIToken.packagesScope))
            .on(.POST, "packages", body: .stream, use: create)
    }

    static func flag(_ req: Request, _ name: String) throws -> Bool {
        guard let value = req.query[String.self, at: name]?.lowercased() else { return false }
        switch value {
        case "true", "1", "yes": return true
        case "false", "0", "no", "": return false
        default: throw Abort(.badRequest, reason: "\(name) must be true or false, not '\(value)'")
        }
    }

    func create(req: Request) async throws -> Response {
        let holder = try req.auth.require(TokenHolder.self)
        let dryRun = try Self.flag(req, "dry_run")
        let publish = try Self.flag(req, "publish")
        let uploads = PackageUploads(dataDirectory: req.application.academySettings.dataDirectory)
        let id = PackageUploads.makeID()
        defer { uploads.remove(id) }
        let destination = try uploads.create(id)
        let written = try await Self.receive(req.body, to: destination.path, maxBytes: TrainerPackagesController.maxUploadBytes,
                                             fileio: req.application.fileio)
        guard written > 0 else {
            throw Abort(.badRequest, reason: "The request body is empty: send the package zip itself as the body (Content-Type: application/zip).")
        }
        try uploads.saveMetadata(.init(userID: try holder.user.requireID(), fileName: "package.zip", createdAt: Date()), for: id)
        let outcome = try await req.application.importPackage(
            at: destination, options: .init(dryRun: dryRun, publish: publish, displayName: "package.zip",
                                            publisher: try PackagePublisher(holder.user)))
        let status: HTTPResponseStatus = switch outcome.status {
        case .refused: .unprocessableEntity
        case .created: .created
        case .dryRun, .unchanged: .ok
        }
        let response = Response(status: status)
        let language = Self.reportLanguage(req, holder: holder.user)
        try response.content.encode(ImportReportDocument(outcome, language: language), as: .json)
        response.headers.replaceOrAdd(name: .contentLanguage, value: language.rawValue)
        if outcome.status == .created, outcome.published, let slug = outcome.slug {
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/courses/\(SiteRoute.escape(slug))")
        }
        return response
    }

    /// An explicit Accept-Language wins (a tool can ask for the language it shows), then the token holder's
    /// preferred language, then Dutch.
    static func reportLanguage(_ req: Request, holder: User) -> Language {
        if let header = req.headers.first(name: .acceptLanguage), let language = Language.negotiate(acceptLanguage: header) {
            return language
        }
        return Language(rawValue: holder.preferredLanguage) ?? .default
    }

    /// Writes the body to `path` as it arrives; refuses more than `maxBytes`. Returns the bytes written.
    static func receive<Body: AsyncSequence>(_ body: Body, to path: String, maxBytes: Int64, fileio: NonBlockingFileIO) async throws -> Int64
        where Body.Element == ByteBuffer {
        var written: Int64 = 0
        try await fileio.withFileHandle(path: path, mode: .write, flags: .allowFileCreation(posixMode: 0o600)) { handle in
            for try await chunk in body {
                written += Int64(chunk.readableBytes)
                guard written <= maxBytes else {
                    throw Abort(.payloadTooLarge, reason: "The package is larger than \(PackageArchive.describe(bytes: maxBytes)).")
                }
                try await fileio.write(fileHandle: handle, buffer: chunk)
            }
        }
        return written
    }
}
