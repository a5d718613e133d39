import Foundation

/// Evaluates rules for one person at one moment. Build it once per request (it works out the Brussels
/// day and the memberships valid on it) and call `evaluate` for every course: no I/O happens here.
public struct AccessEvaluator: Sendable {
    public let subject: AccessSubject
    public let context: AccessContext
    public let today: CalendarDay
    /// Memberships valid today.
    public let activeMemberships: [AccessSubject.Membership]

    public init(subject: AccessSubject, context: AccessContext) {
        self.subject = subject
        self.context = context
        let today = CalendarDay(context.now)
        self.today = today
        self.activeMemberships = subject.memberships.filter { $0.isValid(on: today) }
    }

    /// The decision for `rule`; `course` (else the context's course) supplies the enrolment key.
    public func evaluate(_ rule: AccessRule, course: AccessCourse? = nil) -> AccessDecision {
        let course = course ?? context.course
        let problems = self.problems(in: rule, course: course)
        if !problems.isEmpty { return .deny(problems) }
        let reasons = unmet(rule, course: course)
        return reasons.isEmpty ? .allow : .deny(reasons)
    }

    /// Whether `rule` lets the person in: the same answer as `evaluate(_:course:).allowed`, without building
    /// reasons. The catalogue asks this for every course on every request and explains only what it shows.
    public func allows(_ rule: AccessRule, course: AccessCourse? = nil) -> Bool {
        let course = course ?? context.course
        return isUsable(rule, course: course) && holds(rule, course: course)
    }

    /// No unknown condition or key and no missing enrolment key setting anywhere in the tree (`problems` is empty).
    func isUsable(_ rule: AccessRule, course: AccessCourse?) -> Bool {
        switch rule {
        case .allOf(let rules), .anyOf(let rules): return rules.allSatisfy { isUsable($0, course: course) }
        case .not(let inner): return isUsable(inner, course: course)
        case .condition(let condition):
            let vocabulary = context.vocabulary
            switch condition {
            case .boardMember(let filter):
                return filter.roles.allSatisfy(\.isKnown) && filter.boards.allSatisfy(vocabulary.boards.contains)
                    && filter.provinces.allSatisfy(\.isKnown) && filter.clusters.allSatisfy(\.isKnown)
            case .profession(let professions): return professions.allSatisfy(\.isKnown)
            case .platformRole(let roles): return roles.allSatisfy(\.isKnown)
            case .completed(let courses): return courses.allSatisfy(vocabulary.courses.contains)
            case .inGroup(let groups): return groups.allSatisfy(vocabulary.groups.contains)
            case .enrolmentKey: return !(course?.enrolmentKey?.isEmpty ?? true)
            case .unknown: return false
            case .hasRegistrationNumber, .date: return true
            }
        }
    }

    /// Whether a well-formed rule holds (`unmet` is empty).
    func holds(_ rule: AccessRule, course: AccessCourse?) -> Bool {
        switch rule {
        case .allOf(let rules): return rules.allSatisfy { holds($0, course: course) }
        case .anyOf(let rules): return rules.contains { holds($0, course: course) }
        case .not(let inner): return !holds(inner, course: course)
        case .condition(let condition): return isMet(condition, course: course)
        }
    }

    /// `unmet(condition) == nil` without building the reason for the conditions the catalogue meets most.
    func isMet(_ condition: AccessCondition, course: AccessCourse?) -> Bool {
        switch condition {
        case .boardMember(let filter): return activeMemberships.contains { filter.admits($0) }
        case .completed(let courses): return courses.allSatisfy(subject.completedCourses.contains)
        default: return unmet(condition, course: course) == nil
        }
    }

    /// Everything that makes the rule unusable as written, in tree order, without repeats.
    /// Any of these denies the whole rule, even under `not` or beside a satisfied `any-of` branch.
    public func problems(in rule: AccessRule, course: AccessCourse?) -> [AccessReason] {
        var found: [AccessReason] = []
        func note(_ reason: AccessReason) {
            if !found.contains(reason) { found.append(reason) }
        }
        func keys<K: AccessKey>(_ keys: [K], _ kind: AccessKeyKind) {
            for key in keys where !key.isKnown { note(.unknownKey(kind, key.rawValue)) }
        }
        func names(_ values: [String], _ known: Set<String>, _ kind: AccessKeyKind) {
            for value in values where !known.contains(value) { note(.unknownKey(kind, value)) }
        }
        let vocabulary = context.vocabulary
        for condition in rule.conditions {
            switch condition {
            case .boardMember(let filter):
                keys(filter.roles, .boardRole)
                names(filter.boards, vocabulary.boards, .board)
                keys(filter.provinces, .province)
                keys(filter.clusters, .cluster)
            case .profession(let professions): keys(professions, .profession)
            case .platformRole(let roles): keys(roles, .platformRole)
            case .completed(let courses): names(courses, vocabulary.courses, .course)
            case .inGroup(let groups): names(groups, vocabulary.groups, .group)
            case .enrolmentKey:
                if course?.enrolmentKey?.isEmpty ?? true { note(.enrolmentKeyNotConfigured) }
            case .unknown(let type): note(.unknownCondition(type))
            case .hasRegistrationNumber, .date: break
            }
        }
        return found
    }

