import Fluent
import Vapor

/// What the catalogue, course pages, the API and enrolment may show one person, decided by the access
/// rule engine from facts loaded once per request: for a signed-in person three queries (enrolments
/// completed or opened with a key, care board memberships with their boards, groups), whatever the number
/// of courses. The known board codes and group keys come from the in-memory `AccessDirectory`.
///
/// Memberships are read on every request, so ending one (a `valid_until` in the past, or deleting it)
/// takes effect on the next page.
struct CourseAccess: Sendable {
    struct Verdict: Sendable {
        var visibility: CatalogueVisibility
        var reasons: [String]
    }

    let userID: UUID?
    let isAdmin: Bool
    let evaluator: AccessEvaluator
    let explainer: AccessExplainer
    /// Course slug -> enrolment key, for the `enrolment-key` condition.
    var enrolmentKeys: [String: String] = [:]
    /// Which load of the board and group names the explanations use.
    var directoryRevision = 0

    static func load(for request: Request) async throws -> CourseAccess {
        try await load(user: request.auth.get(User.self), language: request.language,
                       application: request.application, on: request.db)
    }

    /// The same facts for a person outside a request of theirs (completion decided while a trainer acts, a
    /// command), explained in `language`.
    static func load(user: User?, language: Language, application: Application, on db: any Database) async throws -> CourseAccess {
        let index = try await application.catalogue.current(on: db)
        let directory = try await application.accessDirectory.current(on: db)
        var subject = AccessSubject.anonymous
        if let user, let userID = user.id {
            // One query for both facts the enrolments give: completed courses and enrolment keys given.
            let enrolments = try await Enrolment.query(on: db)
                .filter(\.$user.$id == userID)
                .group(.or) { $0.filter(\.$status == .completed).filter(\.$keyAccepted == true).filter(\.$cycle > 1) }
                .join(Course.self, on: \Enrolment.$course.$id == \Course.$id)
                .all()
            // A learner in a new accreditation cycle (cycle > 1) completed the course before: that still counts.
            let completed = enrolments.filter { $0.status == .completed || $0.cycle > 1 }.compactMap { try? $0.joined(Course.self).slug }
            let keysGiven = enrolments.filter { $0.keyAccepted == true }.compactMap { try? $0.joined(Course.self).slug }
            subject = AccessSubject(userID: userID, platformRoles: [PlatformRole(user.role.rawValue)],
                                    profession: ProfessionKey(user.profession),
                                    hasRegistrationNumber: user.registrationNumber != nil,
                                    memberships: try await memberships(of: userID, on: db),
                                    groups: try await groups(of: userID, on: db),
                                    completedCourses: Set(completed),
                                    enrolmentKeysGiven: Set(keysGiven))
        }
        let vocabulary = AccessVocabulary(boards: Set(directory.boards.keys), groups: Set(directory.groups.keys),
                                          courses: Set(index.entries.map(\.slug)))
        let titles = Dictionary(index.entries.map { ($0.slug, $0.title) }, uniquingKeysWith: { first, _ in first })
        return CourseAccess(
            userID: user?.id, isAdmin: user?.role == .admin,
            evaluator: AccessEvaluator(subject: subject, context: AccessContext(now: Date(), vocabulary: vocabulary)),
            explainer: AccessExplainer(language: language, boardNames: directory.boardNames,
                                       groupNames: directory.groups, courseTitles: titles),
            enrolmentKeys: try await enrolmentKeys(on: db),
            directoryRevision: directory.revision)
    }

    /// Modules' own access rules (`<access>` inside a `<module>`) for this person, decided by the same rule
    /// engine as the course's. A folder's verdict holds for everything in it; `modules` come in outline
    /// order (parents first). Modules without a rule are open and left out.
    func moduleAccess(rules: [PackageAccessRule], modules: [CourseModule], courseSlug: String) -> [String: PlayerController.ModuleAccess] {
        let rules = rules.filter { $0.scope == .module && $0.moduleKey != nil }
        guard !rules.isEmpty, !isAdmin else { return [:] }
        let accessCourse = AccessCourse(slug: courseSlug, enrolmentKey: enrolmentKeys[courseSlug])
        var result: [String: PlayerController.ModuleAccess] = [:]
        for module in modules {
            if let parent = module.parentKey, let inherited = result[parent], inherited != .open {
                result[module.key] = inherited
                continue
            }
            var hidden = false
            var reasons: [String] = []
            var locked = false
            for rule in rules where rule.moduleKey == module.key {
                let decision = AccessPolicy(rule).evaluate(with: evaluator, course: accessCourse)
                switch decision.visibility {
                case .shown: continue
                case .hidden: hidden = true
                case .locked:
                    locked = true
                    reasons += explainer.explain(decision.decision)
                }
            }
            result[module.key] = hidden ? .hidden : locked ? .locked(reason: reasons.joined(separator: " ")) : .open
        }
        return result
    }

