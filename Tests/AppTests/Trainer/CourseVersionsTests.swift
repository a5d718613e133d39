@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Ownership when publishing, the version history, previews of drafts, publishing and restoring versions,
/// and moving learners in progress to the current version, through the real app.
@Suite struct CourseVersionsTests {
    /// A SCORM 1.2 package whose items are `items` (identifier, title), one page each.
    static func package(_ identifier: String, items: [(String, String)], title: String = "Versiecursus") -> [TestZip.Entry] {
        let itemXML = items.map { #"<item identifier="\#($0.0)" identifierref="r-\#($0.0)"><title>\#($0.1)</title></item>"# }.joined()
        let resources = items.map {
            #"<resource identifier="r-\#($0.0)" type="webcontent" adlcp:scormtype="sco" href="\#($0.0).html"><file href="\#($0.0).html"/></resource>"#
        }.joined()
        let manifest = PackageFixtures.scorm12("""
        <organizations default="org"><organization identifier="org"><title>\(title)</title>\(itemXML)</organization></organizations>
        <resources>\(resources)</resources>
        """, identifier: identifier)
        return [.text("imsmanifest.xml", manifest)] + items.map { .text("\($0.0).html", "<p>\($0.1)</p>") }
    }

    static func upload(_ browser: Browser, _ entries: [TestZip.Entry], publish: Bool) async throws -> TestingHTTPResponse {
        let zip = try Data(contentsOf: try TestZip.make(entries))
        let report = try await browser.upload("/trainer/packages", field: "package", fileName: "cursus.zip", data: zip)
        let action = try #require(TrainerUploadTests.uploadAction(in: report.body.string), "\(report.body.string)")
        return try await browser.post(action, form: ["publish": publish ? "1" : "0"])
    }

    static func course(_ app: Application, _ identifier: String) async throws -> Course {
        try #require(try await Course.query(on: app.db).filter(\.$packageIdentifier == identifier).with(\.$currentVersion).first())
    }

    // MARK: Ownership

    @Test(arguments: TestDatabase.all)
    func trainerWhoUploadsANewCourseOwnsItAndIsNamedAsImporter(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await TrainerUploadTests.signIn(app, role: .trainer)

            let published = try await Self.upload(browser, Self.package("own.one", items: [("a", "Een")]), publish: true)

            #expect(published.status == .seeOther)
            let course = try await Self.course(app, "own.one")
            let owners = try await CourseOwnership(database: app.db).owners(of: course.requireID())
            #expect(owners.map(\.email) == ["trainer@vivel.test"])
            #expect(course.currentVersion?.importedByID == owners.first?.id)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTrainerWhoDoesNotOwnTheCourseIsRefusedWithTheOwnersNamedAndAdminsAreNot(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let owner = try await TrainerUploadTests.signIn(app, role: .trainer, email: "owner@vivel.test")
            _ = try await Self.upload(owner, Self.package("own.two", items: [("a", "Een")]), publish: true)
            let other = try await TrainerUploadTests.signIn(app, role: .trainer, email: "other@vivel.test")
            let changed = try Data(contentsOf: try TestZip.make(Self.package("own.two", items: [("a", "Een"), ("b", "Twee")])))

            let refused = try await other.upload("/trainer/packages", field: "package", fileName: "v2.zip", data: changed)

            #expect(refused.status == .unprocessableEntity)
            let page = refused.body.string
            #expect(page.contains("owner@vivel.test"), "the report names who owns the course")
            #expect(page.contains("beheerder"), "and says to ask an admin (in Dutch, the page's language)")
            #expect(!page.contains(#"name="publish""#))
            #expect(try await CourseVersion.query(on: app.db).count() == 1)
            #expect(TrainerUploadTests.uploadsLeft(app).isEmpty)

            let admin = try await TrainerUploadTests.signIn(app, role: .admin, email: "admin@vivel.test")
            let accepted = try await admin.upload("/trainer/packages", field: "package", fileName: "v2.zip", data: changed)
            #expect(accepted.status == .ok)
            #expect(accepted.body.string.contains(#"name="publish""#))

            let coOwner = try await TrainerUploadTests.signIn(app, role: .trainer, email: "co@vivel.test")
            let course = try await Self.course(app, "own.two")
            let coOwnerID = try #require(try await User.query(on: app.db).filter(\.$email == "co@vivel.test").first()?.id)
            try await CourseOwnership(database: app.db).addOwner(courseID: course.requireID(), userID: coOwnerID)
            let asCoOwner = try await coOwner.upload("/trainer/packages", field: "package", fileName: "v2.zip", data: changed)
            #expect(asCoOwner.status == .ok, "co-owners may add versions")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCommandLineNamesTheOwnerOfANewCourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await TrainerUploadTests.signIn(app, role: .trainer, email: "cli@vivel.test")
            let zip = try TestZip.make(Self.package("own.cli", items: [("a", "Een")]))
            let captured = ImportCommandTests.Captured()

            try await ImportCommand.run(path: zip.path, dryRun: false, publish: true, owner: "CLI@vivel.test", app: app, output: captured.output)

            let course = try await Self.course(app, "own.cli")
            #expect(try await CourseOwnership(database: app.db).owners(of: course.requireID()).map(\.email) == ["cli@vivel.test"])
            await #expect(throws: CommandFailure.self) {
                try await ImportCommand.run(path: zip.path, dryRun: false, publish: false, owner: "nobody@vivel.test", app: app, output: captured.output)
            }
        }
    }

    // MARK: History, preview, publish, restore

    @Test(arguments: TestDatabase.all)
    func historyListsEveryVersionMarksTheCurrentOneAndIsForOwnersAndAdminsOnly(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let owner = try await TrainerUploadTests.signIn(app, role: .trainer)
            _ = try await Self.upload(owner, Self.package("hist.one", items: [("a", "Een")]), publish: true)
            let saved = try await Self.upload(owner, Self.package("hist.one", items: [("a", "Een"), ("b", "Twee")]), publish: false)
            let slug = try await Self.course(app, "hist.one").slug
            #expect(saved.headers.first(name: .location) == "/trainer/courses/\(slug)/versions", "a draft leads to its history")

            let page = try await owner.get("/trainer/courses/\(slug)/versions")

            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("als concept bewaard"), "the notice of the draft")
            #expect(html.contains("Huidige versie") && html.contains("Concept"))
            #expect(html.contains(#"aria-current="true""#))
            #expect(html.contains("Tess Trainer &lt;trainer@vivel.test&gt;") || html.contains("Tess Trainer <trainer@vivel.test>"))
            let hashes = try await CourseVersion.query(on: app.db).all().map { String($0.contentHash.prefix(12)) }
            #expect(hashes.allSatisfy { html.contains($0) }, "short content hashes")
            #expect(html.contains("SCORM 1.2"))
            #expect(html.contains("/trainer/courses/\(slug)/versions/2/publish"))
            #expect(!html.contains("/trainer/courses/\(slug)/versions/1/publish"), "the current version has no button")

            let stranger = try await TrainerUploadTests.signIn(app, role: .trainer, email: "stranger@vivel.test")
            #expect(try await stranger.get("/trainer/courses/\(slug)/versions").status == .forbidden)
            #expect(try await stranger.post("/trainer/courses/\(slug)/versions/2/publish", form: [:]).status == .forbidden)
            let learner = try await TrainerUploadTests.signIn(app, role: .learner, email: "learner@vivel.test")
            #expect(try await learner.get("/trainer/courses/\(slug)/versions/2").status == .forbidden)
            let admin = try await TrainerUploadTests.signIn(app, role: .admin, email: "admin@vivel.test")
            #expect(try await admin.get("/trainer/courses/\(slug)/versions").status == .ok)
            #expect(try await owner.get("/trainer/courses/does-not-exist/versions").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDraftOnlyCourseHasAPreviewAndCanBePublishedFromIt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let owner = try await TrainerUploadTests.signIn(app, role: .trainer)
            _ = try await Self.upload(owner, Self.package("draft.only", items: [("a", "Eerste pagina"), ("b", "Tweede pagina")],
                                                          title: "Conceptcursus"), publish: false)
            let slug = try await Self.course(app, "draft.only").slug
            #expect(try await Browser(app).get("/courses/\(slug)").status == .notFound, "learners do not see a draft")

            let preview = try await owner.get("/trainer/courses/\(slug)/versions/1")

            #expect(preview.status == .ok)
            let html = preview.body.string
            #expect(html.contains("Conceptcursus") && html.contains("Eerste pagina") && html.contains("Tweede pagina"))
            #expect(html.contains("Concept"))
            #expect(html.contains(#"action="/trainer/courses/\#(slug)/versions/1/publish""#))
            #expect(try await owner.get("/trainer/courses/\(slug)/versions/7").status == .notFound)

            let published = try await owner.post("/trainer/courses/\(slug)/versions/1/publish", form: [:])
            #expect(published.status == .seeOther)
            let coursePage = try await Browser(app).get("/courses/\(slug)")
            #expect(coursePage.status == .ok)
            #expect(coursePage.body.string.contains("Versie 1 van"), "the course page shows the version and its date")
            #expect(try await Browser(app).get("/").body.string.contains("Conceptcursus"), "the catalogue is refreshed")
        }
    }

    @Test(arguments: TestDatabase.all)
    func restoringAnEarlierVersionChangesWhatNewLearnersGetAndDeletesNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let owner = try await TrainerUploadTests.signIn(app, role: .trainer)
            _ = try await Self.upload(owner, Self.package("restore.one", items: [("a", "Een")]), publish: true)
            _ = try await Self.upload(owner, Self.package("restore.one", items: [("a", "Een"), ("b", "Twee")]), publish: true)
            let course = try await Self.course(app, "restore.one")
            #expect(course.currentVersion?.number == 2)
            let learner = try await TrainerUploadTests.signIn(app, role: .learner, email: "learner@vivel.test")
            #expect(try await learner.post("/courses/\(course.slug)/enrol", form: [:]).status == .seeOther)

            let restored = try await owner.post("/trainer/courses/\(course.slug)/versions/1/publish", form: [:])

            #expect(restored.status == .seeOther)
            #expect(try await Self.course(app, "restore.one").currentVersion?.number == 1)
            #expect(try await CourseVersion.query(on: app.db).count() == 2, "nothing is deleted")
            let enrolment = try #require(try await Enrolment.query(on: app.db).with(\.$version).first())
            #expect(enrolment.version.number == 2, "the learner in progress keeps the version they started")
            let history = try await owner.get("/trainer/courses/\(course.slug)/versions")
            #expect(history.body.string.contains("is teruggezet"))
            #expect(history.body.string.contains("Terugzetten"), "version 2 can be restored in turn")
            #expect(history.body.string.contains("/trainer/courses/\(course.slug)/versions/migrate"), "offers to move the learner")
            #expect(try await Browser(app).get("/courses/\(course.slug)").body.string.contains("Versie 1 van"))

            let again = try await owner.post("/trainer/courses/\(course.slug)/versions/1/publish", form: [:])
            #expect(again.status == .seeOther)
            #expect(try await owner.get("/trainer/courses/\(course.slug)/versions").body.string.contains("was al de huidige versie"))
        }
    }

    // MARK: Moving learners

    @Test(arguments: TestDatabase.all)
    func movingLearnersCarriesTheirAttemptsByModuleKeyAndLeavesCompletedOnesAlone(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let owner = try await TrainerUploadTests.signIn(app, role: .trainer)
            _ = try await Self.upload(owner, Self.package("move.one", items: [("a", "Blijft"), ("b", "Verdwijnt")]), publish: true)
            let v1 = try #require(try await Self.course(app, "move.one").currentVersion)
            let courseID = v1.$course.id
            func learner(_ email: String, status: Enrolment.Status) async throws -> Enrolment {
                let user = User(email: email, name: email, passwordHash: "x", role: .learner, profession: "gp")
                try await user.save(on: app.db)
                let enrolment = Enrolment(userID: try user.requireID(), courseID: courseID, versionID: try v1.requireID())
                enrolment.status = status
                try await enrolment.save(on: app.db)
                return enrolment
            }
            let busy = try await learner("busy@vivel.test", status: .active)
            let done = try await learner("done@vivel.test", status: .completed)
            for (enrolment, key) in [(busy, "a"), (busy, "b"), (done, "a")] {
                let attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: key, kind: .sco)
                attempt.completion = .completed
                try await attempt.save(on: app.db)
            }
            _ = try await Self.upload(owner, Self.package("move.one", items: [("a", "Blijft"), ("c", "Nieuw")]), publish: true)
            let slug = try await Self.course(app, "move.one").slug

            let plan = try await owner.get("/trainer/courses/\(slug)/versions/migrate")

            #expect(plan.status == .ok)
            let html = plan.body.string
            #expect(html.contains("Van versie 1: 1 deelnemer"))
            #expect(html.contains("1 pogingen tellen verder mee; 1 pogingen"), "\(html)")
            #expect(html.contains("Blijft") && html.contains("Verdwijnt") && html.contains("Nieuw"))

            let moved = try await owner.post("/trainer/courses/\(slug)/versions/migrate", form: [:])

            #expect(moved.status == .seeOther)
            let busyNow = try #require(try await Enrolment.query(on: app.db).filter(\.$id == busy.requireID()).with(\.$version).first())
            let doneNow = try #require(try await Enrolment.query(on: app.db).filter(\.$id == done.requireID()).with(\.$version).first())
            #expect(busyNow.version.number == 2)
            #expect(doneNow.version.number == 1, "completed learners keep the version they completed")
            #expect(try await ModuleAttempt.query(on: app.db).count() == 3, "no attempt is deleted or copied")
            let progress = try await CompletionRecorder(database: app.db).progress(of: busyNow)
            #expect(!progress.complete, "module c is new and not done")
            let history = try await owner.get("/trainer/courses/\(slug)/versions")
            #expect(history.body.string.contains("1 deelnemers volgen nu versie 2"))
            #expect(!history.body.string.contains("/versions/migrate\""), "nobody is left behind")
        }
    }

    @Test func thePlanSortsModulesIntoCarriedChangedDroppedAndNew() {
        let module = { (key: String, kind: String) in LearnerMigrationPlan.Module(key: key, kind: kind, title: ["nl": key]) }
        let plan = LearnerMigrationPlan(
            targetNumber: 3,
            targetModules: [module("folder", "folder"), module("a", "page"), module("b", "sco"), module("new", "quiz")],
            sources: [
                .init(number: 1, modules: [module("a", "page"), module("b", "page"), module("gone", "video")], learners: 4,
                      attempts: ["a": 4, "b": 2, "gone": 3]),
                .init(number: 2, modules: [module("a", "page")], learners: 0, attempts: [:]),
                .init(number: 3, modules: [module("a", "page")], learners: 9, attempts: ["a": 9]),
            ])

        #expect(plan.learners == 4, "only earlier versions with learners count")
        let group = try! #require(plan.groups.first)
        #expect(plan.groups.count == 1)
        #expect(group.carried.map(\.key) == ["a"])
        #expect(group.changedKind.map(\.key) == ["b"])
        #expect(group.dropped.map(\.key) == ["gone"])
        #expect(group.added.map(\.key) == ["new"], "folders are not modules one starts")
        #expect(group.attemptsCarried == 6)
        #expect(group.attemptsSetAside == 3)
    }

    // MARK: Stale uploads

    @Test func staleUploadsGoAfterTheirAgeByAnInjectedClock() throws {
        let uploads = PackageUploads(dataDirectory: NSTemporaryDirectory() + "academy-stale-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: uploads.root.deletingLastPathComponent()) }
        let checked = PackageUploads.makeID()
        try Data("zip".utf8).write(to: try uploads.create(checked))
        try uploads.saveMetadata(.init(userID: UUID(), fileName: "a.zip", createdAt: Date()), for: checked)
        let arriving = PackageUploads.makeID()
        try Data("half".utf8).write(to: try uploads.create(arriving))
        let now = Date()

        #expect(uploads.removeStale(maxAge: 3600, now: now.addingTimeInterval(3000)).isEmpty)
        #expect(uploads.metadata(for: checked) != nil)
        let removed = uploads.removeStale(maxAge: 3600, now: now.addingTimeInterval(3700))

        #expect(Set(removed) == [checked, arriving])
        #expect(uploads.metadata(for: checked) == nil)
        #expect(!FileManager.default.fileExists(atPath: uploads.folder(arriving).path))
    }

    @Test(arguments: TestDatabase.all)
    func aNewUploadSweepsUploadsOlderThanTheConfiguredAge(database: TestDatabase) async throws {
        try await withAcademy(database, settings: { $0.uploadMaxAge = 2 * 3600 }) { app in
            let uploads = PackageUploads(dataDirectory: app.academySettings.dataDirectory)
            let old = PackageUploads.makeID()
            let recent = PackageUploads.makeID()
            for (id, age) in [(old, 3.0 * 3600), (recent, 1.0 * 3600)] {
                let file = try uploads.create(id)
                try Data("zip".utf8).write(to: file)
                let then = Date().addingTimeInterval(-age)
                try uploads.saveMetadata(.init(userID: UUID(), fileName: "x.zip", createdAt: then), for: id)
                for path in [file.path, uploads.folder(id).appendingPathComponent("upload.json").path, uploads.folder(id).path] {
                    try FileManager.default.setAttributes([.modificationDate: then], ofItemAtPath: path)
                }
            }
            let browser = try await TrainerUploadTests.signIn(app, role: .trainer)

            let report = try await browser.upload("/trainer/packages", field: "package", fileName: "n.zip",
                                                  data: try Data(contentsOf: try TestZip.make(Self.package("sweep.one", items: [("a", "Een")]))))

            #expect(report.status == .ok)
            let left = Set(TrainerUploadTests.uploadsLeft(app))
            #expect(!left.contains(old))
            #expect(left.contains(recent))
            #expect(left.count == 2, "the recent one and the new one")
        }
    }

    @Test func versionRoutesReachRegisteredRoutes() async throws {
        try await withAcademy(.sqlite) { app in
            let registered = Set(app.routes.all.map { "\($0.method) /" + $0.path.map(\.description).joined(separator: "/") })
            let samples: [(String, TrainerRoute, String)] = [
                ("GET", .versions(slug: "x"), "/trainer/courses/:slug/versions"),
                ("GET", .versionsPreview(slug: "x", number: 2), "/trainer/courses/:slug/versions/:number"),
                ("POST", .versionsPublish(slug: "x", number: 2), "/trainer/courses/:slug/versions/:number/publish"),
                ("GET", .versionsMigration(slug: "x"), "/trainer/courses/:slug/versions/migrate"),
                ("POST", .versionsMigration(slug: "x"), "/trainer/courses/:slug/versions/migrate"),
            ]
            for (method, route, pattern) in samples {
                #expect(registered.contains("\(method) \(pattern)"), "\(method) \(pattern)")
                #expect(SiteRoute.trainer(route).path.hasPrefix("/trainer/courses/x/versions"))
            }
        }
    }
}
