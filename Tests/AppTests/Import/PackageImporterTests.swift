@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The importer end to end on both databases: real packages in, rows and stored files out; refusals and
/// dry runs write nothing; re-imports are idempotent, also when they race.
@Suite struct PackageImporterTests {
    struct Written: Equatable {
        var courses: Int
        var versions: Int
        /// "<course-id>/<number>" folders in the content store.
        var storedVersions: [String]
        var stagingLeftovers: [String]
    }

    static func written(_ app: Application) async throws -> Written {
        let manager = FileManager.default
        let data = URL(fileURLWithPath: app.academySettings.dataDirectory)
        let content = data.appendingPathComponent("content")
        var stored: [String] = []
        for course in (try? manager.contentsOfDirectory(atPath: content.path)) ?? [] where !course.hasPrefix(".") {
            for version in try manager.contentsOfDirectory(atPath: content.appendingPathComponent(course).path) {
                stored.append("\(course)/\(version)")
            }
        }
        return Written(courses: try await Course.query(on: app.db).count(),
                       versions: try await CourseVersion.query(on: app.db).count(),
                       storedVersions: stored.sorted(),
                       stagingLeftovers: (try? manager.contentsOfDirectory(atPath: data.appendingPathComponent("staging").path)) ?? [])
    }

    static let nothing = Written(courses: 0, versions: 0, storedVersions: [], stagingLeftovers: [])

    static func storedFile(_ app: Application, _ outcome: ImportOutcome, _ path: String) throws -> String? {
        let courseID = try #require(outcome.courseID)
        let number = try #require(outcome.versionNumber)
        let url = FileContentStore(dataDirectory: app.academySettings.dataDirectory).folder(courseID: courseID, version: number)
            .appendingPathComponent(path)
        return try? String(contentsOf: url, encoding: .utf8)
    }

    @Test(arguments: TestDatabase.all)
    func aSCORM12ZipBecomesADraftCourseWithItsFiles(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(folder: ImportFixtures.scorm12)

            let outcome = try await app.importPackage(at: zip)

            #expect(outcome.status == .created, "\(outcome.report.issues)")
            #expect(outcome.plan == .newCourse(slug: "wondzorg"))
            #expect(outcome.versionNumber == 1 && !outcome.published)
            #expect(outcome.report.issues(withCode: "file.missing").count == 1, "content/missing.css is listed but absent: a warning")
            let course = try #require(try await Course.query(on: app.db).with(\.$versions).first())
            #expect(course.status == .draft && course.$currentVersion.id == nil)
            #expect(course.packageIdentifier == "vivel.wondzorg.scorm12")
            #expect(course.versions.map(\.standard) == ["scorm-1.2"])
            #expect(course.versions.first?.contentHash == outcome.contentHash)
            #expect(try Self.storedFile(app, outcome, "content/Page One.html") != nil)
            #expect(try Self.storedFile(app, outcome, "shared/api.js") != nil)
            #expect(outcome.fileCount == 8)
            #expect(try await Self.written(app).stagingLeftovers.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCmi5ZipIsImported(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(folder: ImportFixtures.cmi5)

            let outcome = try await app.importPackage(at: zip, options: .init(publish: true))

            #expect(outcome.status == .created, "\(outcome.report.issues)")
            #expect(outcome.published)
            let version = try #require(try await CourseVersion.query(on: app.db).first())
            #expect(version.standard == "cmi5" && version.publishedAt != nil)
            #expect(try await CourseModule.query(on: app.db).filter(\.$kind == "au").count() == 3)
            #expect(try Self.storedFile(app, outcome, "cases/case1.html") != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCourseXMLZipIsImportedAndPublished(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(folder: ImportFixtures.courseFolder)

            let outcome = try await app.importPackage(at: zip, options: .init(publish: true))
            let catalogue = try await Browser(app).get("/").body.string

            #expect(outcome.status == .created, "\(outcome.report.issues)")
            #expect(outcome.slug == "doelgerichte-zorg" && outcome.published)
            #expect(try Self.storedFile(app, outcome, "pages/01-wat-is-doelgerichte-zorg.html")?.contains("<") == true)
            #expect(try Self.storedFile(app, outcome, "course.xml") != nil)
            #expect(catalogue.contains("Doelgerichte zorg"), "the catalogue shows the course at once")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPackageInOneTopLevelFolderIsReadFromThatFolder(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(folder: ImportFixtures.cmi5, prefix: "Antibiotica export/",
                                       extra: [.text("__MACOSX/Antibiotica export/._cmi5.xml", "fork"), .text("Antibiotica export/.DS_Store", "x")])

            let outcome = try await app.importPackage(at: zip)

