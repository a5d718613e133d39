@testable import App
import Fluent
import Foundation
import NIOPosix
import Testing
import VaporTesting

/// The trainer's upload flow in the browser: upload, dry-run report and preview, publish or save as draft.
@Suite struct TrainerUploadTests {
    static func signIn(_ app: Application, role: User.Role, email: String = "trainer@vivel.test") async throws -> Browser {
        let user = User(email: email, name: "Tess Trainer", passwordHash: try app.password.hash("een lang wachtwoord"),
                        role: role, profession: "gp")
        try await user.save(on: app.db)
        let browser = Browser(app)
        let response = try await browser.post("/login", form: ["email": email, "password": "een lang wachtwoord"])
        #expect(response.status == .seeOther, "signed in as \(email)")
        return browser
    }

    static func uploadsLeft(_ app: Application) -> [String] {
        let root = PackageUploads(dataDirectory: app.academySettings.dataDirectory).root.path
        return (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    }

    /// The upload id in the report's publish form ("/trainer/packages/<id>").
    static func uploadAction(in page: String) -> String? {
        guard let range = page.range(of: #"action="/trainer/packages/[0-9a-f]{32}""#, options: .regularExpression) else { return nil }
        return String(page[range].dropFirst(#"action=""#.count).dropLast())
    }

    @Test(arguments: TestDatabase.all)
    func trainerUploadsSeesPreviewPublishesAndFindsTheCourseInTheCatalogue(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await Self.signIn(app, role: .trainer)
            let form = try await browser.get("/trainer/packages")
            #expect(form.status == .ok)
            #expect(form.body.string.contains(#"enctype="multipart/form-data""#))
            #expect(form.body.string.contains("/trainer/packages?_csrf="))
            #expect(form.body.string.contains(#"href="/workspace""#), "the layout links to the workspace, which links here")

            let zip = try Data(contentsOf: try TestZip.make(ImportFixtures.smallScorm(identifier: "test.upload")))
            let report = try await browser.upload("/trainer/packages", field: "package", fileName: "kleine-cursus.zip", data: zip)

            #expect(report.status == .ok)
            let page = report.body.string
            #expect(page.contains("Kleine cursus"), "the preview shows the title")
            #expect(page.contains("Pagina"), "the preview lists the modules")
            #expect(page.contains("kleine-cursus.zip"))
            #expect(page.contains("Nieuwe cursus"), "the plan says a new course is made")
            #expect(try await Course.query(on: app.db).count() == 0, "a dry run writes nothing")
            let action = try #require(Self.uploadAction(in: page))

            let published = try await browser.post(action, form: ["publish": "1"])
            #expect(published.status == .seeOther)
            let location = try #require(published.headers.first(name: .location))
            #expect(location.hasPrefix("/courses/"))
            let coursePage = try await browser.get(location)
            #expect(coursePage.status == .ok)
            #expect(coursePage.body.string.contains("is gepubliceerd"), "the course page shows the notice")
            let catalogue = try await Browser(app).get("/")
            #expect(catalogue.body.string.contains("Kleine cursus"))
            #expect(Self.uploadsLeft(app).isEmpty, "the upload is removed after the import")

            let again = try await browser.post(action, form: ["publish": "1"])
            #expect(again.status == .notFound, "an upload is imported once")
        }
    }

    @Test(arguments: TestDatabase.all)
    func savingAsDraftKeepsTheCourseOutOfTheCatalogue(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await Self.signIn(app, role: .admin, email: "admin@vivel.test")
            let zip = try Data(contentsOf: try TestZip.make(ImportFixtures.smallScorm(identifier: "test.draft")))
            let report = try await browser.upload("/trainer/packages", field: "package", fileName: "concept.zip", data: zip)
            let action = try #require(Self.uploadAction(in: report.body.string))

            let saved = try await browser.post(action, form: ["publish": "0"])

            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers.first(name: .location))
            #expect(location.hasPrefix("/trainer/courses/") && location.hasSuffix("/versions"), "the draft's version history")
            let versions = try await CourseVersion.query(on: app.db).all()
            #expect(versions.count == 1)
            let notice = try await browser.get(location)
            #expect(notice.body.string.contains("als concept bewaard"))
            #expect(!(try await Browser(app).get("/")).body.string.contains("Kleine cursus"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func brokenPackageShowsTheReportWithLineAndHintAndWritesNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await Self.signIn(app, role: .trainer)
            let manifest = PackageFixtures.scorm12("""
            <organizations default="org"><organization identifier="org"><title>Kapot</title>
            <item identifier="i1" identifierref="nowhere"><title>Pagina</title></item>
            </organization></organizations>
            <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
            <file href="index.html"/></resource></resources>
            """, identifier: "test.broken")
            let zip = try Data(contentsOf: try TestZip.make([.text("imsmanifest.xml", manifest), .text("index.html", "<p>x</p>")]))

            let report = try await browser.upload("/trainer/packages", field: "package", fileName: "kapot.zip", data: zip)

            #expect(report.status == .unprocessableEntity)
            let page = report.body.string
            #expect(page.range(of: #"imsmanifest\.xml:7:\d+"#, options: .regularExpression) != nil, "the error names file, line and column")
            #expect(page.contains("nowhere"), "the message names the offending value")
            #expect(page.contains(#"class="hint""#), "the error says how to fix it")
            #expect(!page.contains(#"name="publish""#), "a refused package cannot be published")
            #expect(try await Course.query(on: app.db).count() == 0)
            #expect(try await CourseVersion.query(on: app.db).count() == 0)
            #expect(Self.uploadsLeft(app).isEmpty, "a refused upload is not kept")
        }
    }

    @Test(arguments: TestDatabase.all)
    func uploadWithoutAFileSaysWhatToDo(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await Self.signIn(app, role: .trainer)
            let response = try await browser.upload("/trainer/packages", field: "other", fileName: "x.zip", data: Data("zip".utf8))
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("Kies eerst een zip-bestand"))
            #expect(Self.uploadsLeft(app).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func learnersGetForbiddenAndTheLinkIsHidden(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await Self.signIn(app, role: .learner, email: "learner@vivel.test")
            let form = try await browser.get("/trainer/packages")
            #expect(form.status == .forbidden)
            let home = try await browser.get("/")
            #expect(!home.body.string.contains(#"href="/trainer/packages""#))
            let zip = try Data(contentsOf: try TestZip.make(ImportFixtures.smallScorm()))
            let upload = try await browser.upload("/trainer/packages", field: "package", fileName: "x.zip", data: zip)
            #expect(upload.status == .forbidden)
            #expect(Self.uploadsLeft(app).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anonymousVisitorsAreSentToLogIn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let response = try await Browser(app).get("/trainer/packages")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func uploadWithoutCSRFTokenIsForbidden(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await Self.signIn(app, role: .trainer)
            let zip = try Data(contentsOf: try TestZip.make(ImportFixtures.smallScorm()))
            let response = try await browser.upload("/trainer/packages", field: "package", fileName: "x.zip", data: zip, csrf: false)
            #expect(response.status == .forbidden)
            let forged = try await browser.upload("/trainer/packages?_csrf=" + String(repeating: "a", count: 43),
                                                  field: "package", fileName: "x.zip", data: zip, csrf: false)
            #expect(forged.status == .forbidden)
            #expect(Self.uploadsLeft(app).isEmpty)
            #expect(try await Course.query(on: app.db).count() == 0)
        }
    }

    @Test func trainerLinksReachRegisteredRoutes() async throws {
        try await withAcademy(.sqlite) { app in
            let registered = app.routes.all.map { "\($0.method) /" + $0.path.map(\.description).joined(separator: "/") }
            #expect(registered.contains("GET " + SiteRoute.trainerPackages.path))
            #expect(registered.contains("POST " + SiteRoute.trainerPackages.path))
            #expect(registered.contains("POST /trainer/packages/:upload"))
            #expect(SiteRoute.trainerUpload(id: "0123456789abcdef0123456789abcdef").path == "/trainer/packages/0123456789abcdef0123456789abcdef")
        }
    }

    /// A body that arrives in small chunks, boundaries split across them, is written to disk byte for byte.
    @Test(arguments: [1, 7, 64, 4096])
    func fileIsReassembledFromChunks(chunkSize: Int) async throws {
        let file = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }) + Data("\r\n--not-the-boundary\r\n".utf8)
        let boundary = "----chunked"
        var body = Data("A preamble, ignored\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"package\"; filename=\"c.zip\"\r\n".utf8)
        body += Data("Content-Type: application/zip\r\n\r\n".utf8) + file + Data("\r\n--\(boundary)--\r\n".utf8)
        let chunks = AsyncStream<ByteBuffer> { continuation in
            var offset = 0
            while offset < body.count {
                let end = min(offset + chunkSize, body.count)
                continuation.yield(ByteBuffer(bytes: body[offset..<end]))
                offset = end
            }
            continuation.finish()
        }
        let destination = TestZip.temporaryURL()
        defer { try? FileManager.default.removeItem(at: destination) }

        let received = try await MultipartFileReceiver(boundary: boundary, field: "package", maxBytes: 1_000_000)
            .receive(chunks, to: destination.path, fileio: NonBlockingFileIO(threadPool: .singleton))

        #expect(received.fileName == "c.zip")
        #expect(received.bytes == Int64(file.count))
        #expect(try Data(contentsOf: destination) == file)
    }

    @Test func fileOverTheLimitIsRefused() async throws {
        let boundary = "b"
        let body = "--b\r\nContent-Disposition: form-data; name=\"package\"; filename=\"big.zip\"\r\n\r\n"
            + String(repeating: "x", count: 2_000) + "\r\n--b--\r\n"
        let chunks = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(string: body))
            continuation.finish()
        }
        let destination = TestZip.temporaryURL()
        defer { try? FileManager.default.removeItem(at: destination) }
        await #expect(throws: MultipartFileReceiver.Failure.self) {
            try await MultipartFileReceiver(boundary: boundary, field: "package", maxBytes: 1_000)
                .receive(chunks, to: destination.path, fileio: NonBlockingFileIO(threadPool: .singleton))
        }
    }

    @Test func uploadIDsAreCheckedStrictly() {
        #expect(PackageUploads.isValidID(PackageUploads.makeID()))
        #expect(!PackageUploads.isValidID("../../etc/passwd"))
        #expect(!PackageUploads.isValidID(String(repeating: "A", count: 32)))
        #expect(!PackageUploads.isValidID(String(repeating: "a", count: 31)))
        #expect(PackageUploads.cleanFileName("C:\\Users\\x\\cursus.zip") == "cursus.zip")
        #expect(MultipartFileReceiver.parameters(#"form-data; name="package"; filename="a \"b\".zip""#)
            == ["name": "package", "filename": #"a "b".zip"#])
    }
}
