import Fluent
import Vapor

/// The course player: the module outline, the current module and progress. Learners with an active or
/// completed enrolment play the version they enrolled in; the course's managers (admins, owners and
/// co-owners) who are not enrolled preview without anything being saved: the current version, or the
/// version they chose with `?version=N` (drafts too), which the session keeps until they choose another.
/// Everyone else gets what the content route gives them: 404 when the course is hidden from them, 403
/// (with the way to the course page) otherwise.
struct PlayerController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.get(SiteRoute.Pattern.player, use: resume)
        signedIn.get(SiteRoute.Pattern.playerModule, use: show)
        signedIn.post(SiteRoute.Pattern.moduleProgress, use: progress)
    }

    // MARK: Who plays what

    /// Whether a module's own access rule lets this learner open it.
    enum ModuleAccess: Equatable {
        case open
        case locked(reason: String)
        case hidden
    }

    struct Seat {
        let course: Course
        let version: CourseVersion
        /// `nil` while an admin previews.
        let enrolment: Enrolment?
        let modules: [CourseModule]
        let moduleAccess: [String: ModuleAccess]

        func access(_ key: String) -> ModuleAccess { moduleAccess[key] ?? .open }

        /// Modules this learner does not see: not required of them (`LearnerProgress`, `CompletionRecorder`).
        var hiddenModules: Set<String> { Set(moduleAccess.filter { $0.value == .hidden }.keys) }

        /// Modules with content the learner may see, in outline order (locked ones too: they say why).
        var playable: [CourseModule] {
            modules.filter { $0.moduleKind != .folder && access($0.key) != .hidden }
        }

        func module(_ key: String) -> CourseModule? {
            modules.first { $0.key == key && access($0.key) != .hidden }
        }

        /// Where the learner left off, else the first module they can open.
        var resumeModule: CourseModule? {
            let playable = self.playable
            if let key = enrolment?.lastModuleKey, let last = playable.first(where: { $0.key == key }),
               access(key) == .open {
                return last
            }
            return playable.first { access($0.key) == .open } ?? playable.first
        }
    }

    /// The learner is signed in but may not play this course: the page says so and links to the course.
    struct NotEnrolled: Error {
        let course: Course
        let title: String
    }

    static func seat(_ req: Request) async throws -> Seat {
        let user = try req.auth.require(User.self)
        let userID = try user.requireID()
        let slug = req.parameters.get("slug") ?? ""
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).first(),
              let courseID = course.id else {
            throw Abort(.notFound)
        }
        let enrolment = try await Enrolment.query(on: req.db)
            .filter(\.$user.$id == userID).filter(\.$course.$id == courseID)
            .filter(\.$status ~~ [.active, .completed]).first()
        let version: CourseVersion
        if let enrolment {
            guard let enrolled = try await CourseVersion.find(enrolment.$version.id, on: req.db) else { throw Abort(.notFound) }
            version = enrolled
        } else if user.role != .learner, try await CourseOwnership(database: req.db).canManage(courseID: courseID, user: user) {
            version = try await Self.previewVersion(req, course: course)
        } else {
            guard let currentID = course.$currentVersion.id,
                  let current = try await CourseVersion.find(currentID, on: req.db) else {
                throw Abort(.notFound)
            }
            if user.role != .admin {
                // The same decision as for the course's files: hidden courses do not exist for this person.
                if try await ContentController().decide(req: req, course: course, version: current) == .hidden {
                    throw Abort(.notFound)
                }
                throw NotEnrolled(course: course, title: current.title.text(in: req.language.rawValue) ?? course.slug)
            }
            version = current
        }
        let modules = try await CourseModule.query(on: req.db).filter(\.$version.$id == version.requireID())
            .sort(\.$position).all()
        let access = try await moduleAccess(version: version, modules: modules, course: course,
                                            isAdmin: user.role == .admin, req: req)
        return Seat(course: course, version: version, enrolment: enrolment, modules: modules, moduleAccess: access)
    }

    /// The version a manager previews: `?version=N` chooses it (and the session remembers it for this
    /// course), otherwise the one chosen before, otherwise the current version.
    static func previewVersion(_ req: Request, course: Course) async throws -> CourseVersion {
        let courseID = try course.requireID()
        let key = "preview-version:\(courseID.uuidString.lowercased())"
        if let number = req.query[Int.self, at: "version"] {
            guard let chosen = try await CourseVersion.query(on: req.db).filter(\.$course.$id == courseID)
                .filter(\.$number == number).first() else { throw Abort(.notFound) }
            req.session.data[key] = chosen.id == course.$currentVersion.id ? nil : String(number)
            return chosen
        }
        if let remembered = req.session.data[key].flatMap(Int.init),
           let chosen = try await CourseVersion.query(on: req.db).filter(\.$course.$id == courseID)
               .filter(\.$number == remembered).first() {
            return chosen
        }
        guard let currentID = course.$currentVersion.id, let current = try await CourseVersion.find(currentID, on: req.db) else {
            throw Abort(.notFound)
        }
        return current
    }

    /// Modules' own access rules for the signed-in person (`CourseAccess.moduleAccess`). Admins open everything.
    static func moduleAccess(version: CourseVersion, modules: [CourseModule], course: Course, isAdmin: Bool,
                             req: Request) async throws -> [String: ModuleAccess] {
        let rules = version.packageAccessRules.filter { $0.scope == .module && $0.moduleKey != nil }
        guard !rules.isEmpty, !isAdmin else { return [:] }
        return try await CourseAccess.load(for: req).moduleAccess(rules: rules, modules: modules, courseSlug: course.slug)
    }

    // MARK: Pages

    func resume(req: Request) async throws -> Response {
        let seat: Seat
        do {
            seat = try await Self.seat(req)
        } catch let closed as NotEnrolled {
            return try await Self.notEnrolledPage(closed, req: req)
        }
        guard let module = seat.resumeModule else { throw Abort(.notFound, reason: "player-no-modules") }
        return req.redirect(to: .player(slug: seat.course.slug, module: module.key))
    }

    func show(req: Request) async throws -> Response {
        let seat: Seat
        do {
            seat = try await Self.seat(req)
        } catch let closed as NotEnrolled {
            return try await Self.notEnrolledPage(closed, req: req)
        }
        let key = req.parameters.get("module") ?? ""
        guard let module = seat.module(key) else { throw Abort(.notFound) }
        if module.moduleKind == .folder {
            // A folder has no content: go to its first module, else where the learner left off.
            let inside = seat.playable.first { $0.position > module.position && Self.isInside($0, folder: module, of: seat.modules) }
            guard let target = inside ?? seat.resumeModule else { throw Abort(.notFound) }
            return req.redirect(to: .player(slug: seat.course.slug, module: target.key))
        }
        var notices: [String] = req.takeNotice().map { [$0] } ?? []
        let criterion = ModuleCriterion(kind: module.moduleKind, completion: module.runtime.completion)
        if let enrolment = seat.enrolment, seat.access(key) == .open {
            // Resume works on another device because the place is kept in the database, not in the browser.
            try await Enrolment.query(on: req.db).filter(\.$id == enrolment.requireID())
                .set(\.$lastModuleKey, to: key).set(\.$lastActivityAt, to: Date()).update()
            if criterion.isNative, let kind = module.moduleKind {
                let outcome = try await NativeProgress(database: req.db)
                    .record(.opened, moduleKey: key, kind: kind, criterion: criterion, enrolment: enrolment)
                if outcome.changed, let finished = try await Self.courseCompleted(seat: seat, req: req) {
                    notices.append(finished)
                }
            }
        }
        let page = try await PlayerPage.make(seat: seat, module: module, criterion: criterion,
                                             notice: notices.isEmpty ? nil : notices.joined(separator: " "), req: req)
        return try await req.view.render("player", page).encodeResponse(for: req)
    }

    static func isInside(_ module: CourseModule, folder: CourseModule, of modules: [CourseModule]) -> Bool {
        var parent = module.parentKey
        while let key = parent {
            if key == folder.key { return true }
            parent = modules.first { $0.key == key }?.parentKey
        }
        return false
    }

    struct NotEnrolledPage: Encodable {
        let page: PageContext
        let courseTitle: String
        let courseURL: String
    }

    static func notEnrolledPage(_ closed: NotEnrolled, req: Request) async throws -> Response {
        let context = NotEnrolledPage(page: PageContext(req, title: closed.title, section: "learning"),
                                      courseTitle: closed.title, courseURL: SiteRoute.course(slug: closed.course.slug).path)
        return try await req.view.render("player-closed", context).encodeResponse(status: .forbidden, for: req)
    }

    /// Tells the completion recorder an attempt changed; a notice when that completed the course just now.
    static func courseCompleted(seat: Seat, req: Request) async throws -> String? {
        guard let enrolment = seat.enrolment else { return nil }
        let completion = try await req.completionRecorder().attemptChanged(enrolmentID: try enrolment.requireID())
        // The recorder returns the completion on every call once there is one: only the first counts here.
        guard completion != nil, enrolment.status != .completed else { return nil }
        return req.t("player.course.completed")
    }

    // MARK: Progress

    struct ProgressAnswer: Content {
        let state: String
        let stateText: String
        let message: String
        let courseCompleted: Bool
    }

    /// POST from a native module: "Mark as done" (`action=done`), the watched share of a video
    /// (`action=watched&fraction=0.42`, from the player's script) or quiz answers (`action=quiz`, one
    /// `q.<question>=<option>` per chosen option). Forms are redirected back; `Accept: application/json`
    /// gets the module's new state.
    func progress(req: Request) async throws -> Response {
        let seat: Seat
        do {
            seat = try await Self.seat(req)
        } catch is NotEnrolled {
            throw Abort(.forbidden, reason: "player-not-enrolled")
        }
        let key = req.parameters.get("module") ?? ""
        guard let module = seat.module(key), let kind = module.moduleKind else { throw Abort(.notFound) }
        guard seat.access(key) == .open else { throw Abort(.forbidden, reason: "module-locked") }
        let back = SiteRoute.player(slug: seat.course.slug, module: key).path
        // Literally: HTTPMediaType's == treats a browser's */* as JSON too.
        let wantsJSON = req.headers[.accept].contains { $0.contains("application/json") }
        guard let enrolment = seat.enrolment else {
            if wantsJSON { throw Abort(.conflict, reason: "player-preview") }
            req.notice = req.t("player.preview.not.saved")
            return req.redirect(to: back, redirectType: .normal)
        }
        let fields = Self.formFields(req.body.string ?? "")
        let criterion = ModuleCriterion(kind: kind, completion: module.runtime.completion)
        let event: ModuleEvent
        switch fields.first(where: { $0.name == "action" })?.value {
        case "done": event = .markedDone
        case "watched":
            guard let text = fields.first(where: { $0.name == "fraction" })?.value, let fraction = Double(text),
                  fraction.isFinite else {
                throw Abort(.badRequest, reason: "fraction: a number from 0 to 1")
            }
            event = .watched(fraction: fraction)
        case "quiz":
            guard let quiz = module.runtime.quiz else { throw Abort(.badRequest, reason: "this module has no quiz") }
            var answers: [String: Set<String>] = [:]
            for field in fields where field.name.hasPrefix("q.") {
                answers[String(field.name.dropFirst(2)), default: []].insert(field.value)
            }
            event = .quizGraded(QuizGrading.grade(quiz, answers: answers))
        default:
            throw Abort(.badRequest, reason: "action: done, watched or quiz")
        }
        guard criterion.accepts(event) else { throw Abort(.badRequest, reason: "progress-not-accepted") }
        let outcome = try await NativeProgress(database: req.db)
            .record(event, moduleKey: key, kind: kind, criterion: criterion, enrolment: enrolment)
        let finished = outcome.changed ? try await Self.courseCompleted(seat: seat, req: req) : nil
        let progress = NativeAttemptProgress(outcome.attempt)
        let state: LearnerProgress.State = progress.completion == .completed ? .done : .inProgress
        if wantsJSON {
            var message = req.t("player.state.\(state.rawValue)")
            if case .watched = event, progress.completion != .completed {
                message = req.t("player.video.watched", String(Int(((progress.progress ?? 0) * 100).rounded(.down))))
            }
            if let finished { message += " " + finished }
            return try await ProgressAnswer(state: state.rawValue, stateText: req.t("player.state.\(state.rawValue)"),
                                            message: message, courseCompleted: finished != nil).encodeResponse(for: req)
        }
        var notices: [String] = []
        if case .markedDone = event, progress.completion == .completed { notices.append(req.t("player.done.saved")) }
        if let finished { notices.append(finished) }
        if !notices.isEmpty { req.notice = notices.joined(separator: " ") }
        if case .quizGraded = event { return req.redirect(to: back + "#quiz-result", redirectType: .normal) }
        return req.redirect(to: back, redirectType: .normal)
    }

    /// An URL-encoded form body as name-value pairs, repeated names kept (several checkboxes of a question).
    static func formFields(_ body: String) -> [(name: String, value: String)] {
        body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Where a module's file is served: the content route for a file of the package (its query string and
    /// fragment kept), the address itself for an absolute http(s) URL.
    static func contentURL(_ launch: String?, course: Course, version: CourseVersion) -> String? {
        guard let launch, !launch.isEmpty else { return nil }
        if isExternal(launch) { return launch }
        let cut = launch.firstIndex { $0 == "?" || $0 == "#" } ?? launch.endIndex
        return SiteRoute.content(slug: course.slug, version: version.number, path: String(launch[..<cut])).path
            + launch[cut...]
    }

    static func isExternal(_ launch: String) -> Bool {
        let lower = launch.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }
}

