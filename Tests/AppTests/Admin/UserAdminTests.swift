@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Admins find people, change roles, deactivate accounts and read the audit log; nobody else can.
@Suite struct UserAdminTests {
    static func person(_ app: Application, role: User.Role, email: String, name: String = "An Peeters") async throws -> (Browser, User) {
        let browser = Browser(app)
        var form = AccountPageTests.goodForm
        form["email"] = email
        form["name"] = name
        #expect(try await browser.post("/register", form: form).status == .seeOther)
        let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
        user.role = role
        try await user.save(on: app.db)
        return (browser, user)
    }

    @Test(arguments: TestDatabase.all)
    func onlyAdminsReachTheAdministration(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (learner, someone) = try await Self.person(app, role: .learner, email: "leerling@example.be")
            let (trainer, _) = try await Self.person(app, role: .trainer, email: "lesgever@example.be")
            let (admin, _) = try await Self.person(app, role: .admin, email: "beheer@example.be")
            let paths = [AdminRoute.users().path, AdminRoute.user(id: try someone.requireID()).path,
                         AdminRoute.audit().path, AdminRoute.auditCSV().path]

            for path in paths {
                #expect(try await learner.get(path).status == .forbidden, "\(path)")
                #expect(try await trainer.get(path).status == .forbidden, "\(path)")
                #expect(try await admin.get(path).status == .ok, "\(path)")
            }
            let post = try await trainer.post(AdminRoute.userRole(id: try someone.requireID()).path, form: ["role": "admin", "reason": "x"])
            #expect(post.status == .forbidden)
            #expect(try await User.find(someone.requireID(), on: app.db)?.role == .learner)
        }
    }

    @Test(arguments: TestDatabase.all)
    func roleChangesNeedAReasonAndAreAudited(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (_, jan) = try await Self.person(app, role: .learner, email: "jan@example.be", name: "Jan Janssens")
            let (admin, adminUser) = try await Self.person(app, role: .admin, email: "beheer@example.be", name: "Bea Beheer")
            let janRole = AdminRoute.userRole(id: try jan.requireID()).path

            let withoutReason = try await admin.post(janRole, form: ["role": "trainer", "reason": "  "])
            let promoted = try await admin.post(janRole, form: ["role": "trainer", "reason": "Geeft de module RIZIV"])
            let own = try await admin.post(AdminRoute.userRole(id: try adminUser.requireID()).path, form: ["role": "learner", "reason": "x"])
            let log = try await admin.get(AdminRoute.audit(AuditQuery(action: "user.")).path).body.string
            let csv = try await admin.get(AdminRoute.auditCSV().path).body.string
            let found = try await admin.get(AdminRoute.users(UserQuery(text: "JANSSENS")).path).body.string
            let trainers = try await admin.get(AdminRoute.users(UserQuery(role: .trainer)).path).body.string

            #expect(withoutReason.status == .unprocessableEntity)
            #expect(withoutReason.body.string.contains("Geef een reden op"))
            #expect(promoted.status == .seeOther)
            #expect(try await User.find(jan.requireID(), on: app.db)?.role == .trainer)
            #expect(own.status == .unprocessableEntity && own.body.string.contains("eigen rol"))
            #expect(try await User.find(adminUser.requireID(), on: app.db)?.role == .admin)
            #expect(log.contains("Rol gewijzigd") && log.contains("Geeft de module RIZIV") && log.contains("Bea Beheer"))
            #expect(csv.hasPrefix("time_utc,actor,action,subject_type,subject_id,reason,before,after\r\n"))
            #expect(csv.contains("user.role-changed") && csv.contains(#""{""role"":""learner""}""#))
            #expect(found.contains("Jan Janssens") && !found.contains("Bea Beheer"), "search folds case")
            #expect(trainers.contains("Jan Janssens") && !trainers.contains("Bea Beheer"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDeactivatedAccountIsSignedOutAndCannotSignIn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (jan, janUser) = try await Self.person(app, role: .learner, email: "jan@example.be", name: "Jan Janssens")
            let (admin, _) = try await Self.person(app, role: .admin, email: "beheer@example.be")
            let id = try janUser.requireID()

            let deactivated = try await admin.post(AdminRoute.userDeactivate(id: id).path, form: ["reason": "Dubbel account"])
            let janAfter = try await jan.get("/my-learning")
            let signIn = try await Browser(app).post("/login", form: ["email": "jan@example.be", "password": AccountPageTests.goodForm["password"]!])
            let reactivated = try await admin.post(AdminRoute.userReactivate(id: id).path, form: ["reason": "Toch nodig"])
            let signInAgain = try await Browser(app).post("/login", form: ["email": "jan@example.be", "password": AccountPageTests.goodForm["password"]!])
            let history = try await admin.get(AdminRoute.user(id: id).path).body.string

            #expect(deactivated.status == .seeOther)
            #expect(janAfter.status == .seeOther, "the open session ended with the account")
            #expect(signIn.status == .unauthorized)
            #expect(reactivated.status == .seeOther)
            #expect(signInAgain.status == .seeOther)
            #expect(history.contains("Account gedeactiveerd") && history.contains("Dubbel account") && history.contains("Account opnieuw geactiveerd"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theLastActiveAdminStaysAnAdmin(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let (_, only) = try await Self.person(app, role: .admin, email: "enige@example.be")
            let (_, former) = try await Self.person(app, role: .admin, email: "vroeger@example.be")
            former.deactivatedAt = Date()
            try await former.save(on: app.db)

            await #expect(throws: UserAdministration.Refusal.lastAdmin) {
                try await UserAdministration(database: app.db).changeRole(of: only, to: .learner, by: former, reason: "test")
            }
            #expect(try await User.find(only.requireID(), on: app.db)?.role == .admin)
            #expect(try await AuditEvent.query(on: app.db).count() == 0, "a refused change leaves no event")
        }
    }

    @Test func csvCellsNeverRunAsFormulas() {
        #expect(AuditLogController.csvField("=HYPERLINK(\"x\")") == #""'=HYPERLINK(""x"")""#)
        #expect(AuditLogController.csvField("plain") == "plain")
        #expect(AuditLogController.csvField("a,b") == "\"a,b\"")
    }
}
