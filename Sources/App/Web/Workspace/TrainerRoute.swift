import Vapor

/// Pages of the trainers' course workspace (my courses, participants, insight, versions), under /trainer.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum TrainerRoute: Sendable, Equatable {
    /// My courses: the courses the trainer owns (admins: all) with their figures.
    case courses
    /// The participants of a course: search, status filter, pages.
    case participants(slug: String, query: ParticipantQuery = .init())
    /// The same list as CSV, streamed.
    case participantsCSV(slug: String, query: ParticipantQuery = .init())
    /// One participant: progress per module and attempts; POST `participantReset` resets an attempt.
    case participant(slug: String, enrolment: UUID)
    case participantReset(slug: String, enrolment: UUID)
    /// POST: exempt the participant from one module (completed and passed, with grounds; audited).
    case participantWaive(slug: String, enrolment: UUID)
    /// Charts of a course: enrolments over time, the funnel per module, scores, boards and provinces.
    case insight(slug: String)
    /// The version history of a course (its owners and admins): every version, the current one marked.
    case versions(slug: String)
    /// One version as learners would see it (drafts too).
    case versionsPreview(slug: String, number: Int)
    /// POST: make the version current for new learners (publish a draft, or restore an earlier version).
    case versionsPublish(slug: String, number: Int)
    /// GET: what moving learners in progress to the current version carries over; POST: move them.
    case versionsMigration(slug: String)
    /// The signed-in trainer's API tokens for POST /api/v1/packages (GET list, POST create).
    case packageTokens
    /// POST: revoke one of them.
    case packageTokenRevoke(id: UUID)
    /// A course's settings (owners, co-owners, admins): metadata of the current version (GET form, POST save).
    case settings(slug: String)
    /// Enrolment settings: key, window, capacity, reserved seats, waiting list (GET, POST).
    case settingsEnrolment(slug: String)
    /// The course's and its modules' access rules, each with its plain-language reason.
    case settingsAccess(slug: String)
    /// The rule editor for one target ("visibility", "enrolment", "module:<key>"): GET, POST (steps, preview, save).
    case settingsAccessRule(slug: String, target: String)
    /// Owners and co-owners (GET; POST adds one by e-mail), and archiving.
    case settingsOwners(slug: String)
    /// POST: remove an owner (never the last).
    case settingsOwnerRemove(slug: String)
    /// POST: archive or unarchive the course.
    case settingsStatus(slug: String)
    /// Who can take the course: counts per board and province, and a check of one person (owners, admins).
    case audience(slug: String)

    var path: String {
        switch self {
        case .courses: return "/trainer/courses"
        case .participants(let slug, let query):
            let string = query.queryString
            return "/trainer/courses/\(SiteRoute.escape(slug))/participants" + (string.isEmpty ? "" : "?\(string)")
        case .participantsCSV(let slug, let query):
            let string = query.onPage(1).queryString
            return "/trainer/courses/\(SiteRoute.escape(slug))/participants.csv" + (string.isEmpty ? "" : "?\(string)")
        case .participant(let slug, let enrolment):
            return "/trainer/courses/\(SiteRoute.escape(slug))/participants/\(enrolment.uuidString.lowercased())"
        case .participantReset(let slug, let enrolment):
            return "/trainer/courses/\(SiteRoute.escape(slug))/participants/\(enrolment.uuidString.lowercased())/reset"
        case .participantWaive(let slug, let enrolment):
            return "/trainer/courses/\(SiteRoute.escape(slug))/participants/\(enrolment.uuidString.lowercased())/waive"
        case .insight(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/insight"
        case .versions(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/versions"
        case .versionsPreview(let slug, let number): return "/trainer/courses/\(SiteRoute.escape(slug))/versions/\(number)"
        case .versionsPublish(let slug, let number): return "/trainer/courses/\(SiteRoute.escape(slug))/versions/\(number)/publish"
        case .versionsMigration(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/versions/migrate"
        case .packageTokens: return "/trainer/api-tokens"
        case .packageTokenRevoke(let id): return "/trainer/api-tokens/\(id.uuidString.lowercased())/revoke"
        case .settings(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/settings"
        case .settingsEnrolment(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/settings/enrolment"
        case .settingsAccess(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/settings/access"
        case .settingsAccessRule(let slug, let target):
            return "/trainer/courses/\(SiteRoute.escape(slug))/settings/access/\(SiteRoute.escape(target))"
        case .settingsOwners(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/settings/owners"
        case .settingsOwnerRemove(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/settings/owners/remove"
        case .settingsStatus(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/settings/status"
        case .audience(let slug): return "/trainer/courses/\(SiteRoute.escape(slug))/audience"
        }
    }

    enum Pattern {
        static let courses: [PathComponent] = ["trainer", "courses"]
        static let participants: [PathComponent] = ["trainer", "courses", ":slug", "participants"]
        static let participantsCSV: [PathComponent] = ["trainer", "courses", ":slug", "participants.csv"]
        static let participant: [PathComponent] = ["trainer", "courses", ":slug", "participants", ":enrolment"]
        static let participantReset: [PathComponent] = ["trainer", "courses", ":slug", "participants", ":enrolment", "reset"]
        static let participantWaive: [PathComponent] = ["trainer", "courses", ":slug", "participants", ":enrolment", "waive"]
        static let insight: [PathComponent] = ["trainer", "courses", ":slug", "insight"]
        static let versions: [PathComponent] = ["trainer", "courses", ":slug", "versions"]
        static let versionsPreview: [PathComponent] = ["trainer", "courses", ":slug", "versions", ":number"]
        static let versionsPublish: [PathComponent] = ["trainer", "courses", ":slug", "versions", ":number", "publish"]
        static let versionsMigration: [PathComponent] = ["trainer", "courses", ":slug", "versions", "migrate"]
        static let packageTokens: [PathComponent] = ["trainer", "api-tokens"]
        static let packageTokenRevoke: [PathComponent] = ["trainer", "api-tokens", ":token", "revoke"]
        static let settings: [PathComponent] = ["trainer", "courses", ":slug", "settings"]
        static let settingsEnrolment: [PathComponent] = ["trainer", "courses", ":slug", "settings", "enrolment"]
        static let settingsAccess: [PathComponent] = ["trainer", "courses", ":slug", "settings", "access"]
        static let settingsAccessRule: [PathComponent] = ["trainer", "courses", ":slug", "settings", "access", ":target"]
        static let settingsOwners: [PathComponent] = ["trainer", "courses", ":slug", "settings", "owners"]
        static let settingsOwnerRemove: [PathComponent] = ["trainer", "courses", ":slug", "settings", "owners", "remove"]
        static let settingsStatus: [PathComponent] = ["trainer", "courses", ":slug", "settings", "status"]
        static let audience: [PathComponent] = ["trainer", "courses", ":slug", "audience"]
    }
}