/// The player page's context.
struct PlayerPage: Encodable {
    struct OutlineRow: Encodable {
        let title: String
        let url: String?
        let depth: Int
        let isFolder: Bool
        let state: String
        let stateText: String
        let current: Bool
        let locked: Bool
        let optional: Bool
    }

    struct Progress: Encodable {
        let done: Int
        let total: Int
        let percent: Int
        /// "2 van 5 verplichte onderdelen klaar"
        let text: String
        /// "2 van 5 klaar", for the folded outline on a phone.
        let shortText: String
    }

    struct ModuleView: Encodable {
        let key: String
        let title: String
        let kindText: String
        /// How the main area shows the module: frame, video, link, quiz, sco, au, locked, unavailable.
        let display: String
        let state: String
        let stateText: String
        let required: Bool
        let frameURL: String?
        /// A PDF also opens in a tab of its own: phones rarely show PDFs inside a page.
        let openURL: String?
        let videoURL: String?
        let linkURL: String?
        let lockReason: String?
        /// How the module is completed, in a sentence; `nil` when opening it was enough.
        let howText: String?
        /// "Je bekeek 40% van de video."
        let progressText: String?
        let canMarkDone: Bool
        let watchedThreshold: String?
        let progressAction: String
    }

    struct Step: Encodable {
        let url: String
        let title: String
    }

