@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Who reaches the trainers' pages: learners never (a friendly 403), trainers only their own or co-owned
/// courses, admins every course; visitors who are not signed in are sent to sign in.
@Suite struct TrainerAccessTests {
    static func coursePaths(_ slug: String, enrolment: UUID) -> [String] {
        [SiteRoute.trainer(.participants(slug: slug)).path,
         SiteRoute.trainer(.participants(slug: slug, query: ParticipantQuery(text: "a", status: .completed, page: 2))).path,
         SiteRoute.trainer(.participantsCSV(slug: slug)).path,
         SiteRoute.trainer(.participant(slug: slug, enrolment: enrolment)).path,
         SiteRoute.trainer(.insight(slug: slug)).path]
    }

    static func setUp(_ app: Application) async throws -> (WorkspaceFixture.Seeded, Enrolment, ModuleAttempt) {
        let course = try await WorkspaceFixture.course(app, slug: "wondzorg", title: "Wondzorg thuis")
        let learner = try await WorkspaceFixture.user(app, name: "Lea", email: "lea@vivel.test")
        let enrolment = try await WorkspaceFixture.enrol(app, learner, in: course, lastActivity: Date())
        let attempt = try await WorkspaceFixture.attempt(app, enrolment, module: "m1", completion: .completed)
        return (course, enrolment, attempt)
    }

    @Test(arguments: TestDatabase.all)
    func learnersGetAFriendlyForbiddenPageEverywhere(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (course, enrolment, attempt) = try await Self.setUp(app)
            let (learner, _) = try await WorkspaceFixture.signIn(app, role: .learner, email: "learner@vivel.test")

            for path in [SiteRoute.trainer(.courses).path] + Self.coursePaths(course.slug, enrolment: try enrolment.requireID())
                + Self.coursePaths("no-such-course", enrolment: UUID()) {
                let response = try await learner.get(path)
                #expect(response.status == .forbidden, "\(path)")
                #expect(response.headers.contentType?.subType == "html", "\(path)")
                #expect(response.body.string.contains("Deze pagina is er voor lesgevers en beheerders"), "\(path)")
            }
            let reset = try await learner.post(SiteRoute.trainer(.participantReset(slug: course.slug, enrolment: try enrolment.requireID())).path,
                                               form: ["attempt": try attempt.requireID().uuidString, "reason": "mine"])
            #expect(reset.status == .forbidden)
            #expect(try await ModuleAttempt.find(attempt.requireID(), on: app.db)?.completion == .completed)
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func trainersReachOnlyCoursesTheyOwnOrCoOwn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (course, enrolment, attempt) = try await Self.setUp(app)
            let (owner, ownerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "owner@vivel.test")
            let (coOwner, coOwnerUser) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "co@vivel.test")
            let (stranger, _) = try await WorkspaceFixture.signIn(app, role: .trainer, email: "stranger@vivel.test")
            try await WorkspaceFixture.own(app, course, by: ownerUser)
            try await WorkspaceFixture.own(app, course, by: coOwnerUser)
            let paths = Self.coursePaths(course.slug, enrolment: try enrolment.requireID())

            for path in paths {
                #expect(try await owner.get(path).status == .ok, "owner: \(path)")
                #expect(try await coOwner.get(path).status == .ok, "co-owner: \(path)")
                let refused = try await stranger.get(path)
                #expect(refused.status == .forbidden, "stranger: \(path)")
                #expect(refused.body.string.contains("Je beheert deze cursus niet"))
            }
            let resetPath = SiteRoute.trainer(.participantReset(slug: course.slug, enrolment: try enrolment.requireID())).path
            let refused = try await stranger.post(resetPath, form: ["attempt": try attempt.requireID().uuidString, "reason": "not mine"])
            #expect(refused.status == .forbidden)
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
            let allowed = try await coOwner.post(resetPath, form: ["attempt": try attempt.requireID().uuidString, "reason": "co-owner"])
            #expect(allowed.status == .seeOther)
            #expect(try await stranger.get("/trainer/courses").status == .ok, "the list itself is open to every trainer")
            #expect(try await owner.get("/trainer/courses/no-such-course/insight").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func adminsReachEveryCourseAndVisitorsAreSentToSignIn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (course, enrolment, _) = try await Self.setUp(app)
            let (admin, _) = try await WorkspaceFixture.signIn(app, role: .admin, email: "admin@vivel.test")
            let visitor = Browser(app)

            for path in [SiteRoute.trainer(.courses).path] + Self.coursePaths(course.slug, enrolment: try enrolment.requireID()) {
                #expect(try await admin.get(path).status == .ok, "admin: \(path)")
                let anonymous = try await visitor.get(path)
                #expect(anonymous.status == .seeOther, "visitor: \(path)")
                #expect(anonymous.headers.first(name: .location)?.hasPrefix("/login?return=") == true)
            }
        }
    }

    /// Every link the workspace builds reaches a registered route.
    @Test func everyTrainerRouteIsRegistered() async throws {
        try await withAcademy(.sqlite) { app in
            let registered = app.routes.all.map(\.path)
            let id = UUID()
            let samples: [TrainerRoute] = [.courses, .participants(slug: "x"), .participantsCSV(slug: "x"),
                                           .participant(slug: "x", enrolment: id), .participantReset(slug: "x", enrolment: id),
                                           .insight(slug: "x")]
            for route in samples {
                let path = SiteRoute.trainer(route).path.split(separator: "?").first.map(String.init) ?? "/"
                let parts = path.split(separator: "/").map(String.init)
                let matches = registered.contains { pattern in
                    pattern.count == parts.count && zip(pattern, parts).allSatisfy { component, part in
                        if case .parameter = component { return true }
                        return component.description == part
                    }
                }
                #expect(matches, "\(route) -> \(path) has no route")
            }
        }
    }
}