    /// Everything the verdicts and their explanations depend on, except who the person is: two people
    /// with the same fingerprint see the same catalogue, so a page rendered for one can be served to the other.
    /// A digest, not a hash value: a collision would show one person's courses to another.
    var fingerprint: String {
        let subject = evaluator.subject
        struct Facts: Encodable {
            let roles: [String]
            let profession: String?
            let registered: Bool
            let memberships: [String]
            let groups: [String]
            let completed: [String]
            let keysGiven: [String]
            let signedIn: Bool
            let admin: Bool
            let day: String
            let directory: Int
            let keys: [String: String]
        }
        let membershipData = subject.memberships.map { membership in
            (try? JSONEncoder().encode(membership)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        let facts = Facts(roles: subject.platformRoles.map(\.rawValue).sorted(),
                          profession: subject.profession?.rawValue,
                          registered: subject.hasRegistrationNumber,
                          memberships: membershipData.sorted(), groups: subject.groups.sorted(),
                          completed: subject.completedCourses.sorted(), keysGiven: subject.enrolmentKeysGiven.sorted(),
                          signedIn: userID != nil, admin: isAdmin,
                          day: CalendarDay(evaluator.context.now).description, directory: directoryRevision,
                          keys: enrolmentKeys)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(facts)) ?? Data(UUID().uuidString.utf8)
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Slugs of the courses whose key the person gave when enrolling.
    static func keysGiven(by userID: UUID, on database: any Database) async throws -> Set<String> {
        Set(try await Enrolment.query(on: database)
            .filter(\.$user.$id == userID).filter(\.$keyAccepted == true)
            .join(Course.self, on: \Enrolment.$course.$id == \Course.$id)
            .all()
            .compactMap { try? $0.joined(Course.self).slug })
    }

    static func enrolmentKeys(on database: any Database) async throws -> [String: String] {
        let rows = try await EnrolmentSettings.query(on: database)
            .filter(\.$enrolmentKey != nil)
            .join(Course.self, on: \EnrolmentSettings.$id == \Course.$id)
            .all()
        var keys: [String: String] = [:]
        for row in rows {
            if let key = row.enrolmentKey, let slug = try? row.joined(Course.self).slug { keys[slug] = key }
        }
        return keys
    }

    /// Every membership of the person, past and future too (the evaluator keeps those valid today),
    /// with its board's code and province, in one query.
    static func memberships(of userID: UUID, on database: any Database) async throws -> [AccessSubject.Membership] {
        try await BoardMembership.query(on: database)
            .filter(\.$user.$id == userID)
            .join(CareBoard.self, on: \BoardMembership.$board.$id == \CareBoard.$id)
            .all()
            .compactMap { membership in
                let board = try membership.joined(CareBoard.self)
                return membership.accessMembership(boardCode: board.code, province: board.province)
            }
    }

    static func groups(of userID: UUID, on database: any Database) async throws -> Set<String> {
        Set(try await GroupMembership.query(on: database)
            .filter(\.$user.$id == userID)
            .join(AccessGroup.self, on: \GroupMembership.$group.$id == \AccessGroup.$id)
            .all()
            .map { try $0.joined(AccessGroup.self).key })
    }

    /// Visibility rules decide whether the course shows at all; enrolment rules whether it is open or
    /// locked. Admins see and open everything.
    /// `presentedKey`: the enrolment key typed in this request, if any.
    func verdict(_ entry: CatalogueEntry, presentedKey: String? = nil) -> Verdict {
        if isAdmin { return Verdict(visibility: .open, reasons: []) }
        let course = AccessCourse(slug: entry.slug, enrolmentKey: enrolmentKeys[entry.slug], presentedKey: presentedKey)
        var reasons: [String] = []
        var visibility = CatalogueVisibility.open
        for policy in entry.visibilityPolicies + entry.enrolmentPolicies {
            let decision = policy.evaluate(with: evaluator, course: course)
            switch decision.visibility {
            case .shown: continue
            case .hidden where entry.visibilityPolicies.contains(policy): return Verdict(visibility: .hidden, reasons: [])
            case .hidden, .locked:
                visibility = .locked
                reasons += explainer.explain(decision.decision)
            }
        }
        return Verdict(visibility: visibility, reasons: reasons)
    }

    /// The verdict without its reasons: the catalogue and the API decide this for every course on every
    /// request, so it builds no explanations (only the cards shown are explained, with `explanation`).
    func visibility(_ entry: CatalogueEntry) -> CatalogueVisibility {
        visibility(entry, presentedKey: nil)
    }

    /// Every entry's visibility in `index`, decided once per fingerprint and catalogue and kept in `kept`.
    func verdicts(in index: CatalogueIndex, fingerprint: String, kept: CatalogueVerdicts) -> [CatalogueVisibility] {
        kept.verdicts(for: fingerprint, generation: index.generation) { index.verdicts(visibility) }
    }

    func visibility(_ entry: CatalogueEntry, presentedKey: String?) -> CatalogueVisibility {
        if isAdmin { return .open }
        if entry.visibilityPolicies.isEmpty && entry.enrolmentPolicies.isEmpty { return .open }
        let course = AccessCourse(slug: entry.slug, enrolmentKey: enrolmentKeys[entry.slug], presentedKey: presentedKey)
        var visibility = CatalogueVisibility.open
        for policy in entry.visibilityPolicies {
            switch policy.visibility(with: evaluator, course: course) {
            case .shown: continue
            case .hidden: return .hidden
            case .locked: visibility = .locked
            }
        }
        for policy in entry.enrolmentPolicies where policy.visibility(with: evaluator, course: course) != .shown {
            visibility = .locked
        }
        return visibility
    }

    /// Who the course is for, in plain words: "Enkel voor medewerkers en leden van een zorgraad in Limburg".
    func audience(_ entry: CatalogueEntry) -> String? {
        guard let policy = (entry.visibilityPolicies + entry.enrolmentPolicies).first else { return nil }
        return explainer.explain(policy.rule)
    }

    func explanation(_ entry: CatalogueEntry) -> String? {
        let reasons = verdict(entry).reasons
        return reasons.isEmpty ? nil : reasons.joined(separator: " ")
    }
}
