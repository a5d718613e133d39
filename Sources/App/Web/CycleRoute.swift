import Vapor

/// Opening a new round of a completed course (a new accreditation cycle): the learner's own button on
/// "My learning", and the trainer's action on a participant's page. Links from `path`, handlers from `Pattern`.
enum CycleRoute: Sendable, Equatable {
    /// POST (signed-in learner): take the course again in a new accreditation cycle.
    case renew(slug: String)
    /// POST (the course's owners, co-owners, admins): open a new round for one participant, with a reason.
    case participantRound(slug: String, enrolment: UUID)

    var path: String {
        switch self {
        case .renew(let slug): return "/my-learning/courses/\(SiteRoute.escape(slug))/new-cycle"
        case .participantRound(let slug, let enrolment):
            return "/trainer/courses/\(SiteRoute.escape(slug))/participants/\(enrolment.uuidString.lowercased())/new-round"
        }
    }

    enum Pattern {
        static let renew: [PathComponent] = ["my-learning", "courses", ":slug", "new-cycle"]
        static let participantRound: [PathComponent] = ["trainer", "courses", ":slug", "participants", ":enrolment", "new-round"]
    }
}
