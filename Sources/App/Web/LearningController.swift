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
            let url: String
            let status: String
            let enrolledOn: String
        }
        let page: PageContext
        let notice: String?
        let items: [Item]
        let hasItems: Bool
        let catalogueURL: String
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
        var items: [LearningPage.Item] = []
        for enrolment in enrolments {
            let status = enrolment.status == .waiting
                ? req.t("learning.waiting", String(try await desk.position(of: enrolment, on: req.db)))
                : req.t("enrolment.status.\(enrolment.status.rawValue)")
            items.append(LearningPage.Item(title: enrolment.version.title.text(in: lang.rawValue) ?? enrolment.course.slug,
                                           url: SiteRoute.course(slug: enrolment.course.slug).path,
                                           status: status,
                                           enrolledOn: BrusselsTime.day(enrolment.enrolledAt ?? Date(), language: lang)))
        }
        return try await req.view.render("my-learning", LearningPage(
            page: PageContext(req, title: req.t("learning.title"), section: "learning"),
            notice: req.takeNotice(), items: items, hasItems: !items.isEmpty, catalogueURL: SiteRoute.catalogue().path))
    }
}
