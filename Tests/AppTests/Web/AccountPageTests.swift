@testable import App
import Fluent
import Testing
import VaporTesting

@Suite struct AccountPageTests {
    static let goodForm = ["name": "An Peeters", "email": "An@Zorgraad.be", "password": "een lange zin om te onthouden",
                           "profession": "gp", "registrationNumber": "1-23456-25-001"]

    @Test(arguments: TestDatabase.all)
    func registeringSignsInAndLandsOnMyLearning(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = Browser(app)

            let response = try await browser.post("/register", form: Self.goodForm)
            let learning = try await browser.get("/my-learning")

            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/my-learning")
            #expect(learning.status == .ok)
            #expect(learning.body.string.contains("Welkom, An Peeters!"))
            #expect(learning.body.string.contains("Je bent nog niet ingeschreven"))
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.email == "an@zorgraad.be")
            #expect(user.registrationNumber == "12345625001")
            #expect(user.passwordHash.hasPrefix("$2"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func badRegistrationKeepsFieldsAndSaysWhatIsWrong(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            var form = Self.goodForm
            form["email"] = "an-at-zorgraad.be"
            form["password"] = "kort"
            form["registrationNumber"] = "1234"

            let response = try await Browser(app).post("/register", form: form)

            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("Dit is geen geldig e-mailadres"))
            #expect(html.contains("minstens 10 tekens"))
            #expect(html.contains("Een RIZIV-nummer heeft 11 cijfers; je gaf er 4."))
            #expect(html.contains("value=\"An Peeters\""), "the other fields are kept")
            #expect(html.contains("value=\"an-at-zorgraad.be\""))
            #expect(!html.contains("value=\"kort\""), "passwords are never echoed back")
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unverifiedRegistrationNumberIsAcceptedOnceConfirmed(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            var form = Self.goodForm
            form["registrationNumber"] = "12345600001"
            let browser = Browser(app)

            let first = try await browser.post("/register", form: form)
            form["confirmRegistrationNumber"] = "1"
            let second = try await browser.post("/register", form: form)

            #expect(first.status == .unprocessableEntity)
            #expect(first.body.string.contains("name=\"confirmRegistrationNumber\""))
            #expect(second.status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFormWithoutTheCSRFTokenIsRefused(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let response = try await Browser(app).post("/register", form: Self.goodForm, csrf: false)

            #expect(response.status == .forbidden)
            #expect(response.body.string.contains("Het formulier was verlopen"))
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signInOutAndWrongPassword(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Browser(app).post("/register", form: Self.goodForm)
            let browser = Browser(app)

            let wrong = try await browser.post("/login", form: ["email": "an@zorgraad.be", "password": "niet het wachtwoord"])
            browser.cookies["academy-session"] = "planted-by-someone-else"
            let right = try await browser.post("/login?return=/courses/x", form: ["email": "AN@zorgraad.be ", "password": Self.goodForm["password"]!])
            let sessionAfterLogin = browser.cookies["academy-session"]
            let profile = try await browser.get("/profile")
            let out = try await browser.post("/logout", form: [:])
            let afterwards = try await browser.get("/profile")

            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("horen niet bij elkaar"))
            #expect(right.status == .seeOther)
            #expect(right.headers.first(name: .location) == "/courses/x")
            #expect(sessionAfterLogin != nil && sessionAfterLogin != "planted-by-someone-else",
                    "signing in starts a new session")
            #expect(profile.status == .ok)
            #expect(profile.body.string.contains("value=\"An Peeters\""))
            #expect(out.status == .seeOther)
            #expect(afterwards.status == .seeOther)
            #expect(afterwards.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func repeatedFailuresLockTheAccount(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Browser(app).post("/register", form: Self.goodForm)
            let records = LoginThrottle(database: app.db)
            // Seven failures already counted, as if made a minute ago; the next one locks.
            for _ in 0..<7 {
                try await records.recordFailure(keys: ["account:an@zorgraad.be"], now: Date().addingTimeInterval(-60))
            }
            let browser = Browser(app)

            let eighth = try await browser.post("/login", form: ["email": "an@zorgraad.be", "password": "fout fout fout"])
            let evenRight = try await browser.post("/login", form: ["email": "an@zorgraad.be", "password": Self.goodForm["password"]!])

            #expect(eighth.status == .unauthorized)
            #expect(evenRight.status == .tooManyRequests)
            #expect(evenRight.body.string.contains("Te veel mislukte pogingen"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func passwordResetThroughTheMailedLink(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Browser(app).post("/register", form: Self.goodForm)
            let browser = Browser(app)

            let unknown = try await browser.post("/password/forgot", form: ["email": "niemand@zorgraad.be"])
            let known = try await browser.post("/password/forgot", form: ["email": "an@zorgraad.be"])
            let mail = try #require(try await OutboxMail.query(on: app.db).first())
            let link = try #require(mail.body.split(separator: "\n").first { $0.contains("/password/reset/") })
            let path = String(link[link.range(of: "/password/reset/")!.lowerBound...])
            let form = try await browser.get(path)
            let reset = try await browser.post(path, form: ["password": "een gloednieuw wachtwoord"])
            let reused = try await browser.get(path)
            let sessionBeforeLogin = try #require(browser.cookies["academy-session"], "the notice after the reset lives in a session")
            let login = try await browser.post("/login", form: ["email": "an@zorgraad.be", "password": "een gloednieuw wachtwoord"])
            let sessionAfterLogin = browser.cookies["academy-session"]

            #expect(unknown.body.string == known.body.string.replacingOccurrences(of: "an@zorgraad.be", with: "niemand@zorgraad.be"),
                    "the answer does not tell whether an account exists")
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == "niemand@zorgraad.be").count() == 0)
            #expect(mail.recipient == "an@zorgraad.be")
            #expect(try await OutboxMail.query(on: app.db).filter(\.$subject != mail.subject).all().map(\.subject)
                    == ["Je wachtwoord bij VIVEL Academy is gewijzigd"], "the new password is told by mail")
            #expect(form.status == .ok && form.body.string.contains("Kies een nieuw wachtwoord"))
            #expect(reset.status == .seeOther)
            #expect(reused.body.string.contains("verlopen of al gebruikt"))
            #expect(login.status == .seeOther)
            #expect(sessionAfterLogin != nil && sessionAfterLogin != sessionBeforeLogin, "signing in starts a new session")
            #expect(try await SessionRecord.query(on: app.db).filter(\.$key == SessionID(string: sessionBeforeLogin)).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func profileChangesAreSavedAndValidated(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = Browser(app)
            try await browser.post("/register", form: Self.goodForm)

            let bad = try await browser.post("/profile", form: ["name": "An Peeters-Janssens", "email": "an@zorgraad.be",
                                                               "profession": "pharmacist", "registrationNumber": "12x"])
            let good = try await browser.post("/profile", form: ["name": "An Peeters-Janssens", "email": "an@zorgraad.be",
                                                                "profession": "pharmacist", "registrationNumber": ""])
            let page = try await browser.get("/profile")

            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("alleen uit cijfers"))
            #expect(good.status == .seeOther)
            #expect(page.body.string.contains("Je gegevens zijn bewaard."))
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.name == "An Peeters-Janssens")
            #expect(user.profession == "pharmacist")
            #expect(user.registrationNumber == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func enrollingTwiceMakesOneEnrolment(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await TestCourses.publish(TestCourses.package(slug: "doelgerichte-zorg", title: "Doelgerichte zorg"), on: app.db)
            try await TestCourses.publish(TestCourses.package(slug: "zorgraad-only", title: "Voor zorgraden", restricted: true), on: app.db)
            let browser = Browser(app)
            try await browser.post("/register", form: Self.goodForm)

            async let first = browser.post("/courses/doelgerichte-zorg/enrol", form: [:])
            async let second = browser.post("/courses/doelgerichte-zorg/enrol", form: [:])
            let statuses = try await [first.status, second.status]
            let locked = try await browser.post("/courses/zorgraad-only/enrol", form: [:])
            let learning = try await browser.get("/my-learning")

            #expect(statuses == [.seeOther, .seeOther])
            #expect(try await Enrolment.query(on: app.db).count() == 1)
            #expect(locked.status == .forbidden)
            #expect(learning.body.string.contains("Doelgerichte zorg"))
        }
    }
}
