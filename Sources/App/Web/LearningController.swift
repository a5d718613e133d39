import Fluent
import Vapor

/// "My learning": the signed-in learner's enrolments.
struct LearningController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(SignedInMiddleware()).get(SiteRoute.Pattern.myLearning, use: myLearning)
    }

    struct LearningPage: Encodable {
        struct Item: Encodable {
            let title: String
            /// The course page; nil for archived courses, whose page is gone (the player stays for their learners).
            let url: String?
            let status: String
            /// "Gearchiveerd: je voortgang en attesten blijven bewaard".
            let archivedNote: String?
            let enrolledOn: String
            /// The player, for active and completed enrolments.
            let playerURL: String?
            let playerLabel: String?
            /// "2 van 5 onderdelen klaar", with the share for a bar.
            let progressText: String?
            let progressDone: Int
            let progressTotal: Int
            /// "Cyclus 2" once the learner took the course again in a new accreditation cycle.
            var cycleLabel: String? = nil
            /// How long the last round's records count ("Telt ... tot en met 14 maart 2029", or that it lapsed).
            var validity: String? = nil
            /// The form that starts a new accreditation cycle, when the learner may (`CycleRenewal`).
            var renewAction: String? = nil
            var renewCycle: Int = 0
            /// "Vanaf ... kun je ... opnieuw volgen": the window has not opened yet.
            var renewFrom: String? = nil
        }
        let page: PageContext
        let notice: String?
        let items: [Item]
        let hasItems: Bool
        let catalogueURL: String
        /// Finished courses with certificates, and points per year.
        let records: LearningRecordsSection
    }

    func myLearning(req: Request) async throws -> View {
        let user = try req.auth.require(User.self)
        let enrolments = try await Enrolment.query(on: req.db)
            .filter(\.$user.$id == user.requireID())
            .with(\.$course)
            .with(\.$version)
            .sort(\.$enrolledAt, .descending)
            .all()
        let lang = req.language
        let desk = req.enrolmentDesk
        let progress = try await Self.progress(of: enrolments.filter { [.active, .completed].contains($0.status) }, on: req.db,
                                               access: try await CourseAccess.load(for: req))
        let renewals = try await EnrolmentRound(database: req.db).renewals(of: enrolments.filter { $0.status == .completed })
        let today = CalendarDay(Date())
        var items: [LearningPage.Item] = []
        for enrolment in enrolments {
            let playable = [.active, .completed].contains(enrolment.status)
            let archived = enrolment.course.status == .archived
            let learner = enrolment.id.flatMap { progress[$0] }
            let status = enrolment.status == .waiting
                ? req.t("learning.waiting", String(try await desk.position(of: enrolment, on: req.db)))
                : req.t("enrolment.status.\(enrolment.status.rawValue)")
            items.append(LearningPage.Item(title: enrolment.version.title.text(in: lang.rawValue) ?? enrolment.course.slug,
                                           url: archived ? nil : SiteRoute.course(slug: enrolment.course.slug).path,
                                           status: status,
                                           archivedNote: archived ? req.t(enrolment.status == .waiting ? "settings.learning.archived.waiting" : "settings.learning.archived") : nil,
                                           enrolledOn: BrusselsTime.day(enrolment.enrolledAt ?? Date(), language: lang),
                                           playerURL: playable ? SiteRoute.player(slug: enrolment.course.slug).path : nil,
                                           playerLabel: playable ? req.t(enrolment.lastModuleKey == nil ? "player.learning.start" : "player.learning.continue") : nil,
                                           progressText: learner.map { req.t("player.learning.progress", String($0.requiredDone), String($0.requiredTotal)) },
                                           progressDone: learner?.requiredDone ?? 0,
                                           progressTotal: learner?.requiredTotal ?? 0))
            if enrolment.cycle > 1 { items[items.count - 1].cycleLabel = req.t("cycle.label", String(enrolment.cycle)) }
            if let renewal = enrolment.id.flatMap({ renewals[$0] }) {
                items[items.count - 1].validity = renewal.countsUntil.map { Self.validity($0, today: today, req: req) }
                switch renewal.decide(by: .learner, today: today) {
                case .open:
                    items[items.count - 1].renewAction = CycleRoute.renew(slug: enrolment.course.slug).path
                    items[items.count - 1].renewCycle = enrolment.cycle
                case .notYet(let day):
                    items[items.count - 1].renewFrom = req.t("cycle.renew.from", BrusselsTime.day(iso: day.iso, language: lang))
                default: break
                }
            }
        }
        return try await req.view.render("my-learning", LearningPage(
            page: PageContext(req, title: req.t("learning.title"), section: "learning"),
            notice: req.takeNotice(), items: items, hasItems: !items.isEmpty, catalogueURL: SiteRoute.catalogue().path,
            records: try await LearningRecordsSection.load(req, user: user)))
    }

    /// "Counts until ..." or "counted until ...; ended" for the last day a record counts.
    static func validity(_ until: CalendarDay, today: CalendarDay, req: Request) -> String {
        let day = BrusselsTime.day(iso: until.iso, language: req.language)
        return req.t(CycleRenewal.hasLapsed(until, today: today) ? "cycle.lapsed" : "cycle.counts.until", day)
    }

    /// Each enrolment's progress in two queries, whatever the number of enrolments: the modules of their
    /// versions and their attempts. With `access`, modules its module rules hide are not counted as
    /// required (as in the player and for completion); enrolments need their version and course loaded.
    static func progress(of enrolments: [Enrolment], on db: any Database,
                         access: CourseAccess? = nil) async throws -> [UUID: LearnerProgress] {
        let ids = enrolments.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let versionIDs = Array(Set(enrolments.map { $0.$version.id }))
        let modules = Dictionary(grouping: try await CourseModule.query(on: db).filter(\.$version.$id ~~ versionIDs)
            .sort(\.$position).all(), by: { $0.$version.id })
        let attempts = Dictionary(grouping: try await ModuleAttempt.query(on: db).filter(\.$enrolment.$id ~~ ids).all(),
                                  by: { $0.$enrolment.id })
        var result: [UUID: LearnerProgress] = [:]
        for enrolment in enrolments {
            guard let id = enrolment.id else { continue }
            let versionModules = modules[enrolment.$version.id] ?? []
            var hidden: Set<String> = []
            if let access, let version = enrolment.$version.value, let course = enrolment.$course.value {
                hidden = Set(access.moduleAccess(rules: version.packageAccessRules, modules: versionModules, courseSlug: course.slug)
                    .filter { $0.value == .hidden }.keys)
            }
            let round = (attempts[id] ?? []).filter { $0.cycle == enrolment.cycle }
            result[id] = LearnerProgress(modules: versionModules, attempts: round, hidden: hidden)
        }
        return result
    }
}
