import Fluent
import Vapor

/// The trainers' section of the workspace: my courses with their figures, the participants of a course
/// (search, filter, pages, one participant's modules and attempts, resetting an attempt, CSV) and insight
/// charts. Trainers reach the courses they own or co-own, admins every course, learners nothing (403).
struct TrainerCoursesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(TrainerRoute.Pattern.courses, use: courses)
        signedIn.get(TrainerRoute.Pattern.participants, use: participants)
        signedIn.get(TrainerRoute.Pattern.participantsCSV, use: participantsCSV)
        signedIn.get(TrainerRoute.Pattern.participant, use: participant)
        signedIn.post(TrainerRoute.Pattern.participantReset, use: resetAttempt)
        signedIn.post(TrainerRoute.Pattern.participantWaive, use: waiveModule)
        signedIn.get(TrainerRoute.Pattern.insight, use: insight)
    }

    // MARK: Who may see what

    /// Trainers and admins; learners get the friendly 403 page.
    static func requireStaff(_ req: Request) throws -> User {
        guard let user = req.auth.get(User.self), user.role == .trainer || user.role == .admin else {
            throw Abort(.forbidden, reason: "workspace.staff-only")
        }
        return user
    }

    struct ManagedCourse {
        let user: User
        let course: Course
        let courseID: UUID
        let version: CourseVersion?
        let title: String
    }

    /// The course named in the path, when the signed-in person may manage it: 403 for learners and for
    /// trainers who are not among its owners, 404 when there is no such course.
    static func managedCourse(_ req: Request) async throws -> ManagedCourse {
        let user = try requireStaff(req)
        let slug = req.parameters.get("slug") ?? ""
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).with(\.$currentVersion).first(),
              let courseID = course.id else {
            throw Abort(.notFound)
        }
        guard try await CourseOwnership(database: req.db).canManage(courseID: courseID, user: user) else {
            throw Abort(.forbidden, reason: "workspace.not-owner")
        }
        let version = course.currentVersion
        return ManagedCourse(user: user, course: course, courseID: courseID, version: version,
                             title: version?.title.text(in: req.language.rawValue) ?? course.slug)
    }

    /// The links at the top of every page of one course.
    struct CourseNav: Encodable {
        let title: String
        let slug: String
        let status: String
        let statusKey: String
        let coursesURL: String
        let participantsURL: String
        let insightURL: String
        let courseURL: String
        let settingsURL: String
        let audienceURL: String
        let section: String

        init(_ managed: ManagedCourse, section: String, request: Request) {
            title = managed.title
            slug = managed.course.slug
            status = request.t("workspace.status.\(managed.course.status.rawValue)")
            statusKey = managed.course.status.rawValue
            coursesURL = SiteRoute.trainer(.courses).path
            participantsURL = SiteRoute.trainer(.participants(slug: managed.course.slug)).path
            insightURL = SiteRoute.trainer(.insight(slug: managed.course.slug)).path
            courseURL = SiteRoute.course(slug: managed.course.slug).path
            settingsURL = SiteRoute.trainer(.settings(slug: managed.course.slug)).path
            audienceURL = SiteRoute.trainer(.audience(slug: managed.course.slug)).path
            self.section = section
        }
    }

    // MARK: My courses

    struct CoursesPage: Encodable {
        struct Item: Encodable {
            let title: String
            let slug: String
            let status: String
            let statusKey: String
            let version: String
            let figures: [Figure]
            let participantsURL: String
            let insightURL: String
            let settingsURL: String
        }
        struct Figure: Encodable {
            let label: String
            let value: String
            let url: String?
        }
        let page: PageContext
        let notice: String?
        let lead: String
        let items: [Item]
        let hasItems: Bool
        let uploadURL: String
    }

    func courses(req: Request) async throws -> View {
        let user = try Self.requireStaff(req)
        let managed = try await CourseOwnership(database: req.db).managedCourseIDs(of: user)
        var query = Course.query(on: req.db).with(\.$currentVersion)
        if let managed { query = query.filter(\.$id ~~ Array(managed)) }
        var courses: [Course] = []
        if managed?.isEmpty != true { courses = try await query.all() }
        let figures = try await CourseFigures.load(courseIDs: managed.map(Array.init), on: req.db)
        let lang = req.language
        let format = WorkspaceFormat(language: lang)
        let items = courses.map { course -> (String, CoursesPage.Item) in
            let title = course.currentVersion?.title.text(in: lang.rawValue) ?? course.slug
            let counts = course.id.flatMap { figures[$0] } ?? CourseFigures()
            let participants = { (status: ParticipantQuery.Status?) in
                SiteRoute.trainer(.participants(slug: course.slug, query: ParticipantQuery(status: status))).path
            }
            let item = CoursesPage.Item(
                title: title, slug: course.slug,
                status: req.t("workspace.status.\(course.status.rawValue)"), statusKey: course.status.rawValue,
                version: course.currentVersion.map { req.t("workspace.courses.version", String($0.number)) } ?? req.t("workspace.courses.no.version"),
                figures: [
                    .init(label: req.t("workspace.figure.enrolled"), value: format.count(counts.enrolled), url: participants(nil)),
                    .init(label: req.t("workspace.figure.in.progress"), value: format.count(counts.inProgress), url: participants(.inProgress)),
                    .init(label: req.t("workspace.figure.completed"), value: format.count(counts.completed), url: participants(.completed)),
                    .init(label: req.t("workspace.figure.records"), value: format.count(counts.recordsIssued), url: nil),
                    .init(label: req.t("workspace.figure.waiting"), value: format.count(counts.waiting), url: participants(.waiting)),
                ],
                participantsURL: participants(nil),
                insightURL: SiteRoute.trainer(.insight(slug: course.slug)).path,
                settingsURL: SiteRoute.trainer(.settings(slug: course.slug)).path)
            return (title.lowercased(), item)
        }.sorted { $0.0 < $1.0 }.map(\.1)
        return try await req.view.render("trainer-courses", CoursesPage(
            page: PageContext(req, title: req.t("workspace.courses.title"), section: "workspace"),
            notice: req.takeNotice(),
            lead: req.t(user.role == .admin ? "workspace.courses.lead.admin" : "workspace.courses.lead.trainer"),
            items: items, hasItems: !items.isEmpty, uploadURL: SiteRoute.trainerPackages.path))
    }

    // MARK: Participants

    struct ParticipantsPage: Encodable {
        struct Row: Encodable {
            let name: String
            let email: String
            let url: String
            let status: String
            let statusKey: String
            let progress: String
            let progressDone: Int
            let progressTotal: Int
            let lastActivity: String
            let completedOn: String
            let score: String
        }
        struct StatusChoice: Encodable {
            let value: String
            let label: String
            let selected: Bool
        }
        let page: PageContext
        let nav: CourseNav
        let notice: String?
        let text: String
        let statuses: [StatusChoice]
        let rows: [Row]
        let hasRows: Bool
        let resultsText: String
        let hasFilters: Bool
        let clearURL: String
        let action: String
        let csvURL: String
        let enrolURL: String?
        let pagination: CatalogueController.Pagination
    }

    func participants(req: Request) async throws -> View {
        let managed = try await Self.managedCourse(req)
        let query = ParticipantQuery(parameters: (try? req.query.decode([String: String].self)) ?? [:])
        let list = ParticipantList(database: req.db, courseID: managed.courseID)
        let total = try await list.count(query)
        let pageCount = max(1, (total + ParticipantQuery.pageSize - 1) / ParticipantQuery.pageSize)
        let current = min(query.page, pageCount)
        let rows = try await list.page(query.onPage(current))
        let figures = try await CourseFigures.load(courseIDs: [managed.courseID], on: req.db)[managed.courseID] ?? CourseFigures()
        let format = WorkspaceFormat(language: req.language)
        let slug = managed.course.slug
        let pagination = CatalogueController.Pagination.around(current, of: pageCount) {
            SiteRoute.trainer(.participants(slug: slug, query: query.onPage($0))).path
        }
        // Enrolling and unenrolling by hand is the bulk enrolment page (another area); linked by its path while it is registered.
        let enrolPath = "/enrolments/\(SiteRoute.escape(slug))"
        let enrolURL = req.application.routes.all.contains {
            $0.method == .GET && $0.path.count == 2 && $0.path.first?.description == "enrolments"
        } ? enrolPath : nil
        return try await req.view.render("trainer-participants", ParticipantsPage(
            page: PageContext(req, title: req.t("workspace.participants.title", managed.title), section: "workspace"),
            nav: CourseNav(managed, section: "participants", request: req),
            notice: req.takeNotice(),
            text: query.text,
            statuses: ParticipantQuery.Status.allCases.map {
                .init(value: $0.rawValue, label: req.t("workspace.participant.status.\($0.rawValue)") + " (\(format.count(figures.count($0))))",
                      selected: $0 == query.status)
            },
            rows: rows.map { Self.row($0, slug: slug, format: format, request: req) },
            hasRows: !rows.isEmpty,
            resultsText: total == 1 ? req.t("workspace.participants.results.one") : req.t("workspace.participants.results", format.count(total)),
            hasFilters: query.hasFilters,
            clearURL: SiteRoute.trainer(.participants(slug: slug)).path,
            action: SiteRoute.trainer(.participants(slug: slug)).path,
            csvURL: SiteRoute.trainer(.participantsCSV(slug: slug, query: query)).path,
            enrolURL: enrolURL,
            pagination: pagination))
    }

    static func row(_ row: ParticipantList.Row, slug: String, format: WorkspaceFormat, request: Request) -> ParticipantsPage.Row {
        let progress = row.progress
        return ParticipantsPage.Row(
            name: row.name, email: row.email,
            url: SiteRoute.trainer(.participant(slug: slug, enrolment: row.enrolmentID)).path,
            status: request.t("workspace.participant.status.\(row.listStatus.rawValue)"), statusKey: row.listStatus.rawValue,
            progress: progress.map { request.t("workspace.participants.progress", String($0.requiredDone), String($0.requiredTotal)) } ?? "",
            progressDone: progress?.requiredDone ?? 0, progressTotal: max(progress?.requiredTotal ?? 0, 1),
            lastActivity: row.lastSeenAt.map { format.day($0) } ?? request.t("workspace.none"),
            completedOn: row.completedAt.map { format.day($0) } ?? request.t("workspace.none"),
            score: row.scoreScaled.map(format.percent) ?? request.t("workspace.none"))
    }

    // MARK: One participant

    struct ParticipantPage: Encodable {
        struct Module: Encodable {
            let title: String
            let depth: Int
            let isFolder: Bool
            let required: Bool
            let state: String
            let stateKey: String
            let attempts: [Attempt]
            let hasAttempts: Bool
            let key: String
            /// A module with content the participant has not satisfied yet may be waived.
            let canWaive: Bool
            let waiveFieldID: String
        }
        struct Choice: Encodable {
            let value: String
            let label: String
        }
        struct Attempt: Encodable {
            let id: String
            let label: String
            let completion: String
            let success: String
            let score: String
            let updated: String
            let canReset: Bool
            let fieldID: String
        }
        struct Event: Encodable {
            let when: String
            let line: String
            let reason: String
        }
        let page: PageContext
        let nav: CourseNav
        let notice: String?
        let error: String?
        let name: String
        let email: String
        var facts: [Fact]
        let modules: [Module]
        let resetAction: String
        let waiveAction: String
        let waiveReasons: [Choice]
        let backURL: String
        let events: [Event]
        let hasEvents: Bool
        let completedNote: Bool
        /// "Open a new round" (a new accreditation cycle) for a completed participant, with a reason.
        var round: RoundForm? = nil
    }

    struct RoundForm: Encodable {
        let action: String
        let cycle: Int
    }

    struct Fact: Encodable {
        let label: String
        let value: String
    }

    func participant(req: Request) async throws -> View {
        try await renderParticipant(req, error: nil)
    }

    func renderParticipant(_ req: Request, error: String?) async throws -> View {
        let managed = try await Self.managedCourse(req)
        guard let enrolmentID = req.parameters.get("enrolment").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        let list = ParticipantList(database: req.db, courseID: managed.courseID)
        guard let row = try await list.row(enrolmentID: enrolmentID) else { throw Abort(.notFound) }
        let modules = try await list.modules(of: [row.versionID])[row.versionID] ?? []
        let attempts = Dictionary(grouping: try await list.attempts(of: [enrolmentID]), by: \.module_key)
        let format = WorkspaceFormat(language: req.language)
        let lang = req.language.rawValue
        let none = req.t("workspace.none")
        let titles = Dictionary(modules.map { ($0.key, $0.title.text(in: lang) ?? $0.key) }, uniquingKeysWith: { first, _ in first })
        let attemptIDs = attempts.values.flatMap { $0.map { $0.id.uuidString.lowercased() } }
        let attemptModules = Dictionary(attempts.values.flatMap { $0.map { ($0.id.uuidString.lowercased(), $0.module_key) } },
                                        uniquingKeysWith: { first, _ in first })
        let events = attemptIDs.isEmpty ? [] : try await AuditEvent.query(on: req.db)
            .filter(\.$subjectType == AttemptReset.subjectType).filter(\.$subjectID ~~ attemptIDs)
            .sort(\.$createdAt, .descending).all()
        let context = ParticipantPage(
            page: PageContext(req, title: req.t("workspace.participant.title", row.name, managed.title), section: "workspace"),
            nav: CourseNav(managed, section: "participants", request: req),
            notice: req.takeNotice(),
            error: error,
            name: row.name, email: row.email,
            facts: [
                Fact(label: req.t("workspace.column.status"), value: req.t("workspace.participant.status.\(row.listStatus.rawValue)")),
                Fact(label: req.t("workspace.column.progress"),
                     value: row.progress.map { req.t("workspace.participants.progress", String($0.requiredDone), String($0.requiredTotal)) } ?? none),
                Fact(label: req.t("workspace.column.enrolled"), value: row.enrolledAt.map { format.day($0) } ?? none),
                Fact(label: req.t("workspace.column.activity"), value: row.lastSeenAt.map { format.dayAndTime($0) } ?? none),
                Fact(label: req.t("workspace.column.completed"), value: row.completedAt.map { format.day($0) } ?? none),
                Fact(label: req.t("workspace.column.score"), value: row.scoreScaled.map(format.percent) ?? none),
            ],
            modules: modules.map { module in
                let isFolder = module.moduleKind == .folder
                let state = row.progress?.state(module.key) ?? .notStarted
                let own = attempts[module.key] ?? []
                return ParticipantPage.Module(
                    title: titles[module.key] ?? module.key, depth: module.depth, isFolder: isFolder, required: module.required,
                    state: req.t("workspace.module.state.\(state.rawValue)"), stateKey: state.rawValue,
                    attempts: own.map { attempt in
                        let id = attempt.id.uuidString.lowercased()
                        return ParticipantPage.Attempt(
                            id: id, label: req.t("workspace.attempt.number", String(attempt.number)),
                            completion: req.t("workspace.attempt.completion.\(attempt.completion)"),
                            success: req.t("workspace.attempt.success.\(attempt.success)"),
                            score: attempt.score_scaled.map(format.percent) ?? none,
                            updated: format.dayAndTime(attempt.updated_at),
                            canReset: attempt.completion != ModuleAttempt.Completion.notAttempted.rawValue
                                || attempt.success != ModuleAttempt.Success.unknown.rawValue || attempt.score_scaled != nil,
                            fieldID: "reason-\(id)")
                    },
                    hasAttempts: !own.isEmpty, key: module.key,
                    canWaive: !isFolder && state != .done && [.active, .completed].contains(row.status),
                    waiveFieldID: "waive-\(module.key)")
            },
            resetAction: SiteRoute.trainer(.participantReset(slug: managed.course.slug, enrolment: enrolmentID)).path,
            waiveAction: SiteRoute.trainer(.participantWaive(slug: managed.course.slug, enrolment: enrolmentID)).path,
            waiveReasons: ModuleWaiver.Reason.allCases.map { .init(value: $0.key, label: req.t("workspace.waive.reason.\($0.key)")) },
            backURL: SiteRoute.trainer(.participants(slug: managed.course.slug)).path,
            events: events.map { event in
                let module = attemptModules[event.subjectID].map { titles[$0] ?? $0 } ?? event.subjectID
                let line = event.action == ModuleWaiver.action ? "workspace.participant.history.waive" : "workspace.participant.history.line"
                return ParticipantPage.Event(when: format.dayAndTime(event.createdAt), line: req.t(line, event.actorName, module),
                                             reason: event.reason ?? "")
            },
            hasEvents: !events.isEmpty,
            completedNote: row.status == .completed)
        var page = context
        if row.cycle > 1 { page.facts.append(Fact(label: req.t("cycle.staff.fact"), value: String(row.cycle))) }
        if let enrolment = try await Enrolment.find(enrolmentID, on: req.db),
           try await EnrolmentRound(database: req.db).renewal(of: enrolment).decide(by: .staff, today: CalendarDay(Date())) == .open {
            page.round = RoundForm(action: CycleRoute.participantRound(slug: managed.course.slug, enrolment: enrolmentID).path,
                                   cycle: enrolment.cycle)
        }
        return try await req.view.render("trainer-participant", page)
    }

    func resetAttempt(req: Request) async throws -> Response {
        let managed = try await Self.managedCourse(req)
        guard let enrolmentID = req.parameters.get("enrolment").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        struct Form: Decodable {
            var attempt: String?
            var reason: String?
        }
        let form = try req.content.decode(Form.self)
        guard let attemptID = form.attempt.flatMap(UUID.init(uuidString:)),
              try await ParticipantList(database: req.db, courseID: managed.courseID).row(enrolmentID: enrolmentID) != nil else {
            throw Abort(.notFound)
        }
        do {
            try await AttemptReset(database: req.db).reset(attemptID: attemptID, enrolmentID: enrolmentID, by: managed.user,
                                                           reason: form.reason ?? "")
        } catch let failure as AttemptReset.Failure {
            switch failure {
            case .reasonMissing:
                return try await renderParticipant(req, error: req.t("workspace.reset.error.reason"))
                    .encodeResponse(status: .unprocessableEntity, for: req)
            case .reasonTooLong:
                return try await renderParticipant(req, error: req.t("workspace.reset.error.too.long", String(AttemptReset.maxReasonLength)))
                    .encodeResponse(status: .unprocessableEntity, for: req)
            case .notFound:
                throw Abort(.notFound)
            }
        }
        req.notice = req.t("workspace.reset.done")
        return req.redirect(to: .trainer(.participant(slug: managed.course.slug, enrolment: enrolmentID)))
    }

    func waiveModule(req: Request) async throws -> Response {
        let managed = try await Self.managedCourse(req)
        guard let enrolmentID = req.parameters.get("enrolment").flatMap(UUID.init(uuidString:)) else { throw Abort(.notFound) }
        struct Form: Decodable {
            var module: String?
            var reason: String?
            var note: String?
        }
        let form = try req.content.decode(Form.self)
        guard let moduleKey = form.module,
              try await ParticipantList(database: req.db, courseID: managed.courseID).row(enrolmentID: enrolmentID) != nil else {
            throw Abort(.notFound)
        }
        let waiver = ModuleWaiver(database: req.db, cmi5: XAPIController.runtime(req))
        do {
            try await waiver.waive(enrolmentID: enrolmentID, moduleKey: moduleKey, reason: form.reason.flatMap(ModuleWaiver.Reason.init(key:)),
                                   note: form.note ?? "", by: managed.user)
        } catch let failure as ModuleWaiver.Failure {
            let message: String
            switch failure {
            case .reasonMissing: message = req.t("workspace.waive.error.reason")
            case .noteMissing: message = req.t("workspace.waive.error.note")
            case .noteTooLong: message = req.t("workspace.reset.error.too.long", String(AttemptReset.maxReasonLength))
            case .alreadySatisfied: message = req.t("workspace.waive.error.satisfied")
            case .moduleNotFound, .notEnrolled: throw Abort(.notFound)
            }
            return try await renderParticipant(req, error: message).encodeResponse(status: .unprocessableEntity, for: req)
        }
        // After the waiver's commit: the recorder runs its own transactions.
        try await req.completionRecorder().attemptChanged(enrolmentID: enrolmentID)
        req.notice = req.t("workspace.waive.done")
        return req.redirect(to: .trainer(.participant(slug: managed.course.slug, enrolment: enrolmentID)))
    }

    // MARK: CSV

    func participantsCSV(req: Request) async throws -> Response {
        let managed = try await Self.managedCourse(req)
        let query = ParticipantQuery(parameters: (try? req.query.decode([String: String].self)) ?? [:])
        let list = ParticipantList(database: req.db, courseID: managed.courseID)
        let lang = req.language.rawValue
        var modules: [CourseModule] = []
        if let versionID = managed.version?.id { modules = try await list.modules(of: [versionID])[versionID] ?? [] }
        let columns = ParticipantCSV(
            language: req.language,
            headings: ["workspace.column.name", "workspace.column.email", "workspace.column.status", "workspace.column.enrolled",
                       "workspace.column.activity", "workspace.column.completed", "workspace.column.score",
                       "workspace.csv.required.done", "workspace.csv.required.total"].map { req.t($0) },
            modules: modules.filter { $0.moduleKind != .folder }.map { ($0.key, $0.title.text(in: lang) ?? $0.key) },
            statusLabels: Dictionary(uniqueKeysWithValues: ParticipantQuery.Status.allCases.map { ($0, req.t("workspace.participant.status.\($0.rawValue)")) }),
            stateLabels: Dictionary(uniqueKeysWithValues: [LearnerProgress.State.notStarted, .inProgress, .done].map { ($0, req.t("workspace.module.state.\($0.rawValue)")) }))
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(managed.course.slug)-participants.csv\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let logger = req.logger
        response.body = .init(asyncStream: { writer in
            do {
                var buffer = ByteBuffer()
                buffer.writeString(columns.header())
                try await list.forEachChunk(query) { rows in
                    for row in rows { buffer.writeString(columns.line(row)) }
                    if buffer.readableBytes >= 64 * 1024 {
                        try await writer.write(.buffer(buffer))
                        buffer = ByteBuffer()
                    }
                }
                try await writer.write(.buffer(buffer))
                try await writer.write(.end)
            } catch {
                logger.report(error: error)
                try? await writer.write(.error(error))
            }
        })
        return response
    }

    // MARK: Insight

    struct InsightPage: Encodable {
        struct Table: Encodable {
            let caption: String
            let headings: [String]
            let rows: [[String]]
            let hasRows: Bool
        }
        struct ColumnFigure: Encodable {
            let chart: ColumnChart
            let summary: String
            let table: Table
            let empty: Bool
        }
        struct BarFigure: Encodable {
            let chart: BarChart
            let summary: String
            let table: Table
            let empty: Bool
        }
        let page: PageContext
        let nav: CourseNav
        let facts: [Fact]
        let weeks: ColumnFigure
        let funnel: BarFigure
        let scores: ColumnFigure
        let boards: BarFigure
        let provinces: BarFigure
    }

    func insight(req: Request) async throws -> View {
        let managed = try await Self.managedCourse(req)
        var modules: [CourseModule] = []
        if let versionID = managed.version?.id {
            modules = try await CourseModule.query(on: req.db).filter(\.$version.$id == versionID).sort(\.$position).all()
        }
        let insight = try await CourseInsight.load(courseID: managed.courseID, modules: modules, on: req.db)
        let context = InsightCharts(insight: insight, request: req)
        return try await req.view.render("trainer-insight", InsightPage(
            page: PageContext(req, title: req.t("workspace.insight.title", managed.title), section: "workspace"),
            nav: CourseNav(managed, section: "insight", request: req),
            facts: context.facts, weeks: context.weeks, funnel: context.funnel, scores: context.scores,
            boards: context.boards, provinces: context.provinces))
    }
}