    struct QuizView: Encodable {
        struct Option: Encodable {
            let id: String
            let name: String
            let value: String
            let type: String
            let text: String
            let checked: Bool
            let required: Bool
        }
        struct Question: Encodable {
            let id: String
            let label: String
            let text: String
            let hint: String
            let wrong: Bool
            let feedback: String?
            let options: [Option]
        }
        struct Result: Encodable {
            let passed: Bool
            let heading: String
            let scoreText: String
            let wrongText: String?
        }
        let questions: [Question]
        let passText: String
        let result: Result?
        let bestText: String?
        let submitLabel: String
    }

    let page: PageContext
    let notice: String?
    let preview: Bool
    /// Which version a manager previews, when it is not the current one ("version 3, not yet published").
    let previewVersion: String?
    let finished: Bool
    let courseTitle: String
    let courseURL: String
    let contentLanguage: String
    let progress: Progress
    let outline: [OutlineRow]
    let module: ModuleView
    let previous: Step?
    let next: Step?
    let quiz: QuizView?
    /// Read by templates/partials/scorm-frame.leaf for SCORM SCOs.
    let scorm: ScormFrame?
    /// Read by templates/partials/cmi5-frame.leaf for cmi5 AUs.
    var cmi5: Cmi5Frame? = nil

    static func make(seat: PlayerController.Seat, module: CourseModule, criterion: ModuleCriterion, notice: String?,
                     req: Request) async throws -> PlayerPage {
        let lang = req.language.rawValue
        let course = seat.course
        var attempts: [ModuleAttempt] = []
        if let enrolment = seat.enrolment {
            attempts = try await ModuleAttempt.ofRound(enrolment, on: req.db).all()
        }
        let learner = LearnerProgress(modules: seat.modules, attempts: attempts, hidden: seat.hiddenModules)
        let stateText = { (key: String) in req.t("player.state.\(learner.state(key).rawValue)") }
        let title = { (module: CourseModule) in module.title.text(in: lang) ?? module.key }
        let outline = seat.modules.filter { seat.access($0.key) != .hidden }.map { row in
            let isFolder = row.moduleKind == .folder
            var locked = false
            if case .locked = seat.access(row.key) { locked = true }
            return OutlineRow(title: title(row),
                              url: isFolder ? nil : SiteRoute.player(slug: course.slug, module: row.key).path,
                              depth: row.depth, isFolder: isFolder, state: learner.state(row.key).rawValue,
                              stateText: locked ? req.t("player.state.locked") : stateText(row.key),
                              current: row.key == module.key, locked: locked, optional: !row.required && !isFolder)
        }
        let playable = seat.playable
        let index = playable.firstIndex { $0.key == module.key }
        let step = { (module: CourseModule) in
            Step(url: SiteRoute.player(slug: course.slug, module: module.key).path, title: title(module))
        }
        let attempt = attempts.filter { $0.moduleKey == module.key }.max { $0.number < $1.number }
        let native = attempt.map(NativeAttemptProgress.init)
        let state = learner.state(module.key)
        var scorm: ScormFrame?
        var cmi5: Cmi5Frame?
        var display: String
        switch seat.access(module.key) {
        case .locked: display = "locked"
        default:
            switch module.moduleKind {
            // A page of the academy's own manifest is an HTML fragment: shown without scripts, in the
            // academy's style. An asset is a package's own web content and may need its scripts.
            case .page?: display = PlayerController.isExternal(module.launch ?? "") ? "link" : "page"
            case .asset?: display = "frame"
            case .pdf?: display = PlayerController.isExternal(module.launch ?? "") ? "link" : "frame"
            case .video?: display = "video"
            case .link?: display = "link"
            case .quiz?: display = module.runtime.quiz == nil ? "unavailable" : "quiz"
            case .sco?:
                if let enrolment = seat.enrolment {
                    scorm = try await ScormFrame.make(req: req, course: course, version: seat.version, module: module,
                                                      enrolment: enrolment)
                    display = "sco"
                } else {
                    display = "unavailable"
                }
            case .au?:
                if let enrolment = seat.enrolment {
                    cmi5 = try await Cmi5Frame.make(req: req, course: course, version: seat.version, module: module,
                                                    enrolment: enrolment)
                    display = "au"
                } else {
                    display = "unavailable"
                }
            case .folder?, nil: display = "unavailable"
            }
        }
        if display != "unavailable", display != "au", display != "quiz", display != "locked", display != "sco",
           module.launch?.isEmpty ?? true {
            display = "unavailable"
        }
        let url = PlayerController.contentURL(module.launch, course: course, version: seat.version)
        var lockReason: String?
        if case .locked(let reason) = seat.access(module.key) { lockReason = reason.isEmpty ? nil : reason }
        var howText: String?
        var watchedThreshold: String?
        switch criterion {
        case .markedDone: howText = state == .done ? nil : req.t("player.how.marked.done")
        case .watched(let fraction):
            watchedThreshold = String(Int((fraction * 100).rounded()))
            howText = state == .done ? nil : req.t("player.how.watched", watchedThreshold ?? "")
        case .quizPassed, .viewed, .runtime, .none: howText = nil
        }
        var progressText: String?
        if case .watched = criterion, let watched = native?.progress, state != .done {
            progressText = req.t("player.video.watched", String(Int((watched * 100).rounded(.down))))
        }
        let moduleView = ModuleView(
            key: module.key, title: title(module), kindText: req.t("module.kind.\(module.kind)"), display: display,
            state: state.rawValue, stateText: stateText(module.key), required: module.required,
            frameURL: display == "frame" || display == "page" ? url : nil,
            openURL: module.moduleKind == .pdf ? url : nil,
            videoURL: display == "video" ? url : nil,
            linkURL: display == "link" ? url : nil,
            lockReason: lockReason, howText: seat.enrolment == nil || display == "locked" ? nil : howText, progressText: progressText,
            canMarkDone: seat.enrolment != nil && display != "locked" && state != .done
                && (criterion == .markedDone),
            watchedThreshold: watchedThreshold,
            progressAction: SiteRoute.moduleProgress(slug: course.slug, module: module.key).path)
        let quiz = display == "quiz" ? module.runtime.quiz.map {
            Self.quizView($0, state: native?.quiz, req: req)
        } : nil
        let progress = Progress(
            done: learner.requiredDone, total: learner.requiredTotal, percent: learner.percent,
            text: req.t("player.progress", String(learner.requiredDone), String(learner.requiredTotal)),
            shortText: req.t("player.progress.short", String(learner.requiredDone), String(learner.requiredTotal)))
        return PlayerPage(
            page: PageContext(req, title: title(module), section: "learning"),
            notice: notice,
            preview: seat.enrolment == nil,
            previewVersion: seat.enrolment == nil && seat.version.id != course.$currentVersion.id
                ? req.t(seat.version.publishedAt == nil ? "player.preview.version.draft" : "player.preview.version",
                        String(seat.version.number)) : nil,
            finished: seat.enrolment?.status == .completed,
            courseTitle: seat.version.title.text(in: lang) ?? course.slug,
            courseURL: SiteRoute.course(slug: course.slug).path,
            contentLanguage: seat.version.language,
            progress: progress,
            outline: outline,
            module: moduleView,
            previous: index.flatMap { $0 > 0 ? step(playable[$0 - 1]) : nil },
            next: index.flatMap { $0 + 1 < playable.count ? step(playable[$0 + 1]) : nil },
            quiz: quiz,
            scorm: scorm,
            cmi5: cmi5)
    }

