@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The workspace hub shows each person the sections he may use, and every link there opens.
@Suite struct WorkspaceHubTests {
    static func signIn(_ app: Application, role: User.Role, email: String) async throws -> (Browser, User) {
        let browser = Browser(app)
        try await BoardAccessPageTests.signUp(browser, email: email)
        let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
        user.role = role
        try await user.save(on: app.db)
        return (browser, user)
    }

    static func links(_ html: String) -> [String] {
        html.components(separatedBy: "<h2><a href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test(arguments: TestDatabase.all)
    func eachRoleSeesItsSectionsAndEveryLinkOpens(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let (learner, _) = try await Self.signIn(app, role: .learner, email: "leerling@example.be")
            let (staff, staffUser) = try await Self.signIn(app, role: .learner, email: "staf@zorgraad.be")
            try await BoardMembership(userID: try staffUser.requireID(), boardID: boards.herkenrode, role: .staff).save(on: app.db)
            let (trainer, _) = try await Self.signIn(app, role: .trainer, email: "lesgever@example.be")
            let (admin, _) = try await Self.signIn(app, role: .admin, email: "beheer@example.be")

            let learnerHub = try await learner.get("/workspace")
            let staffLinks = Self.links(try await staff.get("/workspace").body.string)
            let trainerPage = try await trainer.get("/workspace").body.string
            let adminLinks = Self.links(try await admin.get("/workspace").body.string)
            var adminStatuses: [String: HTTPStatus] = [:]
            for link in adminLinks { adminStatuses[link] = try await admin.get(link).status }
            let staffBoards = try await staff.get(try #require(staffLinks.first)).status

            #expect(learnerHub.status == .forbidden)
            #expect(staffLinks == [SiteRoute.boards(.boards).path])
            #expect(staffBoards == .ok)
            #expect(Self.links(trainerPage) == [SiteRoute.trainer(.courses).path, SiteRoute.trainerPackages.path,
                                               SiteRoute.trainer(.packageTokens).path])
            #expect(trainerPage.contains("href=\"/workspace\""), "the navigation leads trainers here")
            #expect(adminLinks.count == WorkspaceController.Entry.allCases.count)
            #expect(adminStatuses.values.allSatisfy { $0 == .ok }, "\(adminStatuses)")
        }
    }
}
