@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// "My courses": the trainer's own courses with counts from aggregate queries; admins see every course.
@Suite struct MyCoursesPageTests {
    @Test(arguments: TestDatabase.all)
    func figuresCountEveryStatusPerCourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let course = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg")
            let other = try await WorkspaceFixture.course(app, slug: "valpreventie", title: "Valpreventie")
            var learners: [User] = []
            for index in 1...7 {
                learners.append(try await WorkspaceFixture.user(app, name: "Learner \(index)", email: "l\(index)@vivel.test"))
            }
            try await WorkspaceFixture.enrol(app, learners[0], in: course)
            try await WorkspaceFixture.enrol(app, learners[1], in: course, lastActivity: Date())
            try await WorkspaceFixture.enrol(app, learners[2], in: course, lastActivity: Date())
            let done = try await WorkspaceFixture.enrol(app, learners[3], in: course, status: .completed, lastActivity: Date(), completedAt: Date())
            try await WorkspaceFixture.enrol(app, learners[4], in: course, status: .waiting)
            try await WorkspaceFixture.enrol(app, learners[5], in: course, status: .withdrawn)
            try await WorkspaceFixture.enrol(app, learners[6], in: other)
            let completion = try await WorkspaceFixture.completion(app, done, score: 0.8)
            try await WorkspaceFixture.record(app, completion)
            try await WorkspaceFixture.record(app, completion, kind: .correction)

            let figures = try await CourseFigures.load(courseIDs: nil, on: app.db)

            let mine = try #require(figures[course.courseID])
            #expect(mine.enrolled == 4, "active and completed hold a seat")
            #expect(mine.notStarted == 1)
            #expect(mine.inProgress == 2)
            #expect(mine.completed == 1)
            #expect(mine.waiting == 1)
            #expect(mine.withdrawn == 1)
            #expect(mine.recordsIssued == 1, "corrections are not issued records")
            #expect(figures[other.courseID]?.enrolled == 1)
            let onlyOther = try await CourseFigures.load(courseIDs: [other.courseID], on: app.db)
            #expect(onlyOther.keys.sorted { $0.uuidString < $1.uuidString } == [other.courseID])
        }
    }

    @Test(arguments: TestDatabase.all)
    func trainersSeeTheirCoursesAndAdminsAll(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let course = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg thuis")
            _ = try await WorkspaceFixture.course(app, slug: "valpreventie", title: "Valpreventie bij ouderen")
            let (trainer, trainerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "trainer@vivel.test")
            try await WorkspaceFixture.own(app, course, by: trainerUser)
            let learner = try await WorkspaceFixture.user(app, name: "Lea", email: "lea@vivel.test")
            try await WorkspaceFixture.enrol(app, learner, in: course, lastActivity: Date())

            let page = try await trainer.get("/trainer/courses")

            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Wondzorg thuis"))
            #expect(!html.contains("Valpreventie bij ouderen"), "a course the trainer does not own is not listed")
            #expect(html.contains("Gepubliceerd"))
            #expect(html.contains("versie 1"))
            #expect(html.contains(#"href="/trainer/courses/wondzorg/participants""#))
            #expect(html.contains(#"href="/trainer/courses/wondzorg/insight""#))
            #expect(html.contains(#"href="/trainer/courses/wondzorg/participants?status=in-progress">1</a>"#))

            let (admin, _) = try await WorkspaceFixture.signIn(app, role: .admin, email: "admin@vivel.test")
            let all = try await admin.get("/trainer/courses").body.string
            #expect(all.contains("Wondzorg thuis") && all.contains("Valpreventie bij ouderen"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerWithoutCoursesIsToldWhatToDo(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg thuis")
            let (trainer, _) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "trainer@vivel.test")

            let html = try await trainer.get("/trainer/courses").body.string

            #expect(!html.contains("Wondzorg thuis"))
            #expect(html.contains("Je beheert nog geen cursussen"))
            #expect(html.contains(#"href="/trainer/packages""#))
        }
    }
}