            #expect(outcome.status == .created, "\(outcome.report.issues)")
            #expect(try Self.storedFile(app, outcome, "intro/index.html") != nil, "paths are relative to the folder")
            #expect(try Self.storedFile(app, outcome, "Antibiotica export/intro/index.html") == nil)
            #expect(outcome.report.issues(withCode: "package.reroot.outside").isEmpty, "macOS clutter is not another top-level entry")
            #expect(outcome.fileCount == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFolderIsImportedAsItIs(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let folder = try TestZip.copy(folder: ImportFixtures.courseFolder)

            let outcome = try await app.importPackage(at: folder)
            let again = try await app.importPackage(at: folder)

            #expect(outcome.status == .created && again.status == .unchanged)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("course.xml").path), "the folder stays")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDryRunSaysWhatWouldHappenAndWritesNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let first = try TestZip.make(ImportFixtures.smallScorm())
            let changed = try TestZip.make(ImportFixtures.smallScorm(page: "<html><body>Nieuw</body></html>"))

            let newCourse = try await app.importPackage(at: first, options: .init(dryRun: true))
            let afterDryRun = try await Self.written(app)
            _ = try await app.importPackage(at: first)
            let identical = try await app.importPackage(at: first, options: .init(dryRun: true))
            let newVersion = try await app.importPackage(at: changed, options: .init(dryRun: true))
            let afterAll = try await Self.written(app)

            #expect(newCourse.status == .dryRun && newCourse.plan == .newCourse(slug: "kleine-cursus"))
            #expect(afterDryRun == Self.nothing)
            #expect(identical.plan == .identical(slug: "kleine-cursus", number: 1))
            #expect(newVersion.plan == .newVersion(slug: "kleine-cursus", number: 2))
            #expect(afterAll.versions == 1 && afterAll.storedVersions.count == 1 && afterAll.stagingLeftovers.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func importingIdenticalContentAgainChangesNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(ImportFixtures.smallScorm())
            let sameContentNewZip = try TestZip.make(ImportFixtures.smallScorm().reversed())

            let first = try await app.importPackage(at: zip)
            let before = try await Self.written(app)
            let second = try await app.importPackage(at: zip)
            let third = try await app.importPackage(at: sameContentNewZip)

            #expect(first.status == .created)
            #expect(second.status == .unchanged && second.versionNumber == 1 && second.courseID == first.courseID)
            #expect(third.status == .unchanged, "entry order in the zip does not matter")
            #expect(try await Self.written(app) == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changedContentBecomesVersionTwoAndPublishedStaysCurrentUntilPublished(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let first = try TestZip.make(ImportFixtures.smallScorm())
            let changed = try TestZip.make(ImportFixtures.smallScorm(page: "<html><body>Nieuw</body></html>"))

            let v1 = try await app.importPackage(at: first, options: .init(publish: true))
            let v2 = try await app.importPackage(at: changed)
            let currentAfterDraft = try await Course.query(on: app.db).with(\.$currentVersion).first()?.currentVersion?.number
            let published = try await app.importPackage(at: changed, options: .init(publish: true))
            let currentAfterPublish = try await Course.query(on: app.db).with(\.$currentVersion).first()?.currentVersion?.number

