@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Owners try any version of their course in the player, drafts too, before learners get it; nobody
/// else reaches a version that is not theirs.
@Suite struct VersionPlayerPreviewTests {
    @Test(arguments: TestDatabase.all)
    func anOwnerPlaysADraftVersionOthersCannot(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let owner = try await TrainerUploadTests.signIn(app, role: .trainer, email: "owner@vivel.test")
            _ = try await CourseVersionsTests.upload(owner, CourseVersionsTests.package("preview.one", items: [("a", "Een")]), publish: true)
            _ = try await CourseVersionsTests.upload(owner, CourseVersionsTests.package("preview.one", items: [("a", "Een"), ("b", "Twee")]),
                                                     publish: false)
            let course = try await CourseVersionsTests.course(app, "preview.one")
            let other = try await TrainerUploadTests.signIn(app, role: .trainer, email: "other@vivel.test")

            let versionPage = try await owner.get(SiteRoute.trainer(.versionsPreview(slug: course.slug, number: 2)).path).body.string
            let draft = try await owner.get(SiteRoute.playerVersion(slug: course.slug, version: 2).path)
            let draftPage = try await owner.get(try #require(draft.headers.first(name: .location))).body.string
            let remembered = try await owner.get("/learn/\(course.slug)/b")
            let draftFile = try await owner.get("/content/\(course.slug)/2/b.html")
            let current = try await owner.get("/learn/\(course.slug)/a?version=1")
            let strangerDraft = try await other.get("/learn/\(course.slug)?version=2")
            let strangerFile = try await other.get("/content/\(course.slug)/2/b.html")
            let missing = try await owner.get("/learn/\(course.slug)?version=9")

            #expect(versionPage.contains(#"href="/learn/\#(course.slug)?version=2""#), "the version page leads to the player")
            #expect(draft.status == .seeOther)
            #expect(draftPage.contains("Twee"), "the draft's new module is in the outline")
            #expect(draftPage.contains("versie 2, een concept"))
            #expect(remembered.status == .ok && remembered.body.string.contains("versie 2"), "the session keeps the chosen version")
            #expect(draftFile.status == .ok && draftFile.body.string.contains("Twee"))
            #expect(current.status == .ok && !current.body.string.contains("versie 2") && !current.body.string.contains("Twee"))
            #expect(strangerDraft.status == .forbidden, "not enrolled, not an owner")
            #expect(strangerFile.status == .forbidden || strangerFile.status == .notFound)
            #expect(missing.status == .notFound)
        }
    }
}
