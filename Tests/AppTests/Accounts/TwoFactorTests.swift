@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Two-step sign-in through the real app: set up with the app's secret, sign in with a code, codes work
/// once, recovery codes work once, and staff cannot work without it.
@Suite struct TwoFactorTests {
    static func account(_ app: Application, role: User.Role, email: String) async throws -> Browser {
        let user = User(email: email, name: "Tess", passwordHash: try app.password.hash("een lang wachtwoord"), role: role, profession: "gp")
        try await user.create(on: app.db)
        let browser = Browser(app)
        let signIn = try await browser.post("/login", form: ["email": email, "password": "een lang wachtwoord"])
        #expect(signIn.status == .seeOther)
        return browser
    }

    static func currentCode(_ app: Application, offset: Int64 = 0) async throws -> String {
        let credential = try #require(try await TwoFactorCredential.query(on: app.db).first())
        let totp = credential.totp
        return totp.code(step: totp.step(at: Date()) + offset)
    }

    /// The code of the step last accepted: what someone replaying an observed code would type.
    static func lastAcceptedCode(_ app: Application) async throws -> String {
        let credential = try #require(try await TwoFactorCredential.query(on: app.db).first())
        return credential.totp.code(step: try #require(credential.lastStep))
    }

    static func recoveryCodes(_ html: String) -> [String] {
        html.matches(of: /<code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code>/).map { String($0.output.1) }
    }

    @Test(arguments: TestDatabase.all)
    func aLearnerTurnsItOnAndThenSignsInWithACodeOrARecoveryCode(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let browser = try await Self.account(app, role: .learner, email: "an@praktijk.be")

            let setup = try await browser.get("/account/two-factor")
            let wrong = try await browser.post("/account/two-factor", form: ["code": "000000"])
            let confirmed = try await browser.post("/account/two-factor", form: ["code": try await Self.currentCode(app)])
            let recovery = Self.recoveryCodes(confirmed.body.string)
            try await browser.post("/logout", form: [:])

            let password = try await browser.post("/login", form: ["email": "an@praktijk.be", "password": "een lang wachtwoord"])
            let notYet = try await browser.get("/my-learning")
            let reused = try await browser.post("/login/code", form: ["code": try await Self.lastAcceptedCode(app)])
            let withNext = try await browser.post("/login/code", form: ["code": try await Self.currentCode(app, offset: 1)])
            let signedIn = try await browser.get("/my-learning")

            #expect(setup.status == .ok && setup.body.string.contains("<svg") && setup.body.string.contains("otpauth") == false,
                    "the QR code is drawn; the secret address itself is not printed")
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("klopt niet"))
            #expect(confirmed.status == .ok && recovery.count == 10)
            #expect(password.headers.first(name: .location) == "/login/code")
            #expect(notYet.status == .seeOther, "the password alone does not sign in")
            #expect(reused.status == .unprocessableEntity, "the code used to confirm cannot be used again")
            #expect(withNext.status == .seeOther && signedIn.status == .ok)

            let other = Browser(app)
            try await other.post("/login", form: ["email": "an@praktijk.be", "password": "een lang wachtwoord"])
            let byRecovery = try await other.post("/login/code", form: ["code": recovery[0].lowercased()])
            let third = Browser(app)
            try await third.post("/login", form: ["email": "an@praktijk.be", "password": "een lang wachtwoord"])
            let recoveryAgain = try await third.post("/login/code", form: ["code": recovery[0]])
            #expect(byRecovery.status == .seeOther)
            #expect(recoveryAgain.status == .unprocessableEntity, "a recovery code works once")
        }
    }

    @Test(arguments: TestDatabase.all)
    func staffReachNothingElseUntilTheyHaveSetItUp(database: TestDatabase) async throws {
        try await withAcademy(database, settings: { $0.staffTwoFactor = true }) { app in
            let trainer = try await Self.account(app, role: .trainer, email: "tess@vivel.be")
            let learner = try await Self.account(app, role: .learner, email: "jan@praktijk.be")

            let blocked = try await trainer.get("/trainer/packages")
            let learnerPage = try await learner.get("/my-learning")
            let setup = try await trainer.get("/account/two-factor")
            let confirmed = try await trainer.post("/account/two-factor", form: ["code": try await Self.currentCode(app)])
            let open = try await trainer.get("/trainer/packages")
            let disable = try await trainer.post("/account/two-factor/disable", form: [:])

            #expect(blocked.status == .seeOther && blocked.headers.first(name: .location) == "/account/two-factor")
            #expect(learnerPage.status == .ok, "learners may choose")
            #expect(setup.body.string.contains("lesgever of beheerder"))
            #expect(confirmed.status == .ok && !confirmed.body.string.contains("uitzetten"), "staff are not offered to turn it off")
            #expect(open.status == .ok)
            #expect(disable.status == .forbidden)
        }
    }
}
