import Fluent
import Vapor

/// The two ways a new round of a completed course opens (see `CycleRenewal` for when): the learner's
/// "take again for a new accreditation cycle" and a trainer's "open a new round" with a reason. Both are
/// forms with CSRF, audited, and idempotent per round (the form names the round it was shown for).
struct EnrolmentRoundController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(SignedInMiddleware())
        signedIn.post(CycleRoute.Pattern.renew, use: renew)
        signedIn.post(CycleRoute.Pattern.participantRound, use: openForParticipant)
    }

    struct Form: Decodable {
        var cycle: Int?
        var reason: String?
    }

    func renew(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let slug = req.parameters.get("slug") ?? ""
        guard let course = try await Course.query(on: req.db).filter(\.$slug == slug).first(),
              let enrolment = try await Enrolment.query(on: req.db).filter(\.$user.$id == user.requireID())
                  .filter(\.$course.$id == course.requireID()).first() else {
            throw Abort(.notFound)
        }
        let form = try req.content.decode(Form.self)
        do {
            try await EnrolmentRound(database: req.db).open(enrolmentID: try enrolment.requireID(),
                                                            fromCycle: form.cycle ?? enrolment.cycle, by: user, as: .learner)
        } catch EnrolmentRound.Failure.refused(let verdict) {
            req.notice = Self.refusal(verdict, req)
            return req.redirect(to: .myLearning)
        } catch EnrolmentRound.Failure.notFound {
            throw Abort(.notFound)
        }
        req.notice = req.t("cycle.renew.done")
        return req.redirect(to: .player(slug: course.slug))
    }

    func openForParticipant(req: Request) async throws -> Response {
        let managed = try await TrainerCoursesController.managedCourse(req)
        guard let enrolmentID = req.parameters.get("enrolment").flatMap(UUID.init(uuidString:)),
              let enrolment = try await Enrolment.find(enrolmentID, on: req.db),
              enrolment.$course.id == managed.courseID else {
            throw Abort(.notFound)
        }
        let form = try req.content.decode(Form.self)
        let back = SiteRoute.trainer(.participant(slug: managed.course.slug, enrolment: enrolmentID))
        do {
            try await EnrolmentRound(database: req.db).open(enrolmentID: enrolmentID, fromCycle: form.cycle ?? enrolment.cycle,
                                                            by: managed.user, as: .staff, reason: form.reason ?? "")
        } catch let failure as EnrolmentRound.Failure {
            switch failure {
            case .notFound: throw Abort(.notFound)
            case .refused(let verdict):
                req.notice = Self.refusal(verdict, req)
                return req.redirect(to: back)
            }
        } catch let failure as AttemptReset.Failure {
            let message = failure == .reasonTooLong
                ? req.t("workspace.reset.error.too.long", String(AttemptReset.maxReasonLength))
                : req.t("cycle.staff.error.reason")
            return try await TrainerCoursesController().renderParticipant(req, error: message)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        req.notice = req.t("cycle.staff.done")
        return req.redirect(to: back)
    }

    static func refusal(_ verdict: CycleRenewal.Verdict, _ req: Request) -> String {
        switch verdict {
        case .notYet(let day): return req.t("cycle.refused.not-yet", BrusselsTime.day(iso: day.iso, language: req.language))
        case .staffOnly: return req.t("cycle.refused.staff-only")
        case .courseClosed: return req.t("cycle.refused.course-closed")
        case .inProgress: return req.t("cycle.refused.in-progress")
        case .notEnrolled: return req.t("cycle.refused.not-enrolled")
        case .open: return req.t("cycle.renew.done")
        }
    }
}
