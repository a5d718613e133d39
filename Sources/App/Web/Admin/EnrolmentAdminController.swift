import Fluent
import Vapor

/// The enrolment desk of one course, for its owners and admins, under /enrolments/:slug: who is
/// enrolled or waiting, enrol one person or a pasted or uploaded list (dry-run report first, then all
/// or nothing), and unenrol. The planning is `BulkEnrolment`; the writing `BulkEnrolmentDesk`.
struct EnrolmentAdminController: RouteCollection {
    static let maxListSize: ByteCount = "2mb"

    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(BoardAdminRoute.Pattern.enrolments, use: enrolments)
        signedIn.on(.POST, BoardAdminRoute.Pattern.checkEnrolments, body: .collect(maxSize: Self.maxListSize), use: check)
        signedIn.on(.POST, BoardAdminRoute.Pattern.applyEnrolments, body: .collect(maxSize: Self.maxListSize), use: apply)
        signedIn.post(BoardAdminRoute.Pattern.withdrawEnrolment, use: withdraw)
    }

    struct ManagedCourse {
        let course: Course
        let version: CourseVersion
        let id: UUID
        let versionID: UUID
    }

    /// The course in the path, if the signed-in person owns it or is an admin (404 / 403 otherwise).
    static func course(_ req: Request) async throws -> ManagedCourse {
        guard let user = req.auth.get(User.self) else { throw Abort(.unauthorized) }
        let slug = req.parameters.get("slug") ?? ""
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).with(\.$currentVersion).first(),
              let version = course.currentVersion, let id = course.id, let versionID = version.id else { throw Abort(.notFound) }
        guard try await CourseOwnership(database: req.db).canManage(courseID: id, user: user) else {
            throw Abort(.forbidden, reason: "enrolments-owners-only")
        }
        return ManagedCourse(course: course, version: version, id: id, versionID: versionID)
    }

    // MARK: The desk

    struct EnrolmentRow: Encodable {
        let name: String
        let email: String
        let status: String
        let statusKey: String
        let seat: String?
        let since: String?
        let withdrawUser: String?
    }

    struct EnrolmentsPage: Encodable {
        let page: PageContext
        let notice: String?
        let title: String
        let courseURL: String
        let seatsText: String?
        let rows: [EnrolmentRow]
        let hasRows: Bool
        let checkAction: String
        let applyAction: String
        let withdrawAction: String
        let list: String
        let error: String?
    }

    func enrolments(req: Request) async throws -> Response {
        try await renderDesk(req, course: try await Self.course(req), list: "", error: nil)
    }

    private func renderDesk(_ req: Request, course: ManagedCourse, list: String, error: String?) async throws -> Response {
        let lang = req.language.rawValue
        let rows = try await Enrolment.query(on: req.db).filter(\.$course.$id == course.id).with(\.$user).all()
            .sorted { ($0.status.rawValue, $0.user.name.lowercased()) < ($1.status.rawValue, $1.user.name.lowercased()) }
        let settings = try await EnrolmentSettings.find(course.id, on: req.db)
        let policy = EnrolmentPolicy(rules: settings?.rules ?? .open)
        let counts = try await req.enrolmentDesk.counts(course.id, on: req.db)
        let seatsText = policy.rules.capacity.map {
            req.t("boards.enrolments.seats", String(counts.active), String($0),
                  req.t(policy.rules.waitingList ? "boards.enrolments.waiting.on" : "boards.enrolments.waiting.off"))
        }
        let slug = course.course.slug
        let context = EnrolmentsPage(
            page: PageContext(req, title: req.t("boards.enrolments.title"), section: "trainer"),
            notice: req.takeNotice(), title: course.version.title.text(in: lang) ?? slug,
            courseURL: SiteRoute.course(slug: slug).path, seatsText: seatsText,
            rows: rows.map { row in
                EnrolmentRow(name: row.user.name, email: row.user.email, status: req.t("boards.enrolments.status.\(row.status.rawValue)"),
                             statusKey: row.status.rawValue, seat: row.seatBoard,
                             since: (row.status == .waiting ? row.queuedAt : row.enrolledAt).map { BrusselsTime.day($0, language: req.language) },
                             withdrawUser: [.active, .waiting].contains(row.status) ? row.$user.id.uuidString : nil)
            },
            hasRows: !rows.isEmpty,
            checkAction: Self.withToken(req, .checkEnrolments(slug: slug)),
            applyAction: Self.withToken(req, .applyEnrolments(slug: slug)),
            withdrawAction: BoardAdminRoute.withdrawEnrolment(slug: slug).path,
            list: list, error: error)
        return try await req.view.render("enrolments", context).encodeResponse(status: error == nil ? .ok : .unprocessableEntity, for: req)
    }

    /// The token travels in the URL: a multipart body is not read by the CSRF check.
    static func withToken(_ req: Request, _ route: BoardAdminRoute) -> String {
        route.path + "?" + CSRFMiddleware.fieldName + "=" + SiteRoute.escape(req.csrfToken)
    }

    // MARK: Dry run and apply

    struct ListForm: Content {
        /// Pasted lines or CSV.
        var list: String?
        var file: File?
        /// One person by hand.
        var email: String?
        var board: String?
    }

    struct ReportRow: Encodable {
        let line: Int
        let email: String
        let board: String?
        let outcome: String
        let kind: String
        let details: [String]
        let hasDetails: Bool
    }

    struct ReportPage: Encodable {
        let page: PageContext
        let title: String
        let summary: String
        let refused: Bool
        let rows: [ReportRow]
        let applyAction: String?
        let list: String
        let backURL: String
    }

    func check(req: Request) async throws -> Response {
        try await run(req, apply: false)
    }

    func apply(req: Request) async throws -> Response {
        try await run(req, apply: true)
    }

    private func run(_ req: Request, apply: Bool) async throws -> Response {
        let course = try await Self.course(req)
        let form = try req.content.decode(ListForm.self)
        var text = form.list ?? ""
        if let file = form.file, file.data.readableBytes > 0 {
            guard let decoded = String(data: Data(file.data.readableBytesView), encoding: .utf8) else {
                return try await renderDesk(req, course: course, list: "", error: req.t("boards.enrolments.error.encoding"))
            }
            text = decoded
        }
        if let email = form.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
            let board = form.board?.trimmingCharacters(in: .whitespaces) ?? ""
            text = "email,board\n\(CSVTable.quoted(email)),\(CSVTable.quoted(board))\n"
        }
        let lines: [BulkEnrolment.Line]
        do {
            lines = try BulkEnrolment.read(text)
        } catch let failure as CSVTable.Failure {
            return try await renderDesk(req, course: course, list: text, error: req.t("boards.import.error.file",
                failure.line.map(String.init) ?? "–", failure.message + (failure.hint.map { " (\($0))" } ?? "")))
        }
        guard !lines.isEmpty else {
            return try await renderDesk(req, course: course, list: text, error: req.t("boards.enrolments.error.empty"))
        }
        let result = try await BulkEnrolmentDesk(database: req.db, locks: req.application.courseLocks)
            .run(lines, courseID: course.id, slug: course.course.slug, versionID: course.versionID, apply: apply,
                 rules: try await Self.ruleCheck(req, course: course))
        let plan = result.plan
        let counts = [String(plan.enrolling), String(plan.waiting), String(plan.already), String(plan.refused)]
        if result.applied || (apply && plan.isAcceptable) {
            req.notice = req.t("boards.enrolments.summary.applied", counts[0], counts[1], counts[2])
            return req.redirect(to: .boards(.enrolments(slug: course.course.slug)))
        }
        let summaryKey = plan.refused > 0 ? "boards.enrolments.summary.refused" : "boards.enrolments.summary.dry"
        let context = ReportPage(
            page: PageContext(req, title: req.t("boards.enrolments.report.title"), section: "trainer"),
            title: course.version.title.text(in: req.language.rawValue) ?? course.course.slug,
            summary: req.t(summaryKey, counts[0], counts[1], counts[2], counts[3]),
            refused: plan.refused > 0,
            rows: plan.entries.map { Self.row($0, req) },
            applyAction: plan.isAcceptable && plan.changes ? Self.withToken(req, .applyEnrolments(slug: course.course.slug)) : nil,
            list: text, backURL: BoardAdminRoute.enrolments(slug: course.course.slug).path)
        return try await req.view.render("enrolments-report", context)
            .encodeResponse(status: plan.refused > 0 ? .unprocessableEntity : .ok, for: req)
    }

    /// The course's visibility and enrolment rules as the catalogue applies them, for any person.
    static func ruleCheck(_ req: Request, course: ManagedCourse) async throws -> BulkEnrolmentDesk.RuleCheck {
        let directory = try await req.application.accessDirectory.current(on: req.db)
        let index = try await req.application.catalogue.current(on: req.db)
        let vocabulary = AccessVocabulary(boards: Set(directory.boards.keys), groups: Set(directory.groups.keys),
                                          courses: Set(index.entries.map(\.slug)))
        let explainer = AccessExplainer(language: req.language, boardNames: directory.boardNames, groupNames: directory.groups,
                                        courseTitles: Dictionary(index.entries.map { ($0.slug, $0.title) }, uniquingKeysWith: { a, _ in a }))
        let entry = CatalogueEntry(version: course.version, courseID: course.id, slug: course.course.slug)
        let key = try await EnrolmentSettings.find(course.id, on: req.db)?.enrolmentKey
        let now = Date()
        return { subject in
            let evaluator = AccessEvaluator(subject: subject, context: AccessContext(now: now, vocabulary: vocabulary))
            let accessCourse = AccessCourse(slug: entry.slug, enrolmentKey: key, presentedKey: key)
            return (entry.visibilityPolicies + entry.enrolmentPolicies).flatMap { policy -> [String] in
                let decision = policy.evaluate(with: evaluator, course: accessCourse)
                return decision.allowed ? [] : explainer.explain(decision.decision)
            }
        }
    }

    static func row(_ entry: BulkEnrolment.Entry, _ req: Request) -> ReportRow {
        func make(_ outcomeKey: String, _ kind: String, _ details: [String] = []) -> ReportRow {
            ReportRow(line: entry.line, email: entry.email, board: entry.board, outcome: req.t(outcomeKey), kind: kind,
                      details: details, hasDetails: !details.isEmpty)
        }
        switch entry.outcome {
        case .enrol(let seat):
            return make("boards.enrolments.outcome.enrol", "enrol",
                        seat.board.map { [req.t("boards.enrolments.seat.reserved", $0)] } ?? [])
        case .wait(let position):
            return make("boards.enrolments.outcome.wait", "wait", [req.t("boards.enrolments.position", String(position))])
        case .already(let standing):
            return make("boards.enrolments.outcome.already", "already", [req.t("boards.enrolments.standing.\(standing.rawValue)")])
        case .refused(let refusals):
            return make("boards.enrolments.outcome.refused", "refused", refusals.flatMap { refusal -> [String] in
                switch refusal {
                case .notAnEmail(let text): [req.t("boards.refusal.email", text)]
                case .unknownUser(let email): [req.t("boards.refusal.unknown.user", email)]
                case .unknownBoard(let code): [req.t("boards.refusal.unknown.board", code)]
                case .notBoardMember(let code): [req.t("boards.enrolments.refusal.not.member", code)]
                case .duplicate(let line): [req.t("boards.enrolments.refusal.duplicate", String(line))]
                case .deniedByRules(let reasons): [req.t("boards.enrolments.refusal.rules", reasons.joined(separator: " "))]
                case .full: [req.t("boards.enrolments.refusal.full")]
                }
            })
        }
    }

    // MARK: Unenrol

    struct WithdrawForm: Content {
        var user: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let course = try await Self.course(req)
        guard let userID = (try req.content.decode(WithdrawForm.self)).user.flatMap(UUID.init(uuidString:)),
              let user = try await User.find(userID, on: req.db) else { throw Abort(.badRequest) }
        switch try await req.enrolmentDesk.withdraw(userID: userID, courseID: course.id) {
        case .withdrawn: req.notice = req.t("boards.enrolments.notice.withdrawn", user.email)
        case .withdrawnAndPromoted(let promoted):
            let next = try await User.find(promoted, on: req.db)
            try await req.mailPromoted(promoted, courseID: course.id)
            req.notice = req.t("boards.enrolments.notice.promoted", user.email, next?.email ?? "")
        case .leftWaitingList: req.notice = req.t("boards.enrolments.notice.left.waiting", user.email)
        case .notEnrolled: req.notice = req.t("boards.enrolments.notice.not.enrolled", user.email)
        }
        return req.redirect(to: .boards(.enrolments(slug: course.course.slug)))
    }
}
