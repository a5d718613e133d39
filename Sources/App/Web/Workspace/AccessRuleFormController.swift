import Fluent
import Vapor

/// The access rules of a course and its modules, edited as a tree in a form that needs no JavaScript
/// (`AccessRuleForm`). Each step (add a part, remove one, preview) posts the whole tree and gets the form
/// back with the rule's plain-language reason; saving a changed rule first shows who gains and who loses
/// access (`AccessAudience`, the access area's counter) and asks to confirm. Saved rules go to the current
/// version's access rules in the manifest's form, so the catalogue, course, module and content pages use
/// them at once and an export keeps them.
struct AccessRuleFormController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(TrainerRoute.Pattern.settingsAccess, use: overview)
        signedIn.get(TrainerRoute.Pattern.settingsAccessRule, use: editor)
        signedIn.post(TrainerRoute.Pattern.settingsAccessRule, use: step)
    }

    /// What the editor needs besides the form: the keys the platform knows, their names, and the explainer.
    struct Vocabulary {
        let vocabulary: AccessVocabulary
        let directory: AccessDirectory
        let courses: [(slug: String, title: String)]
        let explainer: AccessExplainer

        static func load(_ req: Request) async throws -> Vocabulary {
            let index = try await req.application.catalogue.current(on: req.db)
            let directory = try await req.application.accessDirectory.current(on: req.db)
            let lang = req.language.rawValue
            let courses = index.entries.map { ($0.slug, $0.title.text(in: lang) ?? $0.slug) }
                .sorted { ($0.1.lowercased(), $0.0) < ($1.1.lowercased(), $1.0) }
            return Vocabulary(
                vocabulary: AccessVocabulary(boards: Set(directory.boards.keys), groups: Set(directory.groups.keys),
                                             courses: Set(index.entries.map(\.slug))),
                directory: directory, courses: courses,
                explainer: AccessExplainer(language: req.language, boardNames: directory.boardNames, groupNames: directory.groups,
                                           courseTitles: Dictionary(index.entries.map { ($0.slug, $0.title) }, uniquingKeysWith: { first, _ in first })))
        }
    }

    static func targetLabel(_ target: AccessRuleTarget, modules: [CourseModule], request: Request) -> String {
        switch target {
        case .visibility: return request.t("settings.access.target.visibility")
        case .enrolment: return request.t("settings.access.target.enrolment")
        case .module(let key):
            let title = modules.first { $0.key == key }?.title.text(in: request.language.rawValue) ?? key
            return request.t("settings.access.target.module", title)
        }
    }

    // MARK: Overview

    struct OverviewPage: Encodable {
        struct Row: Encodable {
            let label: String
            let depth: Int
            let explanation: String
            let whenDenied: String?
            let editURL: String
            let editLabel: String
            let hasRule: Bool
        }
        let page: PageContext
        let nav: TrainerCoursesController.CourseNav
        let settingsNav: CourseSettingsController.SettingsNav
        let notice: String?
        let courseRows: [Row]
        let moduleRows: [Row]
        let hasModules: Bool
        let versionNote: String
    }

    func overview(req: Request) async throws -> View {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let version = try CourseSettingsController.requireVersion(managed)
        let modules = try await CourseModule.query(on: req.db).filter(\.$version.$id == version.requireID()).sort(\.$position).all()
        let words = try await Vocabulary.load(req)
        let rules = version.packageAccessRules
        let row = { (target: AccessRuleTarget, depth: Int) -> OverviewPage.Row in
            let policy = target.policy(in: rules)
            let label = Self.targetLabel(target, modules: modules, request: req)
            return OverviewPage.Row(
                label: label, depth: depth,
                explanation: policy.map { words.explainer.explain($0.rule) } ?? req.t("settings.access.none"),
                whenDenied: policy.map { req.t("settings.access.when-denied.\($0.whenDenied.rawValue)") },
                editURL: TrainerRoute.settingsAccessRule(slug: managed.course.slug, target: target.text).path,
                editLabel: req.t("settings.access.edit", label), hasRule: policy != nil)
        }
        let context = OverviewPage(
            page: PageContext(req, title: req.t("settings.access.title", managed.title), section: "workspace"),
            nav: .init(managed, section: "settings", request: req),
            settingsNav: CourseSettingsController.SettingsNav(slug: managed.course.slug, current: "access", request: req),
            notice: req.takeNotice(),
            courseRows: [row(.visibility, 0), row(.enrolment, 0)],
            moduleRows: modules.map { row(.module($0.key), $0.depth) },
            hasModules: !modules.isEmpty,
            versionNote: req.t("settings.metadata.version.note", String(version.number)))
        return try await req.view.render("trainer-course-settings-access", context)
    }

    // MARK: The editor

    struct EditorPage: Encodable {
        struct Parameter: Encodable {
            let name: String
            let id: String
            let label: String
            /// "checkboxes", "select" (several), "date"
            let type: String
            let choices: [Choice]
            let value: String
            let hint: String?
        }
        struct Node: Encodable {
            let path: String
            let depth: Int
            let isGroup: Bool
            let isRoot: Bool
            let legend: String
            let kind: String
            let unknownType: String
            let kindChoices: [Choice]
            let parameters: [Parameter]
            let canAdd: Bool
            let addChoices: [Choice]
            let addLabel: String
            let removeLabel: String
            let errors: [String]
            let invalid: Bool
        }
        struct Figure: Encodable {
            let label: String
            let gained: String
            let lost: String
        }
        struct BoardChange: Encodable {
            let name: String
            let province: String
            let gained: String
            let lost: String
        }
        struct Impact: Encodable {
            let unchanged: Bool
            let figures: [Figure]
            let boards: [BoardChange]
            let hasBoards: Bool
            let summary: String
        }
        let page: PageContext
        let nav: TrainerCoursesController.CourseNav
        let settingsNav: CourseSettingsController.SettingsNav
        let heading: String
        let action: String
        let backURL: String
        let whenDenied: [Choice]
        let nodes: [Node]
        let explanation: String?
        let emptyRule: Bool
        /// Parts were added but not filled in yet (shown instead of errors between steps).
        let incomplete: Bool
        let problems: [String]
        let hasProblems: Bool
        let stale: Bool
        let impact: Impact?
        /// Set when the trainer asked to save a changed rule: the next save confirms it.
        let confirm: String?
        let changed: Bool
        let current: String
    }

    func editor(req: Request) async throws -> View {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let version = try CourseSettingsController.requireVersion(managed)
        let target = try await Self.target(req, version: version)
        let policy = target.policy(in: version.packageAccessRules)
        let form = AccessRuleForm(rule: policy?.rule, whenDenied: policy?.whenDenied ?? (target == .visibility ? .hide : .showLocked))
        return try await render(req, managed: managed, version: version, target: target, form: form,
                                stale: false, impact: nil, confirm: nil)
    }

    static func target(_ req: Request, version: CourseVersion) async throws -> AccessRuleTarget {
        let raw = req.parameters.get("target") ?? ""
        guard let target = AccessRuleTarget(raw.removingPercentEncoding ?? raw) else { throw Abort(.notFound) }
        if case .module(let key) = target {
            let exists = try await CourseModule.query(on: req.db).filter(\.$version.$id == version.requireID())
                .filter(\.$key == key).count() > 0
            guard exists else { throw Abort(.notFound) }
        }
        return target
    }

    func step(req: Request) async throws -> Response {
        let managed = try await TrainerCoursesController.managedCourse(req)
        let version = try CourseSettingsController.requireVersion(managed)
        let target = try await Self.target(req, version: version)
        let fields = CourseSettingsController.postedFields(req)
        var form = AccessRuleForm(fields: fields)
        let action = AccessRuleForm.action(from: fields)
        let stale = !form.apply(action)
        guard action == .save || action == .preview else {
            return try await render(req, managed: managed, version: version, target: target, form: form,
                                    stale: stale, impact: nil, confirm: nil, showProblems: false).encodeResponse(for: req)
        }
        let words = try await Vocabulary.load(req)
        let (rule, problems) = form.rule(vocabulary: words.vocabulary)
        guard problems.isEmpty else {
            return try await render(req, managed: managed, version: version, target: target, form: form,
                                    stale: stale, impact: nil, confirm: nil).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let old = target.policy(in: version.packageAccessRules)
        let new = rule.map { AccessPolicy(rule: $0, whenDenied: form.whenDenied) }
        let fingerprint = Self.fingerprint(new)
        let posted = fields.last { $0.0 == "confirm" }?.1
        if action == .save && (old == new || posted == fingerprint) {
            let saved = try await CourseSettingsWriter(database: req.db)
                .saveAccessRule(new, target: target, courseID: managed.courseID, versionID: version.requireID(), by: managed.user)
            if saved { await req.application.catalogue.invalidate() }
            req.notice = saved ? req.t("settings.access.saved", Self.targetLabel(target, modules: [], request: req)) : req.t("settings.saved.nothing")
            return req.redirect(to: .trainer(.settingsAccess(slug: managed.course.slug)))
        }
        let impact = try await Self.impact(req, from: old?.rule, to: new?.rule, course: managed.course)
        return try await render(req, managed: managed, version: version, target: target, form: form, stale: stale,
                                impact: impact, confirm: action == .save && old != new ? fingerprint : nil).encodeResponse(for: req)
    }

    /// What the confirmation must repeat: the rule and its choice as they will be stored.
    static func fingerprint(_ policy: AccessPolicy?) -> String {
        policy.map { "\($0.whenDenied.rawValue) \($0.rule.jsonString())" } ?? "none"
    }

    // MARK: Impact

    static func impact(_ req: Request, from old: AccessRule?, to new: AccessRule?, course: Course) async throws -> EditorPage.Impact {
        let audience = try await AccessAudience.load(on: req.db, now: Date())
        let key = try await EnrolmentSettings.find(course.id, on: req.db)?.enrolmentKey
        let change = audience.compare(from: old, to: new, course: AccessCourse(slug: course.slug, enrolmentKey: key))
        let format = WorkspaceFormat(language: req.language)
        let figure = { (label: String, gained: Int, lost: Int) in
            EditorPage.Figure(label: req.t(label), gained: format.count(gained), lost: format.count(lost))
        }
        return EditorPage.Impact(
            unchanged: change.isEmpty,
            figures: [
                figure("settings.impact.learners", change.gained.learners, change.lost.learners),
                figure("settings.impact.members", change.gained.members, change.lost.members),
                figure("settings.impact.boards", change.gained.boards, change.lost.boards),
                figure("settings.impact.in-progress", change.gained.enrolledInProgress, change.lost.enrolledInProgress),
            ],
            boards: change.perBoard.map {
                EditorPage.BoardChange(name: $0.name, province: $0.province.name(in: req.language),
                                       gained: format.count($0.gained), lost: format.count($0.lost))
            },
            hasBoards: !change.perBoard.isEmpty,
            summary: change.isEmpty ? req.t("settings.impact.none")
                : req.t("settings.impact.summary", format.count(change.gained.learners), format.count(change.lost.learners),
                        format.count(change.lost.enrolledInProgress)))
    }

    // MARK: Rendering

    private func render(_ req: Request, managed: TrainerCoursesController.ManagedCourse, version: CourseVersion,
                        target: AccessRuleTarget, form: AccessRuleForm, stale: Bool, impact: EditorPage.Impact?,
                        confirm: String?, showProblems: Bool = true) async throws -> View {
        let words = try await Vocabulary.load(req)
        let modules = try await CourseModule.query(on: req.db).filter(\.$version.$id == version.requireID()).sort(\.$position).all()
        let (rule, allProblems) = form.rule(vocabulary: words.vocabulary)
        // While the trainer is still adding parts, half-filled ones are not yet mistakes: say so only on preview and save.
        let problems = showProblems ? allProblems : []
        let byNode = Dictionary(grouping: problems, by: \.path)
        let nodes = form.flattened.map { entry in
            Self.nodeView(entry.path, depth: entry.depth, node: entry.node, words: words,
                          errors: (byNode[entry.path] ?? []).map { Self.problemText($0, node: entry.node, request: req) }, request: req)
        }
        let label = Self.targetLabel(target, modules: modules, request: req)
        let current = target.policy(in: version.packageAccessRules)
        let context = EditorPage(
            page: PageContext(req, title: req.t("settings.access.editor.title", label, managed.title), section: "workspace"),
            nav: .init(managed, section: "settings", request: req),
            settingsNav: CourseSettingsController.SettingsNav(slug: managed.course.slug, current: "access", request: req),
            heading: label,
            action: TrainerRoute.settingsAccessRule(slug: managed.course.slug, target: target.text).path,
            backURL: TrainerRoute.settingsAccess(slug: managed.course.slug).path,
            whenDenied: [AccessPolicy.WhenDenied.showLocked, .hide].map {
                Choice(value: $0.rawValue, label: req.t("settings.access.when-denied.\($0.rawValue).choice"), selected: $0 == form.whenDenied)
            },
            nodes: nodes,
            explanation: allProblems.isEmpty ? rule.map { words.explainer.explain($0) } : nil,
            emptyRule: allProblems.isEmpty && rule == nil,
            incomplete: !showProblems && !allProblems.isEmpty,
            problems: problems.map { problem in
                let node = form.flattened.first { $0.path == problem.path }?.node ?? AccessRuleForm.Node(kind: .unknown)
                return req.t("settings.access.problem", problem.path, Self.kindLabel(node, request: req), Self.problemText(problem, node: node, request: req))
            },
            hasProblems: !problems.isEmpty,
            stale: stale,
            impact: impact,
            confirm: confirm,
            changed: allProblems.isEmpty && current != rule.map { AccessPolicy(rule: $0, whenDenied: form.whenDenied) },
            current: current.map { words.explainer.explain($0.rule) } ?? req.t("settings.access.none"))
        return try await req.view.render("trainer-course-settings-rule", context)
    }

    static func kindLabel(_ node: AccessRuleForm.Node, request: Request) -> String {
        node.kind == .unknown ? request.t("settings.access.kind.unknown", node.unknownType) : request.t("settings.access.kind.\(node.kind.rawValue)")
    }

    static func problemText(_ problem: AccessRuleForm.Problem, node: AccessRuleForm.Node, request: Request) -> String {
        var arguments = problem.arguments
        if problem.code == "unknown-key" || problem.code == "needs-choice", let what = arguments.first {
            arguments[0] = request.t("settings.access.parameter.\(what)")
        }
        if problem.code == "date-invalid", let which = arguments.first {
            arguments[0] = request.t("settings.access.parameter.\(which)")
        }
        return MessageCatalogue.text("settings.access.error.\(problem.code)", request.language, arguments)
    }

    static func nodeView(_ path: String, depth: Int, node: AccessRuleForm.Node, words: Vocabulary, errors: [String],
                         request: Request) -> EditorPage.Node {
        let lang = request.language
        func choices(_ known: [(String, String)], selected: [String]) -> [Choice] {
            var result = known.map { Choice(value: $0.0, label: $0.1, selected: selected.contains($0.0)) }
            for value in selected where !known.contains(where: { $0.0 == value }) {
                result.append(Choice(value: value, label: request.t("settings.unknown.key", value), selected: true))
            }
            return result
        }
        func parameter(_ field: String, _ type: String, _ known: [(String, String)], _ selected: [String], hint: String? = nil) -> EditorPage.Parameter {
            EditorPage.Parameter(name: "\(path).\(field)", id: "n\(path.replacingOccurrences(of: ".", with: "-"))-\(field)",
                                 label: request.t("settings.access.parameter.\(field)"), type: type,
                                 choices: choices(known, selected: selected), value: "", hint: hint)
        }
        func date(_ field: String, _ value: String) -> EditorPage.Parameter {
            EditorPage.Parameter(name: "\(path).\(field)", id: "n\(path.replacingOccurrences(of: ".", with: "-"))-\(field)",
                                 label: request.t("settings.access.parameter.\(field)"), type: "date", choices: [], value: value,
                                 hint: request.t("settings.access.date.hint"))
        }
        let boards = words.directory.boards.sorted { ($0.value.province.rawValue, $0.value.name) < ($1.value.province.rawValue, $1.value.name) }
            .map { ($0.key, "\($0.value.name) (\($0.value.province.name(in: lang)))") }
        var parameters: [EditorPage.Parameter] = []
        switch node.kind {
        case .boardMember:
            parameters = [
                parameter("roles", "checkboxes", BoardRole.known.map { ($0.rawValue, request.t("settings.access.role.\($0.rawValue)")) }, node.roles,
                          hint: request.t("settings.access.filter.hint")),
                parameter("boards", "select", boards, node.boards, hint: request.t("settings.access.select.hint")),
                parameter("provinces", "checkboxes", Province.known.map { ($0.rawValue, $0.name(in: lang)) }, node.provinces),
                parameter("clusters", "checkboxes", CareBoardCluster.known.map { ($0.rawValue, $0.name(in: lang)) }, node.clusters),
            ]
        case .profession:
            parameters = [parameter("professions", "checkboxes", Profession.allCases.map { ($0.rawValue, request.t("profession.\($0.rawValue)")) }, node.professions)]
        case .platformRole:
            parameters = [parameter("platform-roles", "checkboxes", PlatformRole.known.map { ($0.rawValue, request.t("settings.owners.role.\($0.rawValue)")) }, node.platformRoles)]
        case .date:
            parameters = [date("from", node.from), date("until", node.until)]
        case .completed:
            parameters = [parameter("courses", "select", words.courses.map { ($0.slug, "\($0.title) (\($0.slug))") }, node.courses,
                                    hint: request.t("settings.access.select.hint"))]
        case .inGroup:
            parameters = [parameter("groups", "checkboxes",
                                    words.directory.groups.sorted { $0.key < $1.key }.map { ($0.key, $0.value.text(in: lang.rawValue) ?? $0.key) },
                                    node.groups)]
        case .hasRegistrationNumber, .enrolmentKey, .unknown, .allOf, .anyOf, .not:
            parameters = []
        }
        let kindLabel = kindLabel(node, request: request)
        let canAdd = node.kind.isGroup && !(node.kind == .not && !node.children.isEmpty)
        return EditorPage.Node(
            path: path, depth: min(depth, AccessRuleForm.maximumDepth), isGroup: node.kind.isGroup, isRoot: path == "1",
            legend: request.t("settings.access.node", path, kindLabel),
            kind: node.kind.rawValue, unknownType: node.unknownType,
            kindChoices: node.kind.isGroup
                ? AccessRuleForm.Kind.groupKinds.map { Choice(value: $0.rawValue, label: request.t("settings.access.kind.\($0.rawValue)"), selected: $0 == node.kind) }
                : [],
            parameters: parameters,
            canAdd: canAdd,
            addChoices: (AccessRuleForm.Kind.conditionKinds + AccessRuleForm.Kind.groupKinds).map {
                Choice(value: $0.rawValue, label: request.t("settings.access.kind.\($0.rawValue)"), selected: false)
            },
            addLabel: request.t("settings.access.add", path),
            removeLabel: request.t(path == "1" ? "settings.access.clear" : "settings.access.remove", path),
            errors: errors, invalid: !errors.isEmpty)
    }
}
