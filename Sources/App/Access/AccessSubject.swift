import Foundation

/// Every fact about one person that rules look at, loaded once per request (a handful of queries)
/// so that any number of courses can then be evaluated without touching the database.
public struct AccessSubject: Sendable, Hashable, Codable {
    public var userID: UUID?
    public var platformRoles: Set<PlatformRole>
    /// Profession key as stored on the user ("gp", ...); `nil` when unknown.
    public var profession: ProfessionKey?
    public var hasRegistrationNumber: Bool
    /// All memberships, past and future included; evaluation keeps those valid at the moment.
    public var memberships: [Membership]
    public var groups: Set<String>
    /// Slugs of courses the person completed.
    public var completedCourses: Set<String>
    /// Slugs of courses whose enrolment key the person has already given (kept with the enrolment).
    public var enrolmentKeysGiven: Set<String>

    public init(userID: UUID? = nil, platformRoles: Set<PlatformRole> = [.learner], profession: ProfessionKey? = nil,
                hasRegistrationNumber: Bool = false, memberships: [Membership] = [], groups: Set<String> = [],
                completedCourses: Set<String> = [], enrolmentKeysGiven: Set<String> = []) {
        self.userID = userID
        self.platformRoles = platformRoles
        self.profession = profession
        self.hasRegistrationNumber = hasRegistrationNumber
        self.memberships = memberships
        self.groups = groups
        self.completedCourses = completedCourses
        self.enrolmentKeysGiven = enrolmentKeysGiven
    }

    /// Someone who is not signed in: no roles, no facts.
    public static let anonymous = AccessSubject(platformRoles: [])

    /// One person's seat in one care board, with its validity (days included, Europe/Brussels).
    public struct Membership: Sendable, Hashable, Codable {
        public var board: String
        public var province: Province
        /// Staff usually have no cluster.
        public var cluster: CareBoardCluster?
        public var role: BoardRole
        public var validFrom: CalendarDay?
        public var validUntil: CalendarDay?

        public init(board: String, province: Province, cluster: CareBoardCluster? = nil, role: BoardRole,
                    validFrom: CalendarDay? = nil, validUntil: CalendarDay? = nil) {
            self.board = board
            self.province = province
            self.cluster = cluster
            self.role = role
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        public func isValid(on day: CalendarDay) -> Bool {
            (validFrom.map { $0 <= day } ?? true) && (validUntil.map { day <= $0 } ?? true)
        }
    }
}

/// The keys the platform knows; a rule naming any other board, group or course denies.
public struct AccessVocabulary: Sendable, Hashable, Codable {
    public var boards: Set<String>
    public var groups: Set<String>
    public var courses: Set<String>

    public init(boards: Set<String> = [], groups: Set<String> = [], courses: Set<String> = []) {
        self.boards = boards
        self.groups = groups
        self.courses = courses
    }
}

/// What surrounds an evaluation: the moment and the platform's vocabulary.
public struct AccessContext: Sendable, Hashable {
    public var now: Date
    public var vocabulary: AccessVocabulary
    /// The course being evaluated (for `enrolment-key`), when `rule.evaluate(for:in:)` is used directly.
    public var course: AccessCourse?

    public init(now: Date, vocabulary: AccessVocabulary, course: AccessCourse? = nil) {
        self.now = now
        self.vocabulary = vocabulary
        self.course = course
    }

    /// Today in Brussels.
    public var today: CalendarDay { CalendarDay(now) }
}

/// The facts about one course that a rule may need besides the person.
public struct AccessCourse: Sendable, Hashable {
    public var slug: String
    /// The key learners must give to enrol, if the course has one.
    public var enrolmentKey: String?
    /// A key the person typed in this request (the enrolment form), checked against `enrolmentKey`.
    public var presentedKey: String?

    public init(slug: String, enrolmentKey: String? = nil, presentedKey: String? = nil) {
        self.slug = slug
        self.enrolmentKey = enrolmentKey
        self.presentedKey = presentedKey
    }
}
