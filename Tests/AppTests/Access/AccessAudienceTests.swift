@testable import App
import Fluent
import Foundation
import Testing

/// Counting who passes a rule, and who gains or loses when it changes, over a fixed population.
@Suite struct AccessAudienceTests {
    typealias Membership = AccessSubject.Membership
    static let day = AccessScenario.day
    static let now = AccessScenario.midJune2026

    static let boards = [
        AccessAudience.Board(code: "ZR-LIM-NOORD", name: "Limburg Noord", province: .limburg),
        AccessAudience.Board(code: "ZR-LIM-ZUID", name: "Limburg Zuid", province: .limburg),
        AccessAudience.Board(code: "ZR-OVL-GENT", name: "Gent", province: .oostVlaanderen),
        AccessAudience.Board(code: "ZR-BRU", name: "Brussel", province: .brussel),
    ]

    /// Six people:
    /// 0 Limburg Noord staff, GP with number, in the vaccination cohort, enrolled in `this-course`;
    /// 1 Limburg Zuid member (care) and Gent member (welfare), pharmacist;
    /// 2 Gent member whose membership ended in May 2026, enrolled in `this-course`;
    /// 3 no membership, GP, completed `zorgraad-basis`;
    /// 4 admin without anything;
    /// 5 Brussels member from 2026-07-01 (not yet valid).
    static let people: [AccessAudience.Person] = [
        .init(subject: AccessSubject(userID: UUID(), profession: "gp", hasRegistrationNumber: true,
                                     memberships: [Membership(board: "ZR-LIM-NOORD", province: .limburg, role: .staff)],
                                     groups: ["vaccination-population-managers"]),
              coursesInProgress: ["this-course"]),
        .init(subject: AccessSubject(userID: UUID(), profession: "pharmacist",
                                     memberships: [Membership(board: "ZR-LIM-ZUID", province: .limburg, cluster: .care, role: .member),
                                                   Membership(board: "ZR-OVL-GENT", province: .oostVlaanderen, cluster: .welfare, role: .member)])),
        .init(subject: AccessSubject(userID: UUID(), profession: "home-nurse",
                                     memberships: [Membership(board: "ZR-OVL-GENT", province: .oostVlaanderen, cluster: .care,
                                                              role: .member, validUntil: day("2026-05-31"))]),
              coursesInProgress: ["this-course"]),
        .init(subject: AccessSubject(userID: UUID(), profession: "gp", completedCourses: ["zorgraad-basis"])),
        .init(subject: AccessSubject(userID: UUID(), platformRoles: [.admin]), isAdmin: true),
        .init(subject: AccessSubject(userID: UUID(), profession: "gp",
                                     memberships: [Membership(board: "ZR-BRU", province: .brussel, role: .member,
                                                              validFrom: day("2026-07-01"))])),
    ]

    static let audience = AccessAudience(people: people, boards: boards, vocabulary: AccessScenario.vocabulary, now: now)
    static let course = AccessCourse(slug: "this-course")

    /// Which of the six pass, as a string of 0/1 in the order above.
    static func pattern(_ rule: AccessRule?) -> String {
        people.map { audience.decision(for: $0.subject.userID!, rule: rule, course: course)!.allowed ? "1" : "0" }.joined()
    }

    @Test(arguments: [
        (AccessRule?.none, "111111"),
        (AccessRule.boardMember(), "110010"),
        (AccessRule.boardMember(provinces: [.limburg]), "110010"),
        (AccessRule.boardMember(roles: [.staff]), "100010"),
        (AccessRule.boardMember(clusters: [.welfare]), "010010"),
        (AccessRule.boardMember(boards: ["ZR-OVL-GENT"]), "010010"),
        (AccessRule.anyOf([.boardMember(), .completed("zorgraad-basis")]), "110110"),
        (AccessRule.allOf([.profession("gp"), .not(.boardMember())]), "000111"),
        (AccessRule.inGroup("vaccination-population-managers"), "100010"),
        (AccessRule.boardMember(boards: ["ZR-NOWHERE"]), "000010"),
    ])
    func whoPassesFollowsTheEvaluator(rule: AccessRule?, expected: String) {
        #expect(Self.pattern(rule) == expected)
    }

