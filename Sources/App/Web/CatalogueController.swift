import Fluent
import Vapor

/// The catalogue (home page), course pages, enrolment and the language switch.
struct CatalogueController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.Pattern.catalogue, use: catalogue)
        routes.get(SiteRoute.Pattern.course, use: course)
        routes.post(SiteRoute.Pattern.enrol, use: enrol)
        routes.post(SiteRoute.Pattern.unenrol, use: unenrol)
        routes.get(SiteRoute.Pattern.language, use: switchLanguage)
    }

    struct CataloguePage: Encodable {
        let page: PageContext
        let notice: String?
        let text: String
        let themes: [Choice]
        let professions: [Choice]
        let languages: [Choice]
        let accreditedOnly: Bool
        let openToMe: Bool
        let cards: [CourseCard]
        let hasCards: Bool
        let resultsText: String
        let hasFilters: Bool
        let clearURL: String
        let pagination: Pagination
    }

    struct Pagination: Encodable {
        struct Link: Encodable {
            let number: Int
            let url: String
            let current: Bool
        }
        let previous: String?
        let next: String?
        let pages: [Link]
        let show: Bool

        /// Links to the first and last page and two either side of the current one, for every paged list.
        static func around(_ current: Int, of count: Int, url: (Int) -> String) -> Pagination {
            let numbers = Set(max(1, current - 2)...min(count, current + 2)).union([1, count]).sorted()
            return Pagination(previous: current > 1 ? url(current - 1) : nil, next: current < count ? url(current + 1) : nil,
                              pages: numbers.map { .init(number: $0, url: url($0), current: $0 == current) }, show: count > 1)
        }
    }

    func catalogue(req: Request) async throws -> Response {
        let query = CatalogueQuery(parameters: (try? req.query.decode([String: String].self)) ?? [:])
        let index = try await req.application.catalogue.current(on: req.db)
        let cache = req.application.pageCache
        // The layout shows the academy's name and contact: a page kept under an earlier profile is not reused.
        let site = req.application.siteProfile.cacheTag
        // Every anonymous visitor without a session sees the same page for the same query and language.
        if !req.auth.has(User.self) && !req.hasSession {
            let key = "\(req.language.rawValue)|\(site)|\(req.url.string)"
            if let page = cache.page(key, generation: index.generation) {
                return Self.html(page.body(token: ""))
            }
            let access = try await CourseAccess.load(for: req)
            let response = try await render(query: query, index: index, access: access, fingerprint: access.fingerprint, req: req)
                .encodeResponse(for: req)
            if let body = response.body.buffer {
                cache.store(RenderedPage(body, token: nil), for: key, generation: index.generation)
            }
            return response
        }
        // Everyone else sees a page that depends on what the rules decide for them: people with the same
        // access facts share it, each with his own CSRF token. A page carrying a notice is not kept.
        let access = try await CourseAccess.load(for: req)
        let fingerprint = access.fingerprint
        let key = "\(req.language.rawValue)|\(site)|\(req.url.string)|\(fingerprint)"
        let personal = req.session.data["notice"] != nil
        if !personal, let page = cache.page(key, generation: index.generation) {
            return Self.html(page.body(token: req.csrfToken))
        }
        let response = try await render(query: query, index: index, access: access, fingerprint: fingerprint, req: req)
            .encodeResponse(for: req)
        if !personal, let body = response.body.buffer {
            cache.store(RenderedPage(body, token: req.csrfToken), for: key, generation: index.generation)
        }
        return response
    }

    static func html(_ page: ByteBuffer) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(buffer: page))
    }

    private func render(query: CatalogueQuery, index: CatalogueIndex, access: CourseAccess, fingerprint: String,
                        req: Request) async throws -> View {
        let verdicts = access.verdicts(in: index, fingerprint: fingerprint, kept: req.application.catalogueVerdicts)
        let result = index.search(query, language: req.language, verdicts: verdicts)
        let cards = result.entries.map { CourseCard($0.entry, visibility: $0.visibility, request: req, access: access) }
        let context = CataloguePage(
            page: PageContext(req, title: req.t("catalogue.title"), section: "catalogue"),
            notice: req.takeNotice(),
            text: query.text,
            themes: index.themes.map { Choice(value: $0, label: req.t("theme.\($0)"), selected: $0 == query.theme) },
            professions: index.professions.map { Choice(value: $0, label: req.t("profession.\($0)"), selected: $0 == query.profession) },
            languages: index.languages.map { Choice(value: $0, label: req.t("language.\($0)"), selected: $0 == query.language) },
            accreditedOnly: query.accreditedOnly,
            openToMe: query.openToMe,
            cards: cards,
            hasCards: !cards.isEmpty,
            resultsText: result.total == 1 ? req.t("catalogue.results.one") : req.t("catalogue.results", String(result.total)),
            hasFilters: query.hasFilters,
            clearURL: SiteRoute.catalogue().path,
            pagination: Self.pagination(query: query, result: result))
        return try await req.view.render("catalogue", context)
    }

    static func pagination(query: CatalogueQuery, result: CatalogueIndex.Result) -> Pagination {
        .around(result.page, of: result.pageCount) { SiteRoute.catalogue(query.onPage($0)).path }
    }

    // MARK: Course page

    struct CoursePage: Encodable {
        let page: PageContext
        let notice: String?
        let card: CourseCard
        let contentLanguage: String
        let description: [String]
        let goals: [String]
        let hasGoals: Bool
        let modules: [ModuleRow]
        let accreditations: [AccreditationRow]
        let hasAccreditations: Bool
        let version: String
        let enrolled: Bool
        let signedIn: Bool
        let canEnrol: Bool
        let enrolAction: String
        let loginURL: String
        let continueURL: String
        /// The learner opened the player before: "Continue" rather than "Start".
        let started: Bool
        /// Admins who are not enrolled may look at the player without saving anything.
        let previewURL: String?
        /// The form asks the course's enrolment key.
        let asksKey: Bool
        /// "Inschrijven kan van 1 maart 2027 tot en met 31 maart 2027", when the course has a window.
        let windowText: String?
        /// "Nog 3 van 20 plaatsen vrij", "Volzet: je komt op de wachtlijst", when the course has a capacity.
        let seatsText: String?
        let waiting: Bool
        let waitingText: String?
        let canUnenrol: Bool
        let unenrolAction: String
    }

    func course(req: Request) async throws -> View {
        let slug = req.parameters.get("slug") ?? ""
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).with(\.$currentVersion).first(),
              let version = course.currentVersion, let courseID = course.id else {
            throw Abort(.notFound)
        }
        let access = try await CourseAccess.load(for: req)
        let entry = CatalogueEntry(version: version, courseID: courseID, slug: course.slug)
        let visibility = course.status == .published ? access.visibility(entry) : (access.isAdmin ? .open : .hidden)
        guard visibility != .hidden else { throw Abort(.notFound) }
        let lang = req.language.rawValue
        let modules = try await version.$modules.query(on: req.db).sort(\.$position).all()
        var enrolment: Enrolment?
        if let userID = access.userID {
            enrolment = try await Enrolment.query(on: req.db).filter(\.$user.$id == userID)
                .filter(\.$course.$id == courseID).first()
        }
        let settings = try await EnrolmentSettings.find(courseID, on: req.db)
        let policy = EnrolmentPolicy(rules: settings?.rules ?? .open)
        let desk = req.enrolmentDesk
        let holdsPlace = enrolment.map { [.active, .completed, .waiting].contains($0.status) } ?? false
        var waitingText: String?
        if let enrolment, enrolment.status == .waiting {
            waitingText = req.t("enrolment.waiting.position", String(try await desk.position(of: enrolment, on: req.db)))
        }
        // A course locked only by its `enrolment-key` rule opens with the right key: offer the form.
        let visibilityWithKey = access.visibility(entry, presentedKey: policy.rules.key)
        let seatsText: String? = try await {
            guard let capacity = policy.rules.capacity else { return nil }
            let left = policy.generalSeatsLeft(counts: try await desk.counts(courseID, on: req.db)) ?? 0
            if left > 0 { return req.t("enrolment.seats.left", String(left), String(capacity)) }
            return req.t(policy.rules.waitingList ? "enrolment.seats.full.waiting" : "enrolment.seats.full")
        }()
        let descriptionText = version.description.text(in: lang) ?? ""
        let context = CoursePage(
            page: PageContext(req, title: version.title.text(in: lang) ?? course.slug, section: "course"),
            notice: req.takeNotice(),
            card: CourseCard(entry, visibility: visibility, request: req, access: access),
            contentLanguage: version.language,
            description: descriptionText.components(separatedBy: "\n\n")
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty },
            goals: version.learningGoals.compactMap { $0.text(in: lang) },
            hasGoals: !version.learningGoals.isEmpty,
            modules: modules.map {
                ModuleRow(title: $0.title, key: $0.key, kind: $0.kind, durationMinutes: $0.durationMinutes,
                          depth: $0.depth, request: req)
            },
            accreditations: version.accreditations.map { AccreditationRow($0, request: req) },
            hasAccreditations: !version.accreditations.isEmpty,
            version: req.t("course.version", String(version.number),
                           BrusselsTime.day(version.publishedAt ?? version.createdAt ?? Date(), language: req.language)),
            enrolled: holdsPlace && enrolment?.status != .waiting,
            signedIn: access.userID != nil,
            canEnrol: (visibility == .open || visibilityWithKey == .open) && !holdsPlace && course.status == .published,
            enrolAction: SiteRoute.enrol(slug: course.slug).path,
            loginURL: SiteRoute.login(returnTo: SiteRoute.course(slug: course.slug).path).path,
            continueURL: SiteRoute.player(slug: course.slug).path,
            started: enrolment?.lastModuleKey != nil,
            previewURL: access.isAdmin && !holdsPlace ? SiteRoute.player(slug: course.slug).path : nil,
            asksKey: policy.rules.asksKey && enrolment?.keyAccepted != true,
            windowText: Self.windowText(policy.rules, request: req),
            seatsText: seatsText,
            waiting: enrolment?.status == .waiting,
            waitingText: waitingText,
            canUnenrol: enrolment.map { [.active, .waiting].contains($0.status) } ?? false,
            unenrolAction: SiteRoute.unenrol(slug: course.slug).path)
        return try await req.view.render("course", context)
    }

    func enrol(req: Request) async throws -> Response {
        let slug = req.parameters.get("slug") ?? ""
        guard let user = req.auth.get(User.self), let userID = user.id else {
            return req.redirect(to: .login(returnTo: SiteRoute.course(slug: slug).path))
        }
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).with(\.$currentVersion).first(),
              course.status == .published, let version = course.currentVersion, let courseID = course.id,
              let versionID = version.id else {
            throw Abort(.notFound)
        }
        let presentedKey = try? req.content.get(String.self, at: "key")
        let access = try await CourseAccess.load(for: req)
        let entry = CatalogueEntry(version: version, courseID: courseID, slug: slug)
        // The key the person gave before counts as presented again.
        let keyGiven = access.evaluator.subject.enrolmentKeysGiven.contains(slug)
        switch access.visibility(entry, presentedKey: keyGiven ? access.enrolmentKeys[slug] : presentedKey) {
        case .hidden: throw Abort(.notFound)
        case .locked:
            guard access.visibility(entry, presentedKey: access.enrolmentKeys[slug]) == .open else {
                throw Abort(.forbidden, reason: "course-locked")
            }
            // Locked only for want of the right key: the policy below says which.
        case .open: break
        }
        let result = try await req.enrolmentDesk.enrol(userID: userID, courseID: courseID, versionID: versionID,
                                                       presentedKey: presentedKey)
        switch result {
        case .enrolled, .alreadyEnrolled: req.notice = req.t("course.enrolled")
        case .waiting(let position): req.notice = req.t("enrolment.waiting.joined", String(position))
        case .refused(let reason): req.notice = Self.refusalText(reason, course: slug, request: req)
        }
        return req.redirect(to: .course(slug: slug))
    }

    func unenrol(req: Request) async throws -> Response {
        let slug = req.parameters.get("slug") ?? ""
        guard let user = req.auth.get(User.self), let userID = user.id else {
            return req.redirect(to: .login(returnTo: SiteRoute.course(slug: slug).path))
        }
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).first(), let courseID = course.id else {
            throw Abort(.notFound)
        }
        switch try await req.enrolmentDesk.withdraw(userID: userID, courseID: courseID) {
        case .withdrawn: req.notice = req.t("enrolment.withdrawn")
        case .withdrawnAndPromoted(let promoted):
            try await req.mailPromoted(promoted, courseID: courseID)
            req.notice = req.t("enrolment.withdrawn")
        case .leftWaitingList: req.notice = req.t("enrolment.waiting.left")
        case .notEnrolled: req.notice = req.t("enrolment.not.enrolled")
        }
        return req.redirect(to: .course(slug: slug))
    }

    static func refusalText(_ reason: EnrolmentRefusal, course: String, request: Request) -> String {
        request.t("enrolment.refused.\(reason.rawValue)")
    }

    static func windowText(_ rules: EnrolmentRules, request: Request) -> String? {
        let day = { (day: CalendarDay) in BrusselsTime.day(iso: day.iso, language: request.language) }
        switch (rules.opensOn, rules.closesOn) {
        case let (opens?, closes?): return request.t("enrolment.window.between", day(opens), day(closes))
        case let (opens?, nil): return request.t("enrolment.window.from", day(opens))
        case let (nil, closes?): return request.t("enrolment.window.until", day(closes))
        case (nil, nil): return nil
        }
    }

    func switchLanguage(req: Request) async throws -> Response {
        guard let language = Language(rawValue: req.parameters.get("code") ?? "") else { throw Abort(.notFound) }
        let returnTo = (try? req.query.get(String.self, at: "return")).flatMap { SiteRoute.isLocal($0) ? $0 : nil } ?? "/"
        if let user = req.auth.get(User.self), user.preferredLanguage != language.rawValue {
            user.preferredLanguage = language.rawValue
            try await user.save(on: req.db)
        }
        let response = req.redirect(to: returnTo, redirectType: .normal)
        response.cookies[LanguageMiddleware.cookieName] = HTTPCookies.Value(
            string: language.rawValue, maxAge: 60 * 60 * 24 * 365, path: "/",
            isSecure: req.application.academySettings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

/// A course as a card in the catalogue and at the top of its page.
struct CourseCard: Encodable {
    let slug: String
    let url: String
    let title: String
    let summary: String
    let themes: [String]
    let professions: [String]
    let professionsText: String?
    let duration: String?
    let language: String
    let points: String?
    let restricted: Bool
    let locked: Bool
    let accessLabel: String
    let lockReason: String?

    init(_ entry: CatalogueEntry, visibility: CatalogueVisibility, request: Request, access: CourseAccess) {
        let lang = request.language.rawValue
        slug = entry.slug
        url = SiteRoute.course(slug: entry.slug).path
        title = entry.title.text(in: lang) ?? entry.slug
        summary = entry.summary.text(in: lang) ?? ""
        themes = entry.themes.map { request.t("theme.\($0)") }
        professions = entry.professions.map { request.t("profession.\($0)") }
        professionsText = professions.isEmpty ? nil : professions.joined(separator: ", ")
        duration = entry.durationMinutes.map { BrusselsTime.duration(minutes: $0, language: request.language) }
        language = request.t("language.\(entry.language)")
        points = entry.accreditation.map { Self.points($0, request: request) }
        restricted = entry.isRestricted
        locked = visibility == .locked
        accessLabel = access.audience(entry) ?? request.t("access.open")
        if visibility == .locked {
            // Someone not signed in is told how to find out; a signed-in person gets the reasons, unless
            // they only repeat who the course is for.
            let reasons = access.userID == nil ? request.t("access.sign.in.to.check") : access.explanation(entry)
            lockReason = reasons == accessLabel ? nil : reasons
        } else {
            lockReason = nil
        }
    }

    static func points(_ accreditation: PackageAccreditation, request: Request) -> String {
        CreditPoints.text(accreditation.points, unit: accreditation.unit, language: request.language)
    }
}
