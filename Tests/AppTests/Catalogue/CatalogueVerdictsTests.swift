import Foundation
import Testing
import VaporTesting
@testable import App

@Suite("Catalogue verdicts kept per access fingerprint")
struct CatalogueVerdictsTests {
    @Test func verdictsAreDecidedOncePerFingerprintAndCatalogue() {
        let kept = CatalogueVerdicts(capacity: 10)
        var decided = 0
        let decide: () -> [CatalogueVisibility] = { decided += 1; return [.open, .locked] }

        let first = kept.verdicts(for: "a", generation: 1, decide: decide)
        let again = kept.verdicts(for: "a", generation: 1, decide: decide)
        let otherPerson = kept.verdicts(for: "b", generation: 1, decide: decide)
        let newCatalogue = kept.verdicts(for: "a", generation: 2, decide: decide)

        #expect(first == [.open, .locked] && again == first && otherPerson == first && newCatalogue == first)
        #expect(decided == 3, "the same facts on the same catalogue are decided once; other facts and a rebuilt catalogue again")
    }

    @Test func withoutCapacityEveryRequestDecides() {
        let kept = CatalogueVerdicts(capacity: 0)
        var decided = 0
        for _ in 0..<3 { _ = kept.verdicts(for: "a", generation: 1) { decided += 1; return [.hidden] } }
        #expect(decided == 3)
    }

    @Test func anOlderCatalogueNeverReplacesTheVerdictsOfANewerOne() {
        let kept = CatalogueVerdicts(capacity: 10)
        _ = kept.verdicts(for: "a", generation: 2) { [.open] }
        _ = kept.verdicts(for: "a", generation: 1) { [.hidden] }
        var decided = false
        let current = kept.verdicts(for: "a", generation: 2) { decided = true; return [.locked] }
        #expect(current == [.open] && !decided)
    }

    @Test(arguments: TestDatabase.all)
    func theCourseAPIStopsListingAHiddenBoardCourseAsSoonAsTheMembershipEnds(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            var package = TestCourses.package(slug: "limburgse-zorgraden", title: "Werken in een Limburgse zorgraad")
            package.access = [PackageAccessRule(scope: .visibility, whenDenied: .hide, ruleJSON: BoardAccessPageTests.limburgOnly)]
            try await TestCourses.publish(package, on: app.db)
            await app.catalogue.invalidate()
            let learner = Browser(app)
            let jan = try await BoardAccessPageTests.signUp(learner, email: "jan@zorgraad.be")
            let membership = BoardMembership(userID: jan, boardID: boards.herkenrode, role: .member, cluster: .care,
                                             validFrom: BoardAccessPageTests.day(-30))
            try await membership.save(on: app.db)
            let admin = try await BoardAdminPageTests.admin(app)

            let listedBefore = try await learner.get("/api/v1/courses").body.string
            let listedAgain = try await learner.get("/api/v1/courses").body.string
            _ = try await admin.post("/admin/boards/ZR-HERKENRODE/memberships/\(membership.id!.uuidString.lowercased())/end", form: [:])
            let listedAfter = try await learner.get("/api/v1/courses").body.string
            let pageAfter = try await learner.get("/").body.string

            #expect(listedBefore.contains("\"slug\":\"limburgse-zorgraden\""))
            #expect(listedAgain == listedBefore, "the kept verdicts give the same answer")
            #expect(!listedAfter.contains("limburgse-zorgraden"), "hidden on the very next request: \(listedAfter)")
            #expect(!pageAfter.contains("Werken in een Limburgse zorgraad"))
        }
    }
}
