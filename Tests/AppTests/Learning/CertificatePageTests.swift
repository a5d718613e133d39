@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The learner's certificate and the public verification page, through the real app.
@Suite struct CertificatePageTests {
    struct Completed {
        let browser: Browser
        let user: User
        let completion: CourseCompletion
    }

    /// A learner who signed in, enrolled and finished the accredited course "Wondzorg".
    static func completed(_ app: Application, registrationNumber: String? = "12345625003") async throws -> Completed {
        var package = TestCourses.package(slug: "wondzorg", title: "Wondzorg thuis",
                                          accreditation: PackageAccreditation(body: "riziv-inami", number: "ACC-123", points: 1.5, rubric: "6"))
        package.modules = [PackageModule(key: "m1", title: ["nl": "Module 1"], kind: .page)]
        let written = try await TestCourses.publish(package, on: app.db)
        let user = User(email: "an@praktijk.be", name: "An Peeters", passwordHash: try app.password.hash("een lang wachtwoord"),
                        role: .learner, profession: "gp", registrationNumber: registrationNumber)
        try await user.create(on: app.db)
        let browser = Browser(app)
        let signIn = try await browser.post("/login", form: ["email": "an@praktijk.be", "password": "een lang wachtwoord"])
        #expect(signIn.status == .seeOther)
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == written.courseID).first())
        let enrolment = Enrolment(userID: try user.requireID(), courseID: written.courseID, versionID: try version.requireID())
        try await enrolment.create(on: app.db)
        let attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: "m1", kind: .page)
        attempt.completion = .completed
        try await attempt.create(on: app.db)
        let completion = try #require(try await CompletionRecorder(database: app.db).attemptChanged(enrolmentID: enrolment.requireID()))
        return Completed(browser: browser, user: user, completion: completion)
    }

    @Test(arguments: TestDatabase.all)
    func theLearnerSeesAPrintableCertificateThatOthersCannotOpen(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await Self.completed(app)
            let path = SiteRoute.certificate(id: try done.completion.requireID()).path
            let code = try #require(done.completion.verificationCode)

            let page = try await done.browser.get(path)
            let other = Browser(app)
            let registered = try await other.post("/register", form: ["name": "Jan", "email": "jan@praktijk.be", "password": "een ander lang wachtwoord",
                                                                      "profession": "gp", "registrationNumber": ""])
            #expect(registered.status == .seeOther)
            let foreign = try await other.get(path)
            let anonymous = try await Browser(app).get(path)

            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("An Peeters") && html.contains("Wondzorg thuis") && html.contains("Getuigschrift"))
            #expect(html.contains("ACC-123") && html.contains("1,5 CP") && html.contains("RIZIV"))
            #expect(html.contains(code) && html.contains("http://localhost:8080/verify/\(code)"))
            #expect(html.contains("<svg") && html.contains("QR-code met het adres"), "the QR code is drawn inline")
            #expect(foreign.status == .notFound, "another learner's certificate is not even confirmed to exist")
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func verificationConfirmsWithoutRevealingMore(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await Self.completed(app)
            let code = try #require(done.completion.verificationCode)
            let visitor = Browser(app)

            let page = try await visitor.get("/verify/\(code)")
            let typed = try await visitor.get("/verify?code=\(code.lowercased().replacingOccurrences(of: "-", with: "+"))")
            let unknown = try await visitor.get("/verify/AAAAA-AAAAA")
            let malformed = try await visitor.get("/verify?code=abc")

            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Dit getuigschrift is echt.") && html.contains("An Peeters") && html.contains("Wondzorg thuis"))
            #expect(!html.contains("12345625003") && !html.contains("an@praktijk.be"), "no registration number or e-mail address")
            #expect(typed.status == .seeOther && typed.headers.first(name: .location) == "/verify/\(code)")
            #expect(unknown.status == .notFound && unknown.body.string.contains("geen getuigschrift"))
            #expect(malformed.status == .unprocessableEntity && malformed.body.string.contains("10 letters en cijfers"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRevokedRecordIsShownAsRevoked(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await Self.completed(app)
            let record = try #require(try await AccreditationRecord.query(on: app.db).first())
            try await RecordCorrection(database: app.db).revoke(code: record.verificationCode, reason: "Dubbel geregistreerd", by: nil)

            let page = try await Browser(app).get("/verify/\(record.verificationCode)")
            let certificate = try await done.browser.get(SiteRoute.certificate(id: try done.completion.requireID()).path)

            #expect(page.body.string.contains("ingetrokken"))
            #expect(!certificate.body.string.contains("ACC-123"), "the certificate no longer lists revoked points")
        }
    }

    @Test(arguments: TestDatabase.all)
    func pointsWaitForTheRegistrationNumberGivenOnTheProfile(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await Self.completed(app, registrationNumber: nil)
            let path = SiteRoute.certificate(id: try done.completion.requireID()).path

            let before = try await done.browser.get(path)
            let saved = try await done.browser.post("/profile", form: ["name": "An Peeters", "email": "an@praktijk.be",
                                                                      "profession": "gp", "registrationNumber": "1-23456-25-003"])
            let after = try await done.browser.get(path)

            #expect(before.body.string.contains("wachten op je RIZIV-nummer") && !before.body.string.contains("ACC-123"))
            #expect(saved.status == .seeOther)
            #expect(after.body.string.contains("ACC-123") && !after.body.string.contains("wachten op je RIZIV-nummer"))
            #expect(try await AccreditationRecord.query(on: app.db).first()?.registrationNumber == "12345625003")
        }
    }
}

@Suite struct LearnerRecordsDownloadTests {
    @Test(arguments: TestDatabase.all)
    func aLearnerDownloadsOnlyTheirOwnRecords(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await CertificatePageTests.completed(app)
            let stranger = Browser(app)
            try await stranger.post("/register", form: ["name": "Jan", "email": "jan@praktijk.be", "password": "een ander lang wachtwoord",
                                                        "profession": "gp", "registrationNumber": ""])

            let json = try await done.browser.get(SiteRoute.myRecords(format: .json).path)
            let excel = try await done.browser.get(SiteRoute.myRecords(format: .csvExcel).path)
            let theirs = try await stranger.get(SiteRoute.myRecords(format: .json).path)
            let anonymous = try await Browser(app).get(SiteRoute.myRecords().path)

            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.body.readableBytesView)) as? [String: Any])
            #expect((document["records"] as? [[String: Any]])?.map { $0["activityNumber"] as? String } == ["ACC-123"])
            #expect(json.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            #expect(excel.body.string.contains("12345625003;An Peeters;gp;"))
            let strangers = try #require(try JSONSerialization.jsonObject(with: Data(theirs.body.readableBytesView)) as? [String: Any])
            #expect((strangers["records"] as? [Any])?.isEmpty == true)
            #expect(anonymous.status == .seeOther)
        }
    }
}

@Suite struct MyLearningRecordsTests {
    @Test(arguments: TestDatabase.all)
    func myLearningListsTheCertificateAndThePointsOfTheYear(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await CertificatePageTests.completed(app)

            let page = try await done.browser.get("/my-learning")

            let html = page.body.string
            #expect(page.status == .ok)
            #expect(html.contains(SiteRoute.certificate(id: try done.completion.requireID()).path))
            #expect(html.contains("Je accrediteringspunten per jaar") && html.contains("1,5 CP") && html.contains("rubriek 6: 1,5 CP"))
            #expect(html.contains(String(CalendarDay(done.completion.completedAt).year)))
        }
    }
}