            #expect(v1.versionNumber == 1 && v1.published)
            #expect(v2.status == .created && v2.versionNumber == 2 && v2.plan == .newVersion(slug: "kleine-cursus", number: 2))
            #expect(!v2.published && currentAfterDraft == 1, "a draft does not replace the published version")
            #expect(published.status == .unchanged && published.published && currentAfterPublish == 2)
            #expect(try Self.storedFile(app, v2, "index.html")?.contains("Nieuw") == true)
            #expect(try Self.storedFile(app, v1, "index.html")?.contains("Hallo") == true, "version 1's files stay")
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentImportsOfOnePackageYieldOneVersion(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(ImportFixtures.smallScorm())
            let changed = try TestZip.make(ImportFixtures.smallScorm(page: "<html><body>Nieuw</body></html>"))

            let firstWave = try await Self.importInParallel(app, zip, times: 4)
            let secondWave = try await Self.importInParallel(app, changed, times: 8)
            let written = try await Self.written(app)

            #expect(firstWave.filter { $0.status == .created }.count == 1, "\(firstWave.map(\.status))")
            #expect(Set(firstWave.map(\.versionNumber)) == [1])
            #expect(secondWave.filter { $0.status == .created }.count == 1, "\(secondWave.map(\.status))")
            #expect(Set(secondWave.map(\.versionNumber)) == [2])
            #expect(written.courses == 1 && written.versions == 2)
            #expect(written.storedVersions.count == 2 && written.stagingLeftovers.isEmpty)
        }
    }

    static func importInParallel(_ app: Application, _ zip: URL, times: Int) async throws -> [ImportOutcome] {
        try await withThrowingTaskGroup(of: ImportOutcome.self) { group in
            for _ in 0..<times {
                group.addTask { try await app.importPackage(at: zip) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func hostileZipsAreRefusedWithTheirReasonAndWriteNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let good = ImportFixtures.smallScorm()
            let encrypted = try TestZip.make(good + [.text("secret.html", "x")])
            try TestZip.setFlags(encrypted, entry: "secret.html", set: 1)
            let notZip = TestZip.temporaryURL()
            try Data("plain text".utf8).write(to: notZip)
            let cases: [(String, URL)] = [
                ("archive.entry.outside", try TestZip.make(good + [.text("../../escape.html", "x")])),
                ("archive.entry.outside", try TestZip.make(good + [.text("C:\\escape.html", "x")])),
                ("archive.entry.symlink", try TestZip.make(good + [.symlink("link", target: "/etc/passwd")])),
                ("archive.entry.caseCollision", try TestZip.make(good + [.text("INDEX.html", "x")])),
                ("archive.entry.encrypted", encrypted),
                ("archive.entry.ratio", try TestZip.make(good + [.file("bomb.bin", Data(count: 4 << 20))])),
                ("archive.notZip", notZip),
            ]

            for (code, zip) in cases {
                let outcome = try await app.importPackage(at: zip)

                #expect(outcome.status == .refused, "\(code)")
                #expect(outcome.report.errors.map(\.code) == [code])
                #expect(outcome.report.errors.first?.hint != nil)
            }
            #expect(try await Self.written(app) == Self.nothing)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPackageWhoseLaunchFileIsMissingIsRefusedWithTheFullReport(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(ImportFixtures.smallScorm().filter {
                if case .file(let path, _, _) = $0 { return path != "index.html" }
                return true
            })

            let outcome = try await app.importPackage(at: zip)

            #expect(outcome.status == .refused)
            #expect(outcome.report.issues(withCode: "launch.missing").count == 1)
            #expect(try await Self.written(app) == Self.nothing)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCourseFolderMissingAPageIsRefused(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let folder = try TestZip.copy(folder: ImportFixtures.courseFolder)
            try FileManager.default.removeItem(at: folder.appendingPathComponent("pages/02-het-gesprek-over-wat-telt.html"))
            let zip = try TestZip.make(folder: folder)

            let outcome = try await app.importPackage(at: zip)

            #expect(outcome.status == .refused)
            #expect(outcome.report.errors.contains { $0.message.contains("02-het-gesprek-over-wat-telt.html") })
            #expect(try await Self.written(app) == Self.nothing)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aZipWithoutManifestIsRefused(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make([.text("index.html", "hallo")])

            let outcome = try await app.importPackage(at: zip)

            #expect(outcome.status == .refused)
            #expect(outcome.report.errors.map(\.code) == ["package.manifest.missing"])
            #expect(try await Self.written(app) == Self.nothing)
        }
    }

    /// Stores like the file store, then fails: the rows roll back and the stored files go.
    struct FailingStore: ContentStore {
        let inner: FileContentStore
        struct Failure: Error {}

        func store(_ files: [String], from source: URL, courseID: UUID, version: Int, sourceIsPrivate: Bool) async throws {
            try await inner.store(files, from: source, courseID: courseID, version: version, sourceIsPrivate: sourceIsPrivate)
            throw Failure()
        }
        func remove(courseID: UUID, version: Int) async throws { try await inner.remove(courseID: courseID, version: version) }
        func contains(courseID: UUID, version: Int) async throws -> Bool { try await inner.contains(courseID: courseID, version: version) }
        func locate(courseID: UUID, version: Int, path: String) async throws -> ContentLocation {
            try await inner.locate(courseID: courseID, version: version, path: path)
        }
    }

    @Test(arguments: TestDatabase.all)
    func whenStoringFilesFailsTheVersionIsRolledBack(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            app.contentStore = FailingStore(inner: FileContentStore(dataDirectory: app.academySettings.dataDirectory))
            let zip = try TestZip.make(ImportFixtures.smallScorm())

            await #expect(throws: FailingStore.Failure.self) {
                _ = try await app.importPackage(at: zip)
            }
            #expect(try await Self.written(app) == Self.nothing)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anIdenticalVersionWithoutStoredFilesGetsThem(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(ImportFixtures.smallScorm())
            let first = try await app.importPackage(at: zip)
            try await app.contentStore.remove(courseID: try #require(first.courseID), version: 1)

            let again = try await app.importPackage(at: zip)

            #expect(again.status == .unchanged)
            #expect(try Self.storedFile(app, again, "index.html")?.contains("Hallo") == true)
        }
    }
}