    @Test func countsLearnersMembersBoardsAndEnrolledInProgress() {
        let count = Self.audience.measure(.boardMember(provinces: [.limburg]), course: Self.course)

        // Members today: people 0 and 1 (2 has ended, 5 has not begun); admin 4 passes without being one.
        #expect(count.learners == .init(passing: 3, of: 6))
        #expect(count.members == .init(passing: 2, of: 2))
        // Gent passes through person 1, who is also a member in Limburg; Brussels has no member today.
        #expect(count.boards == .init(passing: 3, of: 4))
        #expect(count.enrolledInProgress == .init(passing: 1, of: 2))
        let gent = try? #require(count.perBoard.first { $0.code == "ZR-OVL-GENT" })
        #expect(gent?.members == .init(passing: 1, of: 1))
        #expect(count.perBoard.map(\.code) == ["ZR-BRU", "ZR-LIM-NOORD", "ZR-LIM-ZUID", "ZR-OVL-GENT"])
        let limburg = count.perProvince.first { $0.province == .limburg }
        #expect(limburg?.boards == .init(passing: 2, of: 2))
        #expect(limburg?.members == .init(passing: 2, of: 2))
        #expect(count.problems.isEmpty)
    }

    @Test func aBrokenRuleDeniesEveryoneButAdminsAndSaysWhy() {
        let count = Self.audience.measure(.anyOf([.boardMember(), .inGroup("no-such-group")]), course: Self.course)

        #expect(count.learners == .init(passing: 1, of: 6))
        #expect(count.members.passing == 0)
        #expect(count.problems == [.unknownKey(.group, "no-such-group")])
    }

    @Test func noRuleLetsEveryoneIn() {
        let count = Self.audience.measure(nil, course: Self.course)

        #expect(count.learners == .init(passing: 6, of: 6))
        #expect(count.boards == .init(passing: 3, of: 4))
    }

    @Test func narrowingARuleListsWhoLosesPerBoard() {
        let change = Self.audience.compare(from: .boardMember(), to: .boardMember(roles: [.staff]), course: Self.course)

        #expect(change.gained == .init())
        #expect(change.lost.learners == 1)
        #expect(change.lost.members == 1)
        #expect(change.lost.boards == 2)
        #expect(change.lost.enrolledInProgress == 0)
        #expect(change.perBoard.map(\.code) == ["ZR-LIM-ZUID", "ZR-OVL-GENT"])
        #expect(change.perBoard.allSatisfy { $0.lost == 1 && $0.gained == 0 })
    }

    @Test func openingACourseToACohortGainsThemAndLosesNobody() {
        let old = AccessRule.boardMember(provinces: [.oostVlaanderen])
        let new = AccessRule.anyOf([old, .profession("home-nurse")])

        let change = Self.audience.compare(from: old, to: new, course: Self.course)

        // Person 2, whose Gent membership ended, is a home nurse: gains, without counting as a member.
        #expect(change.gained.learners == 1)
        #expect(change.gained.members == 0)
        #expect(change.gained.enrolledInProgress == 1)
        #expect(change.lost == .init())
        #expect(change.perBoard.isEmpty)
    }

    @Test func removingTheRuleGainsEveryoneItKeptOut() {
        let change = Self.audience.compare(from: .inGroup("vaccination-population-managers"), to: nil, course: Self.course)

        #expect(change.gained.learners == 4)
        #expect(change.gained.members == 1)
        #expect(change.gained.boards == 2)
        #expect(change.lost.learners == 0)
        #expect(!change.isEmpty)
    }

    @Test func anEnrolmentKeyCountsOnlyForThoseWhoGaveIt() {
        var people = Self.people
        people[3].subject.enrolmentKeysGiven = ["this-course"]
        let audience = AccessAudience(people: people, boards: Self.boards, vocabulary: AccessScenario.vocabulary, now: Self.now)

        let count = audience.measure(.enrolmentKey, course: AccessCourse(slug: "this-course", enrolmentKey: "zorg"))

        #expect(count.learners == .init(passing: 2, of: 6))
    }

