import Fluent
import SQLKit
import Vapor

/// "Who can take this course": the course's rules in plain words, how many boards, members and learners
/// pass them, a table per board and province, and a check of one named person with the reasons
/// ("why can't Jan see this?"). Owners, co-owners and admins (403 for other trainers and learners).
/// The same figures as JSON at GET /api/v1/courses/:slug/audience for a trainer's token (`courses:read`).
struct CourseAudienceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(SignedInMiddleware()).get(TrainerRoute.Pattern.audience, use: page)
        routes.grouped("api", "v1").grouped(UserTokenAuthenticator(scope: UserAPIToken.coursesReadScope))
            .get("courses", ":slug", "audience", use: api)
    }

    // MARK: What is measured

    /// The course's rules as the rule engine applies them, and everything needed to explain them.
    struct CourseRules {
        let slug: String
        let accessCourse: AccessCourse
        let visibility: [AccessPolicy]
        let enrolment: [AccessPolicy]
        /// Module key -> its policies, in module order; only modules with rules of their own.
        let modules: [(key: String, title: String, policies: [AccessPolicy])]

        /// Seeing the course in the catalogue: every visibility rule.
        var seeRule: AccessRule? { Self.combined(visibility.map(\.rule)) }
        /// Taking the course: every visibility and enrolment rule.
        var enrolRule: AccessRule? { Self.combined((visibility + enrolment).map(\.rule)) }

        func moduleRule(_ policies: [AccessPolicy]) -> AccessRule? {
            Self.combined((visibility + enrolment + policies).map(\.rule))
        }

        static func combined(_ rules: [AccessRule]) -> AccessRule? {
            switch rules.count {
            case 0: nil
            case 1: rules[0]
            default: .allOf(rules)
            }
        }

        static func load(course: Course, courseID: UUID, version: CourseVersion?, language: Language,
                         on db: any Database) async throws -> CourseRules {
            let packaged = version?.packageAccessRules ?? []
            let key = try await EnrolmentSettings.find(courseID, on: db)?.enrolmentKey
            var modules: [(key: String, title: String, policies: [AccessPolicy])] = []
            let moduleRules = packaged.filter { $0.scope == .module && $0.moduleKey != nil }
            if !moduleRules.isEmpty, let versionID = version?.id {
                let rows = try await CourseModule.query(on: db).filter(\.$version.$id == versionID).sort(\.$position).all()
                for row in rows {
                    let policies = moduleRules.filter { $0.moduleKey == row.key }.map(AccessPolicy.init)
                    if !policies.isEmpty { modules.append((row.key, row.title.text(in: language.rawValue) ?? row.key, policies)) }
                }
            }
            return CourseRules(slug: course.slug, accessCourse: AccessCourse(slug: course.slug, enrolmentKey: key),
                               visibility: packaged.filter { $0.scope == .visibility }.map(AccessPolicy.init),
                               enrolment: packaged.filter { $0.scope == .enrolment }.map(AccessPolicy.init),
                               modules: modules)
        }
    }

    static func explainer(_ req: Request) async throws -> AccessExplainer {
        let directory = try await req.application.accessDirectory.current(on: req.db)
        let index = try await req.application.catalogue.current(on: req.db)
        let titles = Dictionary(index.entries.map { ($0.slug, $0.title) }, uniquingKeysWith: { first, _ in first })
        return AccessExplainer(language: req.language, boardNames: directory.boardNames,
                               groupNames: directory.groups, courseTitles: titles)
    }

    // MARK: The page

    struct AudiencePage: Encodable {
        struct RuleLine: Encodable {
            let label: String
            let text: String
            let hidden: Bool
        }
        struct Figure: Encodable {
            let label: String
            let value: String
        }
        struct BoardRow: Encodable {
            let province: String
            let name: String
            let code: String
            let passing: Int
            let members: Int
        }
        struct ProvinceRow: Encodable {
            let province: String
            let boards: String
            let members: String
        }
        struct Match: Encodable {
            let name: String
            let email: String
            let url: String
        }
        struct CheckLine: Encodable {
            let text: String
            let allowed: Bool
            let reasons: [String]
        }
        struct Check: Encodable {
            let name: String
            let lines: [CheckLine]
        }
        let page: PageContext
        let nav: TrainerCoursesController.CourseNav
        let rules: [RuleLine]
        let hasRules: Bool
        let problems: [String]
        let figures: [Figure]
        let boards: [BoardRow]
        let hasBoards: Bool
        let provinces: [ProvinceRow]
        let action: String
        let text: String
        let matches: [Match]
        let noMatch: Bool
        let check: Check?
    }

    func page(req: Request) async throws -> View {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let language = req.language
        let rules = try await CourseRules.load(course: managed.course, courseID: managed.courseID, version: managed.version,
                                               language: language, on: req.db)
        let explainer = try await Self.explainer(req)
        let audience = try await AccessAudience.load(on: req.db, now: Date())
        let count = audience.measure(rules.enrolRule, course: rules.accessCourse)
        let seeing = audience.measure(rules.seeRule, course: rules.accessCourse)
        let format = WorkspaceFormat(language: language)

        var lines: [AudiencePage.RuleLine] = []
        for policy in rules.visibility {
            lines.append(.init(label: req.t("audience.rule.see"), text: explainer.explain(policy.rule), hidden: policy.whenDenied == .hide))
        }
        for policy in rules.enrolment {
            lines.append(.init(label: req.t("audience.rule.enrol"), text: explainer.explain(policy.rule), hidden: policy.whenDenied == .hide))
        }
        for module in rules.modules {
            for policy in module.policies {
                lines.append(.init(label: req.t("audience.rule.module", module.title), text: explainer.explain(policy.rule),
                                   hidden: policy.whenDenied == .hide))
            }
        }
        let problems = (count.problems + seeing.problems).reduce(into: [AccessReason]()) { if !$0.contains($1) { $0.append($1) } }
        func share(_ tally: AccessAudienceCount.Tally) -> String {
            req.t("audience.of", format.count(tally.passing), format.count(tally.of))
        }
        let figures: [AudiencePage.Figure] = [
            .init(label: req.t("audience.figure.learners"), value: share(count.learners)),
            .init(label: req.t("audience.figure.seeing"), value: share(seeing.learners)),
            .init(label: req.t("audience.figure.members"), value: share(count.members)),
            .init(label: req.t("audience.figure.boards"), value: share(count.boards)),
            .init(label: req.t("audience.figure.enrolled"), value: share(count.enrolledInProgress)),
        ]
        let provinceName = { (province: Province) in req.t("audience.province.\(province.rawValue)") }
        let boards = count.perBoard.filter { $0.members.of > 0 }.map {
            AudiencePage.BoardRow(province: provinceName($0.province), name: $0.name, code: $0.code,
                                  passing: $0.members.passing, members: $0.members.of)
        }
        let provinces = count.perProvince.map {
            AudiencePage.ProvinceRow(province: provinceName($0.province), boards: share($0.boards), members: share($0.members))
        }

        // The person to check: `user` (chosen from the matches) or the only match of `q`.
        let text = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var matches: [Person] = []
        var chosen: Person?
        if let id = req.query[UUID.self, at: "user"] {
            chosen = try await Person.find(id, on: req.db)
        } else if !text.isEmpty {
            matches = try await Person.search(text, on: req.db)
            if matches.count == 1 { chosen = matches[0] }
        }
        var check: AudiencePage.Check?
        if let chosen {
            check = .init(name: chosen.name, lines: Self.checkLines(chosen, audience: audience, rules: rules,
                                                                    explainer: explainer, request: req))
        }
        let action = SiteRoute.trainer(.audience(slug: managed.course.slug)).path
        return try await req.view.render("trainer-audience", AudiencePage(
            page: PageContext(req, title: req.t("audience.title", managed.title), section: "workspace"),
            nav: .init(managed, section: "audience", request: req),
            rules: lines, hasRules: !lines.isEmpty, problems: problems.flatMap(explainer.explain),
            figures: figures, boards: boards, hasBoards: !boards.isEmpty, provinces: provinces,
            action: action, text: text,
            matches: chosen == nil ? matches.map { .init(name: $0.name, email: $0.email,
                                                         url: action + "?user=\($0.id.uuidString.lowercased())") } : [],
            noMatch: !text.isEmpty && matches.isEmpty && chosen == nil,
            check: check))
    }

    /// "Jan Peeters can see this course", "... cannot enrol", "... can open module X", each with the reasons.
    static func checkLines(_ person: Person, audience: AccessAudience, rules: CourseRules, explainer: AccessExplainer,
                           request req: Request) -> [AudiencePage.CheckLine] {
        guard audience.person(person.id) != nil else {
            return [.init(text: req.t("audience.check.inactive", person.name), allowed: false, reasons: [])]
        }
        func line(_ rule: AccessRule?, yes: String, no: String, _ argument: String? = nil) -> AudiencePage.CheckLine {
            let decision = audience.decision(for: person.id, rule: rule, course: rules.accessCourse) ?? .deny([])
            let arguments = [person.name] + (argument.map { [$0] } ?? [])
            return .init(text: MessageCatalogue.text(decision.allowed ? yes : no, req.language, arguments), allowed: decision.allowed,
                         reasons: explainer.explain(decision))
        }
        var lines = [
            line(rules.seeRule, yes: "audience.check.see.yes", no: "audience.check.see.no"),
            line(rules.enrolRule, yes: "audience.check.enrol.yes", no: "audience.check.enrol.no"),
        ]
        for module in rules.modules {
            lines.append(line(rules.moduleRule(module.policies.map { $0 }), yes: "audience.check.module.yes",
                              no: "audience.check.module.no", module.title))
        }
        return lines
    }

    /// A person found by name or e-mail.
    struct Person: Sendable {
        let id: UUID
        let name: String
        let email: String

        static func find(_ id: UUID, on db: any Database) async throws -> Person? {
            try await User.find(id, on: db).flatMap { user in user.id.map { Person(id: $0, name: user.name, email: user.email) } }
        }

        /// At most ten people whose name or e-mail contains the text (any case).
        static func search(_ text: String, on db: any Database) async throws -> [Person] {
            let query = ParticipantQuery(text: text)
            guard let pattern = query.likePattern else { return [] }
            let sql = try WorkspaceSQL(db)
            struct Row: Decodable {
                let id: UUID
                let name: String
                let email: String
            }
            let rows = try await sql.db.raw("""
                SELECT id, name, email FROM users
                WHERE LOWER(name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(email) LIKE \(bind: pattern) ESCAPE '\\'
                ORDER BY name, email LIMIT 10
                """).all(decoding: Row.self)
            return rows.map { Person(id: $0.id, name: $0.name, email: $0.email) }
        }
    }

    // MARK: The API

    /// The figures and rules of the page, for tools: counts for taking the course and for seeing it, and per board.
    struct AudienceDocument: Content {
        struct Rule: Codable {
            let scope: String
            let module: String?
            let rule: AccessRule
            let whenDenied: String
            let text: String
        }
        let course: String
        let rules: [Rule]
        let enrol: AccessAudienceCount
        let see: AccessAudienceCount
    }

    func api(req: Request) async throws -> AudienceDocument {
        let holder = try req.auth.require(TokenHolder.self)
        let slug = req.parameters.get("slug") ?? ""
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).with(\.$currentVersion).first(),
              let courseID = course.id else {
            throw Abort(.notFound, reason: "There is no course '\(slug)'.")
        }
        guard try await CourseOwnership(database: req.db).canManage(courseID: courseID, user: holder.user) else {
            throw Abort(.forbidden, reason: "Only the course's owners, co-owners and admins may see who can take it.")
        }
        let rules = try await CourseRules.load(course: course, courseID: courseID, version: course.currentVersion,
                                               language: req.language, on: req.db)
        let explainer = try await Self.explainer(req)
        let audience = try await AccessAudience.load(on: req.db, now: Date())
        var documented: [AudienceDocument.Rule] = []
        func add(_ policies: [AccessPolicy], scope: String, module: String?) {
            for policy in policies {
                documented.append(.init(scope: scope, module: module, rule: policy.rule, whenDenied: policy.whenDenied.rawValue,
                                        text: explainer.explain(policy.rule)))
            }
        }
        add(rules.visibility, scope: "visibility", module: nil)
        add(rules.enrolment, scope: "enrolment", module: nil)
        for module in rules.modules { add(module.policies, scope: "module", module: module.key) }
        return AudienceDocument(course: slug, rules: documented,
                                enrol: audience.measure(rules.enrolRule, course: rules.accessCourse),
                                see: audience.measure(rules.seeRule, course: rules.accessCourse))
    }
}
