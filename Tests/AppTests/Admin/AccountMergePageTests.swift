@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Admins find duplicate accounts, preview a merge and carry it out; the person then finds everything under the
/// account kept, and nobody but admins gets near these pages.
@Suite struct AccountMergePageTests {
    static let password = "een lang wachtwoord"

    struct Scene {
        let admin: Browser
        let kept: User
        let keptBrowser: Browser
        let duplicate: User
        let duplicateBrowser: Browser
        let wondzorg: UUID
        let diabetes: UUID
        /// The duplicate's completion of Wondzorg, with its accreditation record.
        let completion: CourseCompletion
        let record: AccreditationRecord
        let keptDiabetes: UUID
        let duplicateDiabetes: UUID
    }

    static func signedIn(_ app: Application, _ user: User) async throws -> Browser {
        let browser = Browser(app)
        let response = try await browser.post("/login", form: ["email": user.email, "password": password])
        #expect(response.status == .seeOther, "\(user.email) signs in")
        return browser
    }

    static func enrol(_ user: User, in courseID: UUID, completing modules: [String], on db: any Database) async throws -> Enrolment {
        let version = try #require(try await CourseVersion.query(on: db).filter(\.$course.$id == courseID).first())
        let enrolment = Enrolment(userID: try user.requireID(), courseID: courseID, versionID: try version.requireID())
        try await enrolment.create(on: db)
        for key in modules {
            let attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: key, kind: .page)
            attempt.completion = .completed
            try await attempt.create(on: db)
        }
        return enrolment
    }

    /// An Peeters registered twice with the same RIZIV number: the new account has a course in progress, the old
    /// one completed the accredited Wondzorg and got further in Diabetes.
    static func scene(_ app: Application) async throws -> Scene {
        var wondzorg = TestCourses.package(slug: "wondzorg", title: "Wondzorg thuis",
                                           accreditation: PackageAccreditation(body: "riziv-inami", number: "ACC-123", points: 1.5, rubric: "6"))
        wondzorg.modules = [PackageModule(key: "m1", title: ["nl": "Module 1"], kind: .page)]
        let wondzorgID = try await TestCourses.publish(wondzorg, on: app.db).courseID
        let diabetesID = try await TestCourses.publish(TestCourses.package(slug: "diabetes", title: "Diabetes in de eerste lijn", modules: 3),
                                                       on: app.db).courseID
        let hash = try app.password.hash(password)
        let kept = User(email: "an@praktijk.be", name: "An Peeters", passwordHash: hash, role: .learner, profession: "gp")
        let duplicate = User(email: "an.peeters@telenet.be", name: "An Peeters-Oud", passwordHash: hash, role: .learner,
                             profession: "gp", registrationNumber: "12345625003")
        let admin = User(email: "beheer@vivel.be", name: "Bea Beheer", passwordHash: hash, role: .admin, profession: "other")
        for user in [kept, duplicate, admin] { try await user.create(on: app.db) }
        // Both carry the number: the kept account got it later, with a new qualification code.
        kept.registrationNumber = "12345625004"
        try await kept.save(on: app.db)

        let finished = try await enrol(duplicate, in: wondzorgID, completing: ["m1"], on: app.db)
        let completion = try #require(try await CompletionRecorder(database: app.db).attemptChanged(enrolmentID: finished.requireID()))
        let record = try #require(try await AccreditationRecord.query(on: app.db).first())
        let duplicateDiabetes = try await enrol(duplicate, in: diabetesID, completing: ["m1"], on: app.db)
        let keptDiabetes = try await enrol(kept, in: diabetesID, completing: [], on: app.db)
        return Scene(admin: try await signedIn(app, admin), kept: kept, keptBrowser: try await signedIn(app, kept),
                     duplicate: duplicate, duplicateBrowser: try await signedIn(app, duplicate),
                     wondzorg: wondzorgID, diabetes: diabetesID, completion: completion, record: record,
                     keptDiabetes: try keptDiabetes.requireID(), duplicateDiabetes: try duplicateDiabetes.requireID())
    }

    /// The partners' export, once it hands out `code`: on PostgreSQL a record waits there until no older
    /// transaction runs anywhere on the server, and other suites share the server.
    static func exported(_ app: Application, token: String, waitingFor code: String) async throws -> String {
        var body = ""
        for _ in 0..<20 {
            try await AccreditationRecordAPITests.settle(app)
            body = try await AccreditationRecordAPITests.get(app, "/api/v1/accreditation-records", token: token).body.string
            if body.contains(code) { break }
        }
        return body
    }

    static func fingerprint(_ html: String) throws -> String {
        let marker = #"name="fingerprint" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    @Test(arguments: TestDatabase.all)
    func onlyAdminsFindOrMergeDuplicates(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let scene = try await Self.scene(app)
            let trainerUser = User(email: "lesgever@vivel.be", name: "Lies Lesgever", passwordHash: try app.password.hash(Self.password),
                                   role: .trainer, profession: "nurse")
            try await trainerUser.create(on: app.db)
            let trainer = try await Self.signedIn(app, trainerUser)
            let preview = AdminRoute.mergePreview(keep: try scene.kept.requireID(), merge: try scene.duplicate.requireID()).path
            let form = ["keep": try scene.kept.requireID().uuidString, "merge": try scene.duplicate.requireID().uuidString, "reason": "x"]

            for browser in [scene.keptBrowser, trainer] {
                #expect(try await browser.get(AdminRoute.duplicates().path).status == .forbidden)
                #expect(try await browser.get(preview).status == .forbidden)
                #expect(try await browser.post(AdminRoute.merge.path, form: form).status == .forbidden)
            }
            let anonymous = try await Browser(app).get(AdminRoute.duplicates().path)

            #expect(anonymous.status == .seeOther, "visitors are sent to sign in")
            #expect(try await User.find(scene.duplicate.requireID(), on: app.db)?.mergedInto == nil)
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAdminPreviewsAndMergesAndThePersonKeepsEverything(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let scene = try await Self.scene(app)
            let keptID = try scene.kept.requireID(), duplicateID = try scene.duplicate.requireID()
            // A cmi5 AU keeps its state under the learner's agent; it must follow the enrolment.
            let registration = Cmi5Registration(enrolmentID: scene.duplicateDiabetes, now: Date())
            try await registration.create(on: app.db)
            let state = XAPIStateDocument()
            state.activityID = "https://example.org/au/1"
            state.agentKey = "account:http://localhost:8080|\(duplicateID.uuidString.lowercased())"
            state.registration = try registration.requireID().uuidString.lowercased()
            state.stateID = "suspend"
            state.contentType = "application/json"
            state.content = Data("{}".utf8)
            state.updatedAt = Date()
            try await state.create(on: app.db)

            let users = try await scene.admin.get(AdminRoute.users().path).body.string
            let list = try await scene.admin.get(AdminRoute.duplicates().path)
            let mine = try await scene.admin.get(AdminRoute.duplicates(of: keptID).path).body.string
            let preview = try await scene.admin.get(AdminRoute.mergePreview(keep: keptID, merge: duplicateID).path)
            let fingerprint = try Self.fingerprint(preview.body.string)
            let form = ["keep": keptID.uuidString, "merge": duplicateID.uuidString, "fingerprint": fingerprint]
            let withoutReason = try await scene.admin.post(AdminRoute.merge.path, form: form.merging(["reason": " "]) { $1 })
            let merged = try await scene.admin.post(AdminRoute.merge.path, form: form.merging(["reason": "Twee keer geregistreerd"]) { $1 })
            let keptPage = try await scene.admin.get(AdminRoute.user(id: keptID).path).body.string
            let again = try await scene.admin.post(AdminRoute.merge.path, form: form.merging(["reason": "Nog eens geklikt"]) { $1 })
            let afterAgain = try await scene.admin.get(AdminRoute.user(id: keptID).path).body.string

            #expect(users.contains(AdminRoute.duplicates().path), "the users page links to the duplicates")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("an@praktijk.be") && list.body.string.contains("an.peeters@telenet.be"))
            #expect(list.body.string.contains("RIZIV-nummer van dezelfde persoon"))
            #expect(mine.contains("Groep 1") && mine.contains("An Peeters-Oud"))
            #expect(preview.status == .ok)
            let html = preview.body.string
            #expect(html.contains("Inschrijving voor Wondzorg thuis"))
            #expect(html.contains("Diabetes in de eerste lijn") && html.contains("De inschrijving van het account dat erin opgaat heeft meer vooruitgang"))
            #expect(html.contains("1 accrediteringsattest") && html.contains("1 open sessie"))
            #expect(withoutReason.status == .unprocessableEntity && withoutReason.body.string.contains("Geef een reden op"))
            #expect(merged.status == .seeOther && merged.headers.first(name: .location) == AdminRoute.user(id: keptID).path)
            #expect(keptPage.contains("De accounts zijn samengevoegd") && keptPage.contains("Dubbel account hierin samengevoegd"))
            #expect(again.status == .seeOther, "a second click does no harm")
            #expect(afterAgain.contains("al samengevoegd"))

            let duplicate = try #require(try await User.find(duplicateID, on: app.db))
            #expect(duplicate.mergedInto == keptID && duplicate.deactivatedAt != nil)
            #expect(try await Enrolment.query(on: app.db).filter(\.$user.$id == keptID).filter(\.$course.$id == scene.wondzorg).count() == 1)
            #expect(try await Enrolment.find(scene.duplicateDiabetes, on: app.db)?.$user.id == keptID, "the enrolment further along goes on")
            #expect(try await Enrolment.find(scene.keptDiabetes, on: app.db)?.$user.id == duplicateID, "the other is kept, not deleted")
            #expect(try await ModuleAttempt.query(on: app.db).filter(\.$user.$id == duplicateID).count() == 0)
            #expect(try await CourseCompletion.find(scene.completion.requireID(), on: app.db)?.$user.id == keptID)
            let record = try #require(try await AccreditationRecord.find(scene.record.requireID(), on: app.db))
            #expect(record.$user.id == duplicateID && record.learnerName == scene.record.learnerName, "records are never rewritten")
            #expect(try await User.query(on: app.db).count() == 3, "the placeholder of the swap is gone")
            #expect(try await XAPIStateDocument.find(state.requireID(), on: app.db)?.agentKey
                    == "account:http://localhost:8080|\(keptID.uuidString.lowercased())")
            let events = try await AuditEvent.query(on: app.db).all()
            #expect(events.filter { $0.action == "user.merged" }.count == 1)
            let received = try #require(events.first { $0.action == "user.merge-received" })
            #expect(received.reason == "Twee keer geregistreerd" && received.afterJSON?.contains(duplicateID.uuidString) == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theKeptAccountShowsTheMergedLearningAndTheDuplicateCannotSignIn(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let scene = try await Self.scene(app)
            let keptID = try scene.kept.requireID(), duplicateID = try scene.duplicate.requireID()
            let admin = try #require(try await User.query(on: app.db).filter(\.$email == "beheer@vivel.be").first())
            let partner = try await AccreditationRecordAPITests.partner(app, name: "RIZIV", bodies: ["riziv-inami"])

            let outcome = try await AccountMergeDesk(database: app.db).merge(keepID: keptID, mergeID: duplicateID, by: admin,
                                                                            reason: "Twee keer geregistreerd")
            let exported = try await Self.exported(app, token: partner, waitingFor: scene.record.verificationCode)
            let learning = try await scene.keptBrowser.get("/my-learning").body.string
            let certificate = try await scene.keptBrowser.get(SiteRoute.certificate(id: try scene.completion.requireID()).path)
            let downloads = try await scene.keptBrowser.get(SiteRoute.myRecords(format: .json).path).body.string
            let badge = try await scene.keptBrowser.get(CredentialRoute.badge(record: try scene.record.requireID()).path)
            let verify = try await Browser(app).get("/verify/\(scene.record.verificationCode)")
            let oldSession = try await scene.duplicateBrowser.get("/my-learning")
            let signIn = try await Browser(app).post("/login", form: ["email": "An.Peeters@telenet.be", "password": Self.password])
            let wrongPassword = try await Browser(app).post("/login", form: ["email": "an.peeters@telenet.be", "password": "niet het wachtwoord"])
            let reactivate = try await scene.admin.post(AdminRoute.userReactivate(id: duplicateID).path, form: ["reason": "Terug"])
            let duplicatePage = try await scene.admin.get(AdminRoute.user(id: duplicateID).path).body.string

            guard case .merged = outcome else { Issue.record("merged: \(outcome)"); return }
            #expect(learning.contains("Wondzorg thuis") && learning.contains("Diabetes in de eerste lijn"))
            #expect(learning.contains(SiteRoute.certificate(id: try scene.completion.requireID()).path))
            #expect(certificate.status == .ok && certificate.body.string.contains("ACC-123"))
            #expect(downloads.components(separatedBy: scene.record.verificationCode).count == 2, "the record, once")
            #expect(badge.status == .ok, "the badge of a record left on the merged account is the person's")
            #expect(verify.status == .ok)
            #expect(exported.components(separatedBy: scene.record.verificationCode).count == 2, "partners receive the record once")
            #expect(oldSession.status == .seeOther, "the duplicate's session ended")
            #expect(signIn.status == .unauthorized && signIn.body.string.contains("samengevoegd") && signIn.body.string.contains("a•••@praktijk.be"))
            #expect(wrongPassword.status == .unauthorized && !wrongPassword.body.string.contains("samengevoegd"),
                    "without the password nobody learns where the account went")
            #expect(reactivate.status == .unprocessableEntity && reactivate.body.string.contains("kan niet opnieuw geactiveerd"))
            #expect(duplicatePage.contains("Samengevoegd in") && duplicatePage.contains("an@praktijk.be"))
            #expect(try await User.find(keptID, on: app.db)?.registrationNumber == "12345625004", "the kept account's own number stays")
        }
    }

    @Test(arguments: TestDatabase.all)
    func refusedAndChangedMergesSayWhyAndChangeNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let scene = try await Self.scene(app)
            let keptID = try scene.kept.requireID(), duplicateID = try scene.duplicate.requireID()
            let stranger = User(email: "jan@wgc.be", name: "Jan Janssens", passwordHash: "-", role: .learner, profession: "gp",
                                registrationNumber: "65432125003")
            try await stranger.create(on: app.db)

            let byHand = try await scene.admin.get("/admin/merge?keep=AN%40praktijk.be&merge=jan%40wgc.be")
            let unknown = try await scene.admin.get("/admin/merge?keep=an%40praktijk.be&merge=niemand%40wgc.be")
            let preview = try await scene.admin.get(AdminRoute.mergePreview(keep: keptID, merge: duplicateID).path)
            let fingerprint = try Self.fingerprint(preview.body.string)
            // The duplicate goes on learning after the admin opened the preview.
            let attempt = try ModuleAttempt(enrolment: try #require(try await Enrolment.find(scene.keptDiabetes, on: app.db)),
                                            moduleKey: "m2", kind: .page)
            attempt.completion = .completed
            try await attempt.create(on: app.db)
            let changed = try await scene.admin.post(AdminRoute.merge.path, form: [
                "keep": keptID.uuidString, "merge": duplicateID.uuidString, "fingerprint": fingerprint, "reason": "Dubbel"])

            #expect(byHand.status == .ok && byHand.body.string.contains("twee verschillende personen"))
            #expect(!byHand.body.string.contains(#"name="fingerprint""#), "a refused merge offers no button")
            #expect(unknown.status == .notFound && unknown.body.string.contains("niemand@wgc.be"))
            #expect(changed.status == .conflict && changed.body.string.contains("Er is iets veranderd"))
            #expect(try await User.find(duplicateID, on: app.db)?.mergedInto == nil)
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }
}
