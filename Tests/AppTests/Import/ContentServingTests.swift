@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// GET /content/:slug/:version/** after a real import: media types, ETag, ranges, and who may read what.
@Suite struct ContentServingTests {
    static let clip = Data((0..<10_000).map { UInt8($0 % 251) })

    struct Setup {
        let courseID: UUID
        let version1: UUID
    }

    /// A published version 1 (with a video-like file and a name with a space) and a draft version 2.
    @discardableResult
    static func importCourse(_ app: Application) async throws -> Setup {
        let first = try TestZip.make(ImportFixtures.smallScorm() + [.file("media/clip.mp4", clip), .text("pages/a b.html", "spatie")])
        let second = try TestZip.make(ImportFixtures.smallScorm(page: "<html><body>Nieuw</body></html>"))
        let v1 = try await app.importPackage(at: first, options: .init(publish: true))
        let v2 = try await app.importPackage(at: second)
        #expect(v1.status == .created && v2.status == .created && v2.versionNumber == 2)
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$number == 1).first())
        return Setup(courseID: try #require(v1.courseID), version1: try version.requireID())
    }

    @discardableResult
    static func signIn(_ app: Application, role: User.Role, email: String) async throws -> (Browser, UUID) {
        let user = User(email: email, name: "Test", passwordHash: try app.password.hash("een lang wachtwoord"), role: role, profession: "gp")
        try await user.save(on: app.db)
        let browser = Browser(app)
        let response = try await browser.post("/login", form: ["email": email, "password": "een lang wachtwoord"])
        #expect(response.status == .seeOther, "signed in as \(email)")
        return (browser, try user.requireID())
    }

    @Test(arguments: TestDatabase.all)
    func adminsGetFilesWithMediaTypeETagAndRanges(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.importCourse(app)
            let (admin, _) = try await Self.signIn(app, role: .admin, email: "admin@vivel.be")

            let page = try await admin.get("/content/kleine-cursus/1/index.html")
            let etag = try #require(page.headers.first(name: .eTag))
            let again = try await admin.get("/content/kleine-cursus/1/index.html", headers: ["If-None-Match": etag])
            let range = try await admin.get("/content/kleine-cursus/1/media/clip.mp4", headers: ["Range": "bytes=100-199"])
            let spaced = try await admin.get(SiteRoute.content(slug: "kleine-cursus", version: 1, path: "pages/a b.html").path)
            let draft = try await admin.get("/content/kleine-cursus/2/index.html")

            #expect(page.status == .ok)
            #expect(page.headers.contentType == .html)
            #expect(page.body.string.contains("Hallo"))
            #expect(page.headers.first(name: .cacheControl) == "private, no-cache")
            #expect(again.status == .notModified)
            #expect(range.status == .partialContent)
            #expect(range.headers.first(name: .contentRange) == "bytes 100-199/10000")
            #expect(range.headers.contentType?.subType == "mp4")
            #expect(Data(range.body.readableBytesView) == Self.clip.subdata(in: 100..<200))
            #expect(spaced.status == .ok && spaced.body.string == "spatie")
            #expect(draft.status == .ok && draft.body.string.contains("Nieuw"), "admins see drafts")
        }
    }

    @Test(arguments: TestDatabase.all)
    func enrolledLearnersGetPublishedVersionsOnly(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.importCourse(app)
            let (learner, learnerID) = try await Self.signIn(app, role: .learner, email: "an@zorgraad.be")
            try await Enrolment(userID: learnerID, courseID: setup.courseID, versionID: setup.version1).save(on: app.db)

            let published = try await learner.get("/content/kleine-cursus/1/index.html")
            let draft = try await learner.get("/content/kleine-cursus/2/index.html")
            let missing = try await learner.get("/content/kleine-cursus/1/nope.html")

            #expect(published.status == .ok)
            #expect(draft.status == .notFound)
            #expect(missing.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func othersGetForbiddenForVisibleCoursesAndNotFoundOtherwise(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.importCourse(app)
            let (outsider, outsiderID) = try await Self.signIn(app, role: .learner, email: "buiten@zorgraad.be")
            let (withdrawn, withdrawnID) = try await Self.signIn(app, role: .trainer, email: "weg@zorgraad.be")
            let enrolment = Enrolment(userID: withdrawnID, courseID: setup.courseID, versionID: setup.version1)
            enrolment.status = .withdrawn
            try await enrolment.save(on: app.db)
            _ = outsiderID

            let anonymous = try await app.testing().sendRequest(.GET, "/content/kleine-cursus/1/index.html")
            let anonymousDraft = try await app.testing().sendRequest(.GET, "/content/kleine-cursus/2/index.html")
            let unknownCourse = try await app.testing().sendRequest(.GET, "/content/onbekend/1/index.html")
            let notEnrolled = try await outsider.get("/content/kleine-cursus/1/index.html")
            let withdrawnResponse = try await withdrawn.get("/content/kleine-cursus/1/index.html")

            // Hide the course from everyone outside a care board: now it is not found rather than forbidden.
            let version = try #require(try await CourseVersion.find(setup.version1, on: app.db))
            version.accessRules = #"[{"scope":"visibility","whenDenied":"hide","ruleJSON":"{\"board-member\":{}}"}]"#
            try await version.save(on: app.db)
            await app.catalogue.invalidate()
            let hidden = try await outsider.get("/content/kleine-cursus/1/index.html")

            #expect(anonymous.status == .forbidden)
            #expect(anonymousDraft.status == .notFound)
            #expect(unknownCourse.status == .notFound)
            #expect(notEnrolled.status == .forbidden)
            #expect(withdrawnResponse.status == .forbidden)
            #expect(hidden.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func pathTraversalIsRefused(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.importCourse(app)
            let (admin, _) = try await Self.signIn(app, role: .admin, email: "admin@vivel.be")
            // A file next to the version folders that no request may reach.
            let store = FileContentStore(dataDirectory: app.academySettings.dataDirectory)
            let secret = store.folder(courseID: setup.courseID, version: 1).deletingLastPathComponent().appendingPathComponent("secret.txt")
            try Data("geheim".utf8).write(to: secret)

            let unsafeSegment = try await admin.get("/content/kleine-cursus/1/pages/..%5Csecret.txt")
            #expect(unsafeSegment.status == .badRequest, "a backslash in a segment never reaches the store")
            for path in ["/content/kleine-cursus/1/../secret.txt", "/content/kleine-cursus/1/..%2Fsecret.txt",
                         "/content/kleine-cursus/1/%2e%2e/secret.txt", "/content/kleine-cursus/1/pages/..%5C..%5Csecret.txt",
                         "/content/kleine-cursus/1/./index.html", "/content/kleine-cursus/1/%2Fetc%2Fpasswd"] {
                let response = try await admin.get(path)

                // The file middleware in front already answers 403 to "../"; the route itself refuses the rest.
                #expect([.badRequest, .forbidden, .notFound].contains(response.status), "\(path) -> \(response.status)")
                #expect(!response.body.string.contains("geheim"))
            }
        }
    }
}