    // MARK: - Loading from the database

    @Test(arguments: TestDatabase.all)
    func theLoaderReadsEveryFactRulesNeed(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let db = app.db
            let limburg = CareBoard(code: "ZR-A", name: "Zorgraad A", zone: "A", province: .limburg)
            let gent = CareBoard(code: "ZR-B", name: "Zorgraad B", zone: "B", province: .oostVlaanderen)
            try await limburg.save(on: db)
            try await gent.save(on: db)
            let group = AccessGroup(key: "cohort", names: ["nl": "Cohorte"])
            try await group.save(on: db)
            let basics = try await TestCourses.publish(TestCourses.package(slug: "basis", title: "Basis"), on: db)
            let target = try await TestCourses.publish(TestCourses.package(slug: "doel", title: "Doel"), on: db)
            func user(_ email: String, role: User.Role = .learner, number: String? = nil) async throws -> UUID {
                let user = User(email: email, name: email, passwordHash: "-", role: role, profession: "gp", registrationNumber: number)
                try await user.save(on: db)
                return try user.requireID()
            }
            let an = try await user("an@x.be", number: "10000000001")
            let bert = try await user("bert@x.be")
            let carl = try await user("carl@x.be", role: .admin)
            let gone = try await user("gone@x.be")
            let goneUser = try #require(try await User.find(gone, on: db))
            goneUser.deactivatedAt = Date()
            try await goneUser.save(on: db)
            try await BoardMembership(userID: an, boardID: limburg.requireID(), role: .staff).save(on: db)
            try await BoardMembership(userID: bert, boardID: gent.requireID(), role: .member, cluster: .care,
                                      validUntil: CalendarDay(iso: "2020-01-01")).save(on: db)
            try await BoardMembership(userID: gone, boardID: gent.requireID(), role: .member).save(on: db)
            try await GroupMembership(userID: bert, groupID: group.requireID()).save(on: db)
            func version(_ courseID: UUID) async throws -> UUID {
                try #require(try await Course.find(courseID, on: db)?.$currentVersion.id)
            }
            let done = Enrolment(userID: bert, courseID: basics.courseID, versionID: try await version(basics.courseID))
            done.status = .completed
            try await done.save(on: db)
            let running = Enrolment(userID: an, courseID: target.courseID, versionID: try await version(target.courseID))
            running.keyAccepted = true
            try await running.save(on: db)

            let audience = try await AccessAudience.load(on: db, now: Date())

            #expect(audience.people.count == 3)
            let first = try #require(audience.person(an))
            #expect(first.subject.hasRegistrationNumber)
            #expect(first.subject.memberships == [.init(board: "ZR-A", province: .limburg, role: .staff)])
            #expect(first.subject.enrolmentKeysGiven == ["doel"])
            #expect(first.coursesInProgress == ["doel"])
            let second = try #require(audience.person(bert))
            #expect(second.subject.groups == ["cohort"])
            #expect(second.subject.completedCourses == ["basis"])
            #expect(second.subject.memberships.first?.validUntil == CalendarDay(iso: "2020-01-01"))
            #expect(audience.person(carl)?.isAdmin == true)
            #expect(audience.person(gone) == nil)
            #expect(audience.vocabulary == AccessVocabulary(boards: ["ZR-A", "ZR-B"], groups: ["cohort"], courses: ["basis", "doel"]))
            let count = audience.measure(.anyOf([.boardMember(), .completed("basis")]), course: AccessCourse(slug: "doel"))
            #expect(count.learners == .init(passing: 3, of: 3))
            #expect(count.members == .init(passing: 1, of: 1))
            #expect(count.boards == .init(passing: 1, of: 2))
            #expect(count.enrolledInProgress == .init(passing: 1, of: 1))
        }
    }
}
