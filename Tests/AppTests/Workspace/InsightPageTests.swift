@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The insight page: aggregate figures per week, per module, per score band and per care board and
/// province, drawn as SVG with text alternatives.
@Suite struct InsightPageTests {
    /// Four learners in a three-module course: one completed (score 0.85, 2 days), one completed (0.45, 4 days),
    /// one stopped after module 1, one never began; plus one withdrawn learner whose attempts do not count.
    static func setUp(_ app: Application) async throws -> WorkspaceFixture.Seeded {
        let course = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg thuis")
        let limburg = CareBoard(code: "ZR-HERKENRODE", name: "Zorgraad Herkenrode", zone: "Herkenrode", province: .limburg)
        let gent = CareBoard(code: "ZR-GENT", name: "Zorgraad Gent", zone: "Gent", province: .oostVlaanderen)
        try await limburg.create(on: app.db)
        try await gent.create(on: app.db)
        let now = Date()
        let day = 86_400.0
        var users: [User] = []
        for index in 1...5 {
            users.append(try await WorkspaceFixture.user(app, name: "Learner \(index)", email: "l\(index)@vivel.test"))
        }
        try await BoardMembership(userID: users[0].requireID(), boardID: limburg.requireID(), role: .member).create(on: app.db)
        try await BoardMembership(userID: users[1].requireID(), boardID: limburg.requireID(), role: .member).create(on: app.db)
        try await BoardMembership(userID: users[1].requireID(), boardID: gent.requireID(), role: .member).create(on: app.db)
        // Expired yesterday: does not count.
        try await BoardMembership(userID: users[2].requireID(), boardID: gent.requireID(), role: .member,
                                  validUntil: CalendarDay(now.addingTimeInterval(-2 * day))).create(on: app.db)

        let first = try await WorkspaceFixture.enrol(app, users[0], in: course, status: .completed, enrolledAt: now.addingTimeInterval(-3 * day),
                                                     lastActivity: now, completedAt: now.addingTimeInterval(-1 * day))
        let second = try await WorkspaceFixture.enrol(app, users[1], in: course, status: .completed, enrolledAt: now.addingTimeInterval(-20 * day),
                                                      lastActivity: now, completedAt: now.addingTimeInterval(-16 * day))
        let third = try await WorkspaceFixture.enrol(app, users[2], in: course, lastActivity: now)
        try await WorkspaceFixture.enrol(app, users[3], in: course)
        let gone = try await WorkspaceFixture.enrol(app, users[4], in: course, status: .withdrawn, lastActivity: now)
        for enrolment in [first, second] {
            for module in ["m1", "m2", "m3"] {
                try await WorkspaceFixture.attempt(app, enrolment, module: module, completion: .completed)
            }
        }
        try await WorkspaceFixture.attempt(app, third, module: "m1", completion: .completed)
        try await WorkspaceFixture.attempt(app, third, module: "m2", completion: .incomplete)
        try await WorkspaceFixture.attempt(app, third, module: "m3", completion: .notAttempted)
        try await WorkspaceFixture.attempt(app, gone, module: "m1", completion: .completed)
        try await WorkspaceFixture.completion(app, first, score: 0.85)
        try await WorkspaceFixture.completion(app, second, score: 0.45)
        return course
    }