    /// What keeps the (well-formed) rule from holding; empty when it holds.
    func unmet(_ rule: AccessRule, course: AccessCourse?) -> [AccessReason] {
        switch rule {
        case .allOf(let rules):
            return rules.flatMap { unmet($0, course: course) }
        case .anyOf(let rules):
            var alternatives: [AccessReason] = []
            for child in rules {
                let reasons = unmet(child, course: course)
                if reasons.isEmpty { return [] }
                switch reasons.count {
                case 1:
                    if case .oneOf(let nested) = reasons[0] { alternatives += nested } else { alternatives.append(reasons[0]) }
                default:
                    alternatives.append(.allOf(reasons))
                }
            }
            if alternatives.count == 1 {
                if case .allOf(let group) = alternatives[0] { return group }
                return alternatives
            }
            return [.oneOf(alternatives)]
        case .not(let inner):
            return unmet(inner, course: course).isEmpty ? [.excluded(inner)] : []
        case .condition(let condition):
            return unmet(condition, course: course).map { [$0] } ?? []
        }
    }

    func unmet(_ condition: AccessCondition, course: AccessCourse?) -> AccessReason? {
        switch condition {
        case .boardMember(let filter):
            return activeMemberships.contains { filter.admits($0) } ? nil : .notBoardMember(roles: filter.roles, boards: filter.boards,
                                                   provinces: filter.provinces, clusters: filter.clusters)
        case .profession(let professions):
            guard let profession = subject.profession, professions.contains(profession) else {
                return .missingProfession(professions)
            }
            return nil
        case .hasRegistrationNumber:
            return subject.hasRegistrationNumber ? nil : .missingRegistrationNumber
        case .platformRole(let roles):
            return roles.contains(where: subject.platformRoles.contains) ? nil : .missingPlatformRole(roles)
        case .date(let from, let until):
            if let from, today < from { return .notYetOpen(from: from) }
            if let until, today > until { return .closed(until: until) }
            return nil
        case .completed(let courses):
            let missing = courses.filter { !subject.completedCourses.contains($0) }
            return missing.isEmpty ? nil : .prerequisiteMissing(missing)
        case .enrolmentKey:
            guard let course, let key = course.enrolmentKey, !key.isEmpty else { return .enrolmentKeyNotConfigured }
            if subject.enrolmentKeysGiven.contains(course.slug) { return nil }
            if let presented = course.presentedKey, Self.sameKey(presented, key) { return nil }
            return .enrolmentKeyRequired
        case .inGroup(let groups):
            return groups.contains(where: subject.groups.contains) ? nil : .notInGroup(groups)
        case .unknown(let type):
            return .unknownCondition(type)
        }
    }

    /// Compares without stopping at the first difference, so timing says nothing about the key;
    /// surrounding spaces are forgiven because people paste keys.
    static func sameKey(_ presented: String, _ key: String) -> Bool {
        let a = Array(presented.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        let b = Array(key.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}

extension BoardMembershipCondition {
    /// Whether this membership is of the roles, boards, provinces and clusters the filter names (empty: any).
    func admits(_ membership: AccessSubject.Membership) -> Bool {
        (roles.isEmpty || roles.contains(membership.role))
            && (boards.isEmpty || boards.contains(membership.board))
            && (provinces.isEmpty || provinces.contains(membership.province))
            && (clusters.isEmpty || membership.cluster.map(clusters.contains) == true)
    }
}

extension AccessRule {
    /// One-off evaluation; for many rules and one person, build an `AccessEvaluator` once.
    public func evaluate(for subject: AccessSubject, in context: AccessContext) -> AccessDecision {
        AccessEvaluator(subject: subject, context: context).evaluate(self)
    }
}