    /// The quiz as a form, filled in with the last try's answers, with which questions were wrong. The
    /// correct options are not shown: the learner finds them by rereading the module and trying again.
    static func quizView(_ quiz: PackageQuiz, state: QuizAttemptState?, req: Request) -> QuizView {
        let lang = req.language.rawValue
        let last = state?.last
        let questions = quiz.questions.enumerated().map { number, question in
            let chosen = Set(last?.answers[question.key] ?? [])
            let wrong = last?.wrong.contains(question.key) ?? false
            let id = "question-\(number + 1)"
            return QuizView.Question(
                id: id,
                label: req.t("player.quiz.question", String(number + 1)),
                text: question.text.text(in: lang) ?? question.key,
                hint: req.t(question.multiple ? "player.quiz.hint.multiple" : "player.quiz.hint.single"),
                wrong: wrong,
                feedback: last == nil ? nil : req.t(wrong ? "player.quiz.question.wrong" : "player.quiz.question.right"),
                options: question.options.enumerated().map { index, option in
                    QuizView.Option(id: "\(id)-option-\(index + 1)", name: "q.\(question.key)", value: option.key,
                                    type: question.multiple ? "checkbox" : "radio",
                                    text: option.text.text(in: lang) ?? option.key,
                                    checked: chosen.contains(option.key), required: !question.multiple)
                })
        }
        let count = quiz.questions.count
        let needed = max(0, Int((quiz.passMark * Double(count) - 1e-9).rounded(.up)))
        let result = last.map { last in
            QuizView.Result(
                passed: last.passed,
                heading: req.t(last.passed ? "player.quiz.passed" : "player.quiz.failed"),
                scoreText: req.t("player.quiz.score", String(last.correct), String(last.questions),
                                 String(Int((last.score * 100).rounded()))),
                wrongText: last.wrong.isEmpty ? nil : req.t("player.quiz.wrong.list", last.wrong.compactMap { key in
                    quiz.questions.firstIndex { $0.key == key }.map { String($0 + 1) }
                }.joined(separator: ", ")))
        }
        var bestText: String?
        if let best = state?.best, let last, best != last {
            bestText = req.t(best.passed ? "player.quiz.best.passed" : "player.quiz.best",
                             String(best.correct), String(best.questions))
        }
        return QuizView(questions: questions,
                        passText: req.t("player.quiz.pass.mark", String(needed), String(count)),
                        result: result, bestText: bestText,
                        submitLabel: req.t(last == nil ? "player.quiz.submit" : "player.quiz.retry"))
    }
}

extension LearnerProgress {
    /// A version's modules (in outline order) and an enrolment's attempts, as stored. Modules a module rule
    /// hides from the learner are not required of them: they cannot open them, so they must not block
    /// completion (those shown locked stay required: the learner can see why and meet the condition).
    init(modules: [CourseModule], attempts: [ModuleAttempt], hidden: Set<String> = []) {
        self.init(
            modules: modules.map { module in
                Module(key: module.key, parentKey: module.parentKey, required: module.required && !hidden.contains(module.key),
                       requirement: module.moduleKind.flatMap { CourseCompletionRule.requirement(kind: $0, runtime: module.runtime) })
            },
            attempts: attempts.map {
                Attempt(moduleKey: $0.moduleKey, number: $0.number, completion: $0.completion, success: $0.success)
            })
    }
}