    @Test(arguments: TestDatabase.all)
    func theFiguresComeFromAggregates(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let course = try await Self.setUp(app)
            let modules = try await CourseModule.query(on: app.db).filter(\.$version.$id == course.versionID).sort(\.$position).all()

            let insight = try await CourseInsight.load(courseID: course.courseID, modules: modules, on: app.db)

            #expect(insight.enrolled == 4)
            #expect(insight.completed == 2)
            #expect(insight.funnel.map(\.key) == ["m1", "m2", "m3"])
            #expect(insight.funnel.map(\.reached) == [3, 3, 2], "a not-attempted row is no visit; the withdrawn learner is left out")
            #expect(insight.funnel.map(\.done) == [3, 2, 2])
            #expect(insight.timedCompletions == 2)
            #expect(abs((insight.medianSecondsToComplete ?? 0) - 3 * 86_400) < 2, "the median of 2 and 4 days")
            #expect(insight.scoreBuckets[8] == 1 && insight.scoreBuckets[4] == 1 && insight.scored == 2)
            #expect(insight.weeks.count == CourseInsight.weekCount)
            #expect(insight.weeks.map(\.enrolled).reduce(0, +) == 5, "every enrolment of the last weeks, withdrawn too")
            #expect(insight.weeks.map(\.completed).reduce(0, +) == 2)
            #expect(insight.weeks.last?.enrolled ?? 0 >= 1, "this week's enrolments are in the last week")
            #expect(insight.boards.map(\.key) == ["ZR-HERKENRODE", "ZR-GENT"])
            #expect(insight.boards.map(\.enrolled) == [2, 1])
            #expect(insight.boards.map(\.completed) == [2, 1])
            #expect(insight.provinces.map(\.key) == ["limburg", "oost-vlaanderen"])
            #expect(insight.withoutBoard == 2, "the learner whose membership ended and the one without any")
        }
    }

    @Test func weeksStartOnMonday() {
        // 2027-03-03 was a Wednesday; its week began on Monday 1 March (00:00 CET = 23:00 UTC the day before).
        let wednesday = Date(timeIntervalSince1970: 1_804_075_200) // 2027-03-03 12:00 UTC
        let start = CourseInsight.weekStart(CourseInsight.weekIndex(wednesday))
        #expect(start.timeIntervalSince1970 == 1_803_855_600) // 2027-02-28 23:00 UTC
        #expect(CourseInsight.weekIndex(start) == CourseInsight.weekIndex(wednesday))
        #expect(CourseInsight.weekIndex(start.addingTimeInterval(-1)) == CourseInsight.weekIndex(wednesday) - 1)
    }

    @Test(arguments: TestDatabase.all)
    func thePageDrawsAccessibleChartsWithTextAlternatives(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let course = try await Self.setUp(app)
            let (browser, trainer) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "trainer@vivel.test")
            try await WorkspaceFixture.own(app, course, by: trainer)

            let page = try await browser.get("/trainer/courses/wondzorg/insight")

            #expect(page.status == .ok)
            let html = page.body.string
            #expect(!html.contains("<script"), "no JavaScript")
            for id in ["chart-weeks", "chart-funnel", "chart-scores", "chart-boards", "chart-provinces"] {
                #expect(html.contains(#"aria-labelledby="\#(id)-title \#(id)-desc""#), "\(id) is an image with a name")
                #expect(html.contains(#"<title id="\#(id)-title">"#))
                #expect(html.contains(#"<desc id="\#(id)-desc">"#))
                #expect(html.contains(#"<figcaption id="\#(id)-caption">"#))
            }
            #expect(html.components(separatedBy: #"role="img""#).count - 1 == 5)
            #expect(html.components(separatedBy: "<table>").count - 1 == 5, "each chart has its figures as a table")
            #expect(html.contains("Zorgraad Herkenrode") && html.contains("Limburg") && html.contains("Oost-Vlaanderen"))
            #expect(html.contains("3 dagen"), "the median time to complete")
            #expect(html.contains("50\u{00A0}%"), "two of four completed")
            #expect(html.contains("De meeste deelnemers haken af bij „Module 2”"))
            #expect(html.contains(#"<th scope="row">Module 1</th><td>3</td><td>3</td><td>75"#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEmptyCourseSaysSoInsteadOfDrawingNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let course = try await WorkspaceFixture.course(app, slug: "leeg", title: "Lege cursus")
            let (browser, trainer) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "trainer@vivel.test")
            try await WorkspaceFixture.own(app, course, by: trainer)

            let html = try await browser.get("/trainer/courses/leeg/insight").body.string

            #expect(html.contains("Nog geen afrondingen met een score"))
            #expect(html.contains("Geen van de deelnemers is lid van een zorgraad"))
            #expect(!html.contains(#"role="img""#))
        }
    }
}
