import NIOCore
import NIOPosix
import Vapor

/// The trainer's upload flow: upload a package, read the dry-run report and preview, then publish it or save
/// it as a draft. Only trainers and admins; the package is streamed to disk, never held in memory.
struct TrainerPackagesController: RouteCollection {
    /// The largest upload accepted, on this route only.
    static let maxUploadBytes: Int64 = 2 * 1024 * 1024 * 1024
    /// The form's file field.
    static let fileField = "package"

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(SiteRoute.Pattern.trainerPackages, use: showUpload)
        signedIn.on(.POST, SiteRoute.Pattern.trainerPackages, body: .stream, use: upload)
        signedIn.post(SiteRoute.Pattern.trainerUpload, use: importUpload)
    }

    private static func requireTrainer(_ req: Request) throws -> User {
        guard let user = req.auth.get(User.self), user.role == .trainer || user.role == .admin else {
            throw Abort(.forbidden, reason: "trainers only")
        }
        return user
    }

    // MARK: Upload form

    struct UploadPage: Encodable {
        let page: PageContext
        let notice: String?
        let error: String?
        let action: String
        let fileField: String
        let maxSize: String
    }

    func showUpload(req: Request) async throws -> View {
        _ = try Self.requireTrainer(req)
        return try await renderUpload(req, error: nil)
    }

    private func renderUpload(_ req: Request, error: String?) async throws -> View {
        // The CSRF token travels in the action URL: the middleware must not read (and so buffer) the body.
        let action = SiteRoute.trainerPackages.path + "?" + CSRFMiddleware.fieldName + "=" + SiteRoute.escape(req.csrfToken)
        let context = UploadPage(page: PageContext(req, title: req.t("trainer.upload.title"), section: "trainer"),
                                 notice: req.takeNotice(), error: error, action: action, fileField: Self.fileField,
                                 maxSize: PackageArchive.describe(bytes: Self.maxUploadBytes))
        return try await req.view.render("trainer-upload", context)
    }

    // MARK: Upload and dry run

    func upload(req: Request) async throws -> Response {
        let user = try Self.requireTrainer(req)
        guard let userID = user.id else { throw Abort(.forbidden) }
        guard let contentType = req.headers.contentType, contentType.type == "multipart",
              contentType.subType == "form-data", let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
            return try await renderUpload(req, error: req.t("trainer.upload.error.form")).encodeResponse(status: .unsupportedMediaType, for: req)
        }
        let uploads = PackageUploads(dataDirectory: req.application.academySettings.dataDirectory)
        uploads.removeStale(maxAge: req.application.academySettings.uploadMaxAge)
        let id = PackageUploads.makeID()
        let received: MultipartFileReceiver.Received
        do {
            let destination = try uploads.create(id)
            received = try await MultipartFileReceiver(boundary: boundary, field: Self.fileField, maxBytes: Self.maxUploadBytes)
                .receive(req.body, to: destination.path, fileio: req.application.fileio)
        } catch let failure as MultipartFileReceiver.Failure {
            uploads.remove(id)
            switch failure {
            case .tooLarge:
                return try await renderUpload(req, error: req.t("trainer.upload.error.too.large", PackageArchive.describe(bytes: Self.maxUploadBytes)))
                    .encodeResponse(status: .payloadTooLarge, for: req)
            case .noFile:
                return try await renderUpload(req, error: req.t("trainer.upload.error.no.file")).encodeResponse(status: .unprocessableEntity, for: req)
            case .malformed:
                return try await renderUpload(req, error: req.t("trainer.upload.error.form")).encodeResponse(status: .badRequest, for: req)
            }
        } catch {
            uploads.remove(id)
            throw error
        }
        let fileName = PackageUploads.cleanFileName(received.fileName)
        try uploads.saveMetadata(.init(userID: userID, fileName: fileName, createdAt: Date()), for: id)
        let outcome: ImportOutcome
        do {
            outcome = try await req.application.importPackage(
                at: uploads.packageURL(id), options: .init(dryRun: true, displayName: fileName, publisher: try PackagePublisher(user)))
        } catch {
            uploads.remove(id)
            throw error
        }
        if outcome.status == .refused { uploads.remove(id) }
        return try await renderReport(req, outcome: outcome, fileName: fileName, uploadID: id)
    }

    // MARK: Report

    struct ReportPage: Encodable {
        struct Issue: Encodable {
            let location: String
            let message: String
            let hint: String?
            /// The language the message and hint are in: the page's, or English for a finding without a translation.
            let language: String
        }
        let page: PageContext
        let fileName: String
        let refused: Bool
        let summary: String
        let errors: [Issue]
        let warnings: [Issue]
        let hasErrors: Bool
        let hasWarnings: Bool
        /// Some findings have no translation in the page's language and are shown in English.
        let someInEnglish: Bool
        let preview: CoursePreview?
        let plan: String?
        let action: String?
        let uploadAgainURL: String
    }

    private func renderReport(_ req: Request, outcome: ImportOutcome, fileName: String, uploadID: String) async throws -> Response {
        let language = req.language
        let issue = { (issue: PackageIssue) in
            ReportPage.Issue(location: issue.location ?? fileName, message: issue.localizedMessage(language),
                             hint: issue.localizedHint(language),
                             language: issue.isTranslated(into: language) ? language.rawValue : Language.en.rawValue)
        }
        let refused = outcome.status == .refused
        let errors = outcome.report.errors.map(issue)
        let warnings = outcome.report.warnings.map(issue)
        let summary = refused
            ? (errors.count == 1 ? req.t("trainer.report.refused.one") : req.t("trainer.report.refused", String(errors.count)))
            : req.t("trainer.report.ready")
        let context = ReportPage(
            page: PageContext(req, title: req.t("trainer.report.title"), section: "trainer"),
            fileName: fileName, refused: refused, summary: summary,
            errors: errors, warnings: warnings, hasErrors: !errors.isEmpty, hasWarnings: !warnings.isEmpty,
            someInEnglish: language != .en && (errors + warnings).contains { $0.language != language.rawValue },
            preview: refused ? nil : outcome.package.map {
                CoursePreview($0, fileCount: outcome.fileCount, byteCount: outcome.byteCount, request: req)
            },
            plan: refused ? nil : outcome.plan.map { plan($0, req: req) },
            action: refused ? nil : SiteRoute.trainerUpload(id: uploadID).path,
            uploadAgainURL: SiteRoute.trainerPackages.path)
        return try await req.view.render("trainer-report", context)
            .encodeResponse(status: refused ? .unprocessableEntity : .ok, for: req)
    }

    private func plan(_ plan: ImportOutcome.Plan, req: Request) -> String {
        switch plan {
        case .newCourse(let slug): req.t("trainer.plan.new.course", slug)
        case .newVersion(let slug, let number): req.t("trainer.plan.new.version", String(number), slug)
        case .identical(let slug, let number): req.t("trainer.plan.identical", String(number), slug)
        }
    }

    // MARK: Publish or save as draft

    struct ImportForm: Content {
        var publish: String?
    }

    func importUpload(req: Request) async throws -> Response {
        let user = try Self.requireTrainer(req)
        let id = req.parameters.get("upload") ?? ""
        let uploads = PackageUploads(dataDirectory: req.application.academySettings.dataDirectory)
        guard PackageUploads.isValidID(id), let metadata = uploads.metadata(for: id) else { throw Abort(.notFound) }
        guard metadata.userID == user.id || user.role == .admin else { throw Abort(.notFound) }
        let publish = (try? req.content.decode(ImportForm.self))?.publish == "1"
        let outcome = try await req.application.importPackage(
            at: uploads.packageURL(id), options: .init(publish: publish, displayName: metadata.fileName, publisher: try PackagePublisher(user)))
        guard outcome.status != .refused else {
            uploads.remove(id)
            return try await renderReport(req, outcome: outcome, fileName: metadata.fileName, uploadID: id)
        }
        uploads.remove(id)
        let slug = outcome.slug ?? ""
        let number = String(outcome.versionNumber ?? 0)
        let title = outcome.package?.title.text(in: req.language.rawValue) ?? slug
        switch (outcome.status, outcome.published) {
        case (.unchanged, true): req.notice = req.t("trainer.notice.unchanged.published", number, title)
        case (.unchanged, false): req.notice = req.t("trainer.notice.unchanged", number, title)
        case (_, true): req.notice = req.t("trainer.notice.published", number, title)
        case (_, false): req.notice = req.t("trainer.notice.draft", number, title)
        }
        // A draft has no public page: the trainer sees it in the course's version history, with its preview.
        return req.redirect(to: outcome.published ? .course(slug: slug) : .trainer(.versions(slug: slug)))
    }
}
