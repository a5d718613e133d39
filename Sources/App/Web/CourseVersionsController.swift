import Fluent
import Vapor

/// A course's versions for its owners and admins: the history, a preview of any version as learners would
/// see it, publishing a draft or restoring an earlier version, and moving learners in progress to the
/// current version. The decisions live in `CourseVersionHistory`, `CourseVersionSwitch` and `LearnerMigration`.
struct CourseVersionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(TrainerRoute.Pattern.versions, use: history)
        signedIn.get(TrainerRoute.Pattern.versionsPreview, use: preview)
        signedIn.post(TrainerRoute.Pattern.versionsPublish, use: publish)
        signedIn.get(TrainerRoute.Pattern.versionsMigration, use: migrationPlan)
        signedIn.post(TrainerRoute.Pattern.versionsMigration, use: migrate)
    }

    /// The course named in the path, if the signed-in person may manage it: 403 for learners and for trainers
    /// who do not own it, 404 when there is no such course.
    static func managedCourse(_ req: Request) async throws -> Course {
        guard let user = req.auth.get(User.self), user.role == .trainer || user.role == .admin else {
            throw Abort(.forbidden, reason: "trainers only")
        }
        guard let course = try await Course.query(on: req.db).filter(\.$slug == (req.parameters.get("slug") ?? "")).first(),
              let courseID = course.id else { throw Abort(.notFound) }
        guard try await CourseOwnership(database: req.db).canManage(courseID: courseID, user: user) else {
            throw Abort(.forbidden, reason: "not an owner of this course")
        }
        return course
    }

    static func standardName(_ raw: String) -> String {
        switch CoursePackage.Standard(rawValue: raw) {
        case .academy: "course.xml"
        case .imsContentPackaging: "IMS CP"
        case .scorm12: "SCORM 1.2"
        case .scorm2004: "SCORM 2004"
        case .cmi5: "cmi5"
        case nil: raw
        }
    }

    // MARK: History

    struct HistoryPage: Encodable {
        struct Row: Encodable {
            let number: Int
            let title: String
            let date: String
            let standard: String
            let shortHash: String
            let hash: String
            let state: String
            let isCurrent: Bool
            let importedBy: String
            let learners: String
            let previewURL: String
            let action: String?
            let actionLabel: String?
        }
        let page: PageContext
        let notice: String?
        let heading: String
        let courseURL: String?
        let uploadURL: String
        let rows: [Row]
        let owners: String
        let migrationText: String?
        let migrationURL: String
    }

    func history(req: Request) async throws -> View {
        let course = try await Self.managedCourse(req)
        let courseID = try course.requireID()
        let entries = try await CourseVersionHistory(database: req.db).entries(of: course)
        let lang = req.language.rawValue
        let current = entries.first { $0.state == .current }
        let title = (current ?? entries.first)?.title.text(in: lang) ?? course.slug
        let rows = entries.map { entry in
            HistoryPage.Row(
                number: entry.number, title: entry.title.text(in: lang) ?? course.slug,
                date: entry.importedAt.map { BrusselsTime.day($0, language: req.language) } ?? "",
                standard: Self.standardName(entry.standard), shortHash: entry.shortHash, hash: entry.contentHash,
                state: req.t("import.versions.state.\(entry.state.rawValue)"),
                isCurrent: entry.state == .current,
                importedBy: entry.importedBy.map { "\($0.name) <\($0.email)>" } ?? req.t("import.versions.imported.unknown"),
                learners: entry.learners == 0 ? "" : req.t("import.versions.learners", String(entry.learners), String(entry.learnersInProgress)),
                previewURL: SiteRoute.trainer(.versionsPreview(slug: course.slug, number: entry.number)).path,
                action: entry.state == .current ? nil : SiteRoute.trainer(.versionsPublish(slug: course.slug, number: entry.number)).path,
                actionLabel: Self.actionLabel(entry.state, req: req))
        }
        let behind = entries.filter { $0.state != .current }.reduce(0) { $0 + $1.learnersInProgress }
        let owners = try await CourseOwnership(database: req.db).owners(of: courseID).map(\.name)
        let context = HistoryPage(
            page: PageContext(req, title: req.t("import.versions.title", title), section: "trainer"),
            notice: req.takeNotice(),
            heading: req.t("import.versions.title", title),
            courseURL: current == nil ? nil : SiteRoute.course(slug: course.slug).path,
            uploadURL: SiteRoute.trainerPackages.path,
            rows: rows,
            owners: owners.isEmpty ? req.t("import.versions.owners.none") : req.t("import.versions.owners", owners.joined(separator: ", ")),
            migrationText: behind > 0 && current != nil
                ? req.t(behind == 1 ? "import.versions.behind.one" : "import.versions.behind", String(behind), String(current?.number ?? 0))
                : nil,
            migrationURL: SiteRoute.trainer(.versionsMigration(slug: course.slug)).path)
        return try await req.view.render("trainer-versions", context)
    }

    static func actionLabel(_ state: CourseVersionHistory.State, req: Request) -> String? {
        switch state {
        case .current: nil
        case .draft: req.t("import.versions.publish")
        case .earlier: req.t("import.versions.restore")
        }
    }

    // MARK: Preview

    struct PreviewPage: Encodable {
        let page: PageContext
        let heading: String
        let state: String
        let date: String
        let preview: CoursePreview
        let action: String?
        let actionLabel: String?
        let historyURL: String
        /// Browser edits of the current version that publishing this version would replace; nil when none.
        let replaced: [String]?
        /// The player on this version, to try its modules before learners get it.
        let playURL: String
    }

    func preview(req: Request) async throws -> View {
        let course = try await Self.managedCourse(req)
        guard let number = req.parameters.get("number", as: Int.self),
              let version = try await CourseVersion.query(on: req.db).filter(\.$course.$id == course.requireID())
                .filter(\.$number == number).first() else { throw Abort(.notFound) }
        let modules = try await CourseModule.query(on: req.db).filter(\.$version.$id == version.requireID()).sort(\.$position).all()
        let state: CourseVersionHistory.State = course.status == .published && course.$currentVersion.id == version.id
            ? .current : (version.publishedAt == nil ? .draft : .earlier)
        let preview = CoursePreview(version, modules: modules, slug: course.slug, request: req)
        var replaced: [String]?
        if state != .current, let currentID = course.$currentVersion.id, currentID != version.id,
           let current = try await CourseVersion.find(currentID, on: req.db) {
            let edited = try await BrowserEdits(database: req.db).editedFields(courseID: course.requireID(), versionNumber: current.number)
            let fields = BrowserEdits.replaced(edited: edited, current: current, candidate: version)
            replaced = fields.isEmpty ? nil : fields.map { CourseSettingsController.fieldLabel($0, request: req) }
        }
        let context = PreviewPage(
            page: PageContext(req, title: req.t("import.preview.title", String(number), preview.title), section: "trainer"),
            heading: req.t("import.preview.title", String(number), preview.title),
            state: req.t("import.versions.state.\(state.rawValue)"),
            date: req.t("course.version", String(number), BrusselsTime.day(version.publishedAt ?? version.createdAt ?? Date(), language: req.language)),
            preview: preview,
            action: state == .current ? nil : SiteRoute.trainer(.versionsPublish(slug: course.slug, number: number)).path,
            actionLabel: Self.actionLabel(state, req: req),
            historyURL: SiteRoute.trainer(.versions(slug: course.slug)).path,
            replaced: replaced,
            playURL: SiteRoute.playerVersion(slug: course.slug, version: number).path)
        return try await req.view.render("trainer-version-preview", context)
    }

    // MARK: Publish or restore

    func publish(req: Request) async throws -> Response {
        let course = try await Self.managedCourse(req)
        guard let number = req.parameters.get("number", as: Int.self) else { throw Abort(.notFound) }
        let result: CourseVersionSwitch.Result
        do {
            result = try await CourseVersionSwitch(database: req.db).makeCurrent(courseID: course.requireID(), number: number)
        } catch CourseVersionSwitch.Failure.noSuchVersion {
            throw Abort(.notFound)
        }
        if result != .unchanged { await req.application.catalogue.invalidate() }
        switch result {
        case .published: req.notice = req.t("import.versions.notice.published", String(number))
        case .restored: req.notice = req.t("import.versions.notice.restored", String(number))
        case .unchanged: req.notice = req.t("import.versions.notice.unchanged", String(number))
        }
        return req.redirect(to: .trainer(.versions(slug: course.slug)))
    }

    // MARK: Moving learners in progress

    struct MigrationPage: Encodable {
        /// Lists are nil when empty: Leaf's `#if` counts any array as true.
        struct Group: Encodable {
            let heading: String
            let carried: [String]?
            let changedKind: [String]?
            let dropped: [String]?
            let added: [String]?
            let attempts: String
        }
        let page: PageContext
        let heading: String
        let intro: String
        let groups: [Group]
        let hasLearners: Bool
        let action: String
        let buttonLabel: String
        let historyURL: String
    }

    func migrationPlan(req: Request) async throws -> View {
        let course = try await Self.managedCourse(req)
        guard let plan = try await LearnerMigration(database: req.db).plan(courseID: course.requireID()) else {
            throw Abort(.notFound)
        }
        let lang = req.language.rawValue
        let names = { (modules: [LearnerMigrationPlan.Module]) -> [String]? in
            modules.isEmpty ? nil : modules.map { "\($0.title.text(in: lang) ?? $0.key) (\(req.t("module.kind.\($0.kind)")))" }
        }
        let target = String(plan.targetNumber)
        let context = MigrationPage(
            page: PageContext(req, title: req.t("import.migration.title", target), section: "trainer"),
            heading: req.t("import.migration.title", target),
            intro: req.t("import.migration.intro", target),
            groups: plan.groups.map { group in
                MigrationPage.Group(
                    heading: req.t(group.learners == 1 ? "import.migration.group.one" : "import.migration.group",
                                   String(group.fromNumber), String(group.learners)),
                    carried: names(group.carried), changedKind: names(group.changedKind),
                    dropped: names(group.dropped), added: names(group.added),
                    attempts: req.t("import.migration.attempts", String(group.attemptsCarried), String(group.attemptsSetAside)))
            },
            hasLearners: plan.learners > 0,
            action: SiteRoute.trainer(.versionsMigration(slug: course.slug)).path,
            buttonLabel: req.t(plan.learners == 1 ? "import.migration.submit.one" : "import.migration.submit", String(plan.learners), target),
            historyURL: SiteRoute.trainer(.versions(slug: course.slug)).path)
        return try await req.view.render("trainer-versions-migrate", context)
    }

    func migrate(req: Request) async throws -> Response {
        let course = try await Self.managedCourse(req)
        let courseID = try course.requireID()
        let moved = try await LearnerMigration(database: req.db).migrate(courseID: courseID)
        // Carried attempts may already satisfy every required module of the new version.
        var completed = 0
        for id in moved where try await req.completionRecorder().attemptChanged(enrolmentID: id) != nil {
            completed += 1
        }
        let current = try await Course.query(on: req.db).filter(\.$id == courseID).with(\.$currentVersion).first()?.currentVersion?.number ?? 0
        req.notice = req.t("import.migration.notice", String(moved.count), String(current), String(completed))
        return req.redirect(to: .trainer(.versions(slug: course.slug)))
    }
}
