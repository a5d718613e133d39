@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// People see where they are signed in, sign devices out, and hear of new devices and new passwords.
@Suite struct SignInSessionTests {
    static let firefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    static let safariOnIPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"

    static func browser(_ app: Application, agent: String) -> Browser {
        let browser = Browser(app)
        browser.headers.replaceOrAdd(name: .userAgent, value: agent)
        return browser
    }

    static func signIn(_ browser: Browser, email: String) async throws {
        try await browser.get("/login")
        let response = try await browser.post("/login", form: ["email": email, "password": AccountPageTests.goodForm["password"]!])
        #expect(response.status == .seeOther)
    }

    static func register(_ browser: Browser, email: String) async throws {
        var form = AccountPageTests.goodForm
        form["email"] = email
        #expect(try await browser.post("/register", form: form).status == .seeOther)
    }

    static func mails(_ app: Application, subject prefix: String) async throws -> [OutboxMail] {
        try await OutboxMail.query(on: app.db).all().filter { $0.subject.hasPrefix(prefix) }
    }

    @Test(arguments: TestDatabase.all)
    func aNewDeviceIsMailedListedAndCanBeSignedOutFromTheOther(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let laptop = Self.browser(app, agent: Self.firefoxOnWindows)
            let phone = Self.browser(app, agent: Self.safariOnIPhone)
            let laptopAgain = Self.browser(app, agent: Self.firefoxOnWindows)
            try await Self.register(laptop, email: "an@example.be")
            let afterRegistering = try await Self.mails(app, subject: "Nieuwe aanmelding")
            try await Self.signIn(phone, email: "an@example.be")
            let afterPhone = try await Self.mails(app, subject: "Nieuwe aanmelding")
            try await Self.signIn(laptopAgain, email: "an@example.be")
            let afterKnownDevice = try await Self.mails(app, subject: "Nieuwe aanmelding")

            let list = try await phone.get("/account/sessions").body.string
            let laptopSession = try #require(try await SignInSession.query(on: app.db).sort(\.$createdAt).first())
            let ended = try await phone.post("/account/sessions/\(try laptopSession.requireID().uuidString)/end", form: [:])
            let laptopAfter = try await laptop.get("/my-learning")
            let phoneAfter = try await phone.get("/my-learning")

            #expect(afterRegistering.isEmpty, "a new account's first sign-in is not news")
            #expect(afterPhone.count == 1)
            #expect(afterPhone.first?.body.contains("Safari op iPhone/iPad") == true)
            #expect(afterKnownDevice.count == 1, "the same browser on the same system again is no new device")
            #expect(list.contains("Firefox op Windows") && list.contains("Safari op iPhone/iPad"))
            #expect(list.components(separatedBy: "<li class=\"session").count - 1 == 3)
            #expect(list.contains("dit toestel"))
            #expect(ended.status == .seeOther)
            #expect(laptopAfter.status == .seeOther && laptopAfter.headers.first(name: .location)?.hasPrefix("/login") == true,
                    "the signed-out laptop is asked to sign in again")
            #expect(phoneAfter.status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNewPasswordSignsOutTheOtherDevicesAndIsMailed(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let laptop = Self.browser(app, agent: Self.firefoxOnWindows)
            let phone = Self.browser(app, agent: Self.safariOnIPhone)
            try await Self.register(laptop, email: "an@example.be")
            try await Self.signIn(phone, email: "an@example.be")
            var form = AccountPageTests.goodForm
            form["email"] = "an@example.be"
            form["password"] = "een-nieuw-lang-wachtwoord-2026"

            let saved = try await laptop.post("/profile", form: form)
            let laptopAfter = try await laptop.get("/my-learning")
            let phoneAfter = try await phone.get("/my-learning")
            let mails = try await Self.mails(app, subject: "Je wachtwoord")

            #expect(saved.status == .seeOther)
            #expect(laptopAfter.status == .ok, "the device that changed the password stays signed in")
            #expect(phoneAfter.status == .seeOther)
            #expect(mails.count == 1 && mails.first?.recipient == "an@example.be")
        }
    }

    @Test(arguments: TestDatabase.all)
    func endingAnotherPersonsSessionIsNotPossible(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let an = Self.browser(app, agent: Self.firefoxOnWindows)
            let bert = Self.browser(app, agent: Self.safariOnIPhone)
            try await Self.register(an, email: "an@example.be")
            try await Self.register(bert, email: "bert@example.be")
            let anUser = try #require(try await User.query(on: app.db).filter(\.$email == "an@example.be").first())
            let anSession = try #require(try await SignInSession.query(on: app.db).filter(\.$user.$id == anUser.requireID()).first())

            let attempt = try await bert.post("/account/sessions/\(try anSession.requireID().uuidString)/end", form: [:])
            let anAfter = try await an.get("/my-learning")

            #expect(attempt.status == .notFound)
            #expect(anAfter.status == .ok)
        }
    }

    @Test func devicesAreNamedFromTheirUserAgent() {
        #expect(DeviceName(userAgent: Self.firefoxOnWindows) == DeviceName(browser: .firefox, system: .windows))
        #expect(DeviceName(userAgent: Self.safariOnIPhone) == DeviceName(browser: .safari, system: .iOS))
        #expect(DeviceName(userAgent: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36")
                == DeviceName(browser: .chrome, system: .android))
        #expect(DeviceName(userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0")
                == DeviceName(browser: .edge, system: .windows))
        #expect(DeviceName(userAgent: nil).text(.en) == "Unknown device")
        #expect(DeviceName(browser: .chrome, system: .macOS).text(.fr) == "Chrome sur macOS")
    }
}
