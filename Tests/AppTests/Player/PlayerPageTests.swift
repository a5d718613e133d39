@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// The course player through the real app: enrolment, the outline, completion by each criterion,
/// resume on another device, who may play, and one attempt row however often a form is sent.
@Suite struct PlayerPageTests {
    static let slug = "wondzorg-thuis"

    /// A page completed by opening it, a page to mark done, a folder with a video, an optional link and a
    /// quiz of three questions passed with two right.
    static func package(moduleAccess: [PackageAccessRule] = []) -> CoursePackage {
        var page = PackageModule(key: "01-intro", title: ["nl": "Kennismaking"], kind: .page, launch: "pages/intro.html")
        page.completion = .viewed
        var task = PackageModule(key: "02-opdracht", title: ["nl": "Opdracht"], kind: .page, launch: "pages/opdracht.html")
        task.completion = .markedDone
        var video = PackageModule(key: "03a-video", title: ["nl": "Wonde verzorgen"], kind: .video, launch: "media/wonde.mp4")
        video.completion = .watched(fraction: 0.8)
        let folder = PackageModule(key: "03-praktijk", title: ["nl": "In de praktijk"], kind: .folder, children: [video])
        var link = PackageModule(key: "04-richtlijn", title: ["nl": "Richtlijn"], kind: .link, launch: "https://example.org/richtlijn")
        link.required = false
        var quiz = PackageModule(key: "05-toets", title: ["nl": "Toets"], kind: .quiz)
        quiz.completion = .quizPassed
        quiz.quiz = QuizGradingTests.quiz
        var package = TestCourses.package(slug: slug, title: "Wondzorg thuis")
        package.modules = [page, task, folder, link, quiz]
        package.access = moduleAccess
        return package
    }

    static let rightAnswers = ["q.q1": "b", "q.q3": "a"]

    @discardableResult
    static func publish(_ app: Application, _ package: CoursePackage = package()) async throws -> UUID {
        try await TestCourses.publish(package, on: app.db)
        await app.catalogue.invalidate()
        return try #require(try await Course.query(on: app.db).filter(\.$slug == package.slug ?? "").first()?.id)
    }

    static func enrolledLearner(_ app: Application, email: String = "an@wijkzorg.be") async throws -> (Browser, Enrolment) {
        let (browser, userID) = try await EnrolmentPageTests.signUp(app, email)
        let response = try await browser.post("/courses/\(slug)/enrol", form: [:])
        #expect(response.status == .seeOther)
        let enrolment = try #require(try await Enrolment.query(on: app.db).filter(\.$user.$id == userID).first())
        return (browser, enrolment)
    }

    static func attempts(_ app: Application, _ enrolment: Enrolment, module: String? = nil) async throws -> [ModuleAttempt] {
        var query = ModuleAttempt.query(on: app.db).filter(\.$enrolment.$id == (try enrolment.requireID()))
        if let module { query = query.filter(\.$moduleKey == module) }
        return try await query.all()
    }

    /// Posts a quiz the way the form does: one field per chosen option, checkboxes repeating their name.
    @discardableResult
    static func postQuiz(_ browser: Browser, _ pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        // What a browser sends: its */* must not be taken for a request for JSON.
        headers.replaceOrAdd(name: .accept, value: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        let body = ([("_csrf", browser.csrf), ("action", "quiz")] + pairs)
            .map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        return try await send(browser, .POST, "/learn/\(slug)/05-toets/progress", headers: headers, body: body)
    }

    /// A request with the browser's cookies that leaves its cookie jar alone, so several can run at once.
    @discardableResult
    static func send(_ browser: Browser, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:],
                     body: String = "") async throws -> TestingHTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        var buffer = ByteBufferAllocator().buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        return try await browser.app.testing().sendRequest(method, path, headers: headers, body: buffer)
    }

    static func form(_ browser: Browser, _ fields: [String: String]) -> (HTTPHeaders, String) {
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let body = (fields.merging(["_csrf": browser.csrf]) { $1 })
            .map { "\(Browser.encode($0.key))=\(Browser.encode($0.value))" }.joined(separator: "&")
        return (headers, body)
    }

    @Test(arguments: TestDatabase.all)
    func theResumePointIsTheFirstModuleAndThePageShowsTheOutline(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, enrolment) = try await Self.enrolledLearner(app)

            let resume = try await browser.get("/learn/\(Self.slug)")
            let page = try await browser.get("/learn/\(Self.slug)/01-intro")
            let html = page.body.string

            #expect(resume.status == .seeOther)
            #expect(resume.headers.first(name: .location) == "/learn/\(Self.slug)/01-intro")
            #expect(page.status == .ok)
            for title in ["Kennismaking", "Opdracht", "In de praktijk", "Wonde verzorgen", "Richtlijn", "Toets"] {
                #expect(html.contains(title), "the outline lists \(title)")
            }
            #expect(html.contains(#"<a href="/learn/wondzorg-thuis/01-intro" aria-current="page">"#))
            #expect(html.contains(#"<iframe id="module-page" class="player-frame page" src="/content/wondzorg-thuis/1/pages/intro.html""#))
            #expect(html.contains(#"sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox""#), "no scripts in a page")
            #expect(html.contains("<details class=\"player-outline-fold\">"))
            #expect(html.contains("1 van 4 verplichte onderdelen klaar"), "the page was completed by opening it")
            #expect(html.contains(#"rel="next" href="/learn/wondzorg-thuis/02-opdracht""#))
            #expect(!html.contains(#"rel="prev""#))
            let attempts = try await Self.attempts(app, enrolment)
            #expect(attempts.count == 1)
            #expect(attempts.first?.completion == .completed)
            #expect(attempts.first?.number == 1)
            let stored = try #require(try await Enrolment.find(enrolment.id, on: app.db))
            #expect(stored.lastModuleKey == "01-intro")
            #expect(stored.lastActivityAt != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func markingDoneCompletesTheModuleAndTheNumbersChange(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, enrolment) = try await Self.enrolledLearner(app)
            try await browser.get("/learn/\(Self.slug)/01-intro")

            let before = try await browser.get("/learn/\(Self.slug)/02-opdracht").body.string
            let afterOpening = try await Self.attempts(app, enrolment, module: "02-opdracht")
            let posted = try await browser.post("/learn/\(Self.slug)/02-opdracht/progress", form: ["action": "done"])
            let after = try await browser.get("/learn/\(Self.slug)/02-opdracht").body.string

            #expect(before.contains("Ik ben klaar met dit onderdeel"))
            #expect(before.contains("1 van 4 verplichte onderdelen klaar"))
            #expect(afterOpening.first?.completion == .incomplete, "opening does not complete a module to mark done")
            #expect(posted.status == .seeOther)
            #expect(after.contains("Goed zo, dit onderdeel is klaar."))
            #expect(after.contains("2 van 4 verplichte onderdelen klaar"))
            #expect(!after.contains("Ik ben klaar met dit onderdeel"))
            #expect(try await Self.attempts(app, enrolment, module: "02-opdracht").first?.completion == .completed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFailedQuizMayBeRetakenAndThePassStaysWhenALaterTryFails(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, enrolment) = try await Self.enrolledLearner(app)
            let form = try await browser.get("/learn/\(Self.slug)/05-toets").body.string

            let failing = try await Self.postQuiz(browser, [("q.q1", "a"), ("q.q2", "a"), ("q.q2", "b")])
            let failedPage = try await browser.get("/learn/\(Self.slug)/05-toets").body.string
            let failed = try #require(try await Self.attempts(app, enrolment, module: "05-toets").first)
            try await Self.postQuiz(browser, [("q.q1", "b"), ("q.q2", "a"), ("q.q2", "c"), ("q.q3", "b")])
            let passedPage = try await browser.get("/learn/\(Self.slug)/05-toets").body.string
            try await Self.postQuiz(browser, [("q.q1", "a")])
            let worsePage = try await browser.get("/learn/\(Self.slug)/05-toets").body.string
            let attempts = try await Self.attempts(app, enrolment, module: "05-toets")

            #expect(form.contains(#"type="radio" name="q.q1" value="b""#))
            #expect(form.contains(#"type="checkbox" name="q.q2" value="c""#))
            #expect(form.contains("Je slaagt als je 2 van de 3 vragen juist hebt."))
            #expect(failing.status == .seeOther)
            #expect(failing.headers.first(name: .location) == "/learn/\(Self.slug)/05-toets#quiz-result")
            #expect(failedPage.contains("Nog niet geslaagd"))
            #expect(failedPage.contains("Je had 0 van de 3 vragen juist (0%)."))
            #expect(failedPage.contains("Deze vragen zijn nog niet juist: 1, 2, 3."))
            #expect(failedPage.contains(#"value="b" checked"#), "the last answers stay filled in")
            #expect(failed.success == .failed)
            #expect(failed.completion == .incomplete)
            #expect(passedPage.contains("Geslaagd!"))
            #expect(passedPage.contains("Je had 2 van de 3 vragen juist (67%)."))
            #expect(passedPage.contains("1 van 4 verplichte onderdelen klaar"))
            #expect(worsePage.contains("Nog niet geslaagd"))
            #expect(worsePage.contains("Je was al eerder geslaagd, met 2 van de 3 vragen juist."))
            #expect(worsePage.contains("1 van 4 verplichte onderdelen klaar"), "the best try counts")
            #expect(attempts.count == 1)
            #expect(attempts.first?.success == .passed)
            #expect(attempts.first?.completion == .completed)
            #expect(attempts.first.flatMap(\.scoreScaled).map { abs($0 - 2.0 / 3.0) < 1e-9 } == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theVideoScriptReportsTheWatchedShare(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, enrolment) = try await Self.enrolledLearner(app)
            let page = try await browser.get("/learn/\(Self.slug)/03a-video").body.string
            let json: HTTPHeaders = ["Accept": "application/json", "X-CSRF-Token": browser.csrf,
                                     "Content-Type": "application/x-www-form-urlencoded"]

            let half = try await Self.send(browser, .POST, "/learn/\(Self.slug)/03a-video/progress", headers: json, body: "action=watched&fraction=0.5")
            let most = try await Self.send(browser, .POST, "/learn/\(Self.slug)/03a-video/progress", headers: json, body: "action=watched&fraction=0.85")
            try await Self.send(browser, .POST, "/learn/\(Self.slug)/03a-video/progress", headers: json, body: "action=watched&fraction=0.2")
            let folder = try await browser.get("/learn/\(Self.slug)/03-praktijk")
            let attempt = try #require(try await Self.attempts(app, enrolment, module: "03a-video").first)

            #expect(page.contains(#"<video id="module-video""#))
            #expect(page.contains(#"src="/content/wondzorg-thuis/1/media/wonde.mp4""#))
            #expect(page.contains("Bekijk minstens 80% van de video."))
            #expect(half.status == .ok)
            #expect(half.body.string.contains(#""state":"in-progress""#))
            #expect(half.body.string.contains("Je bekeek al 50% van de video."))
            #expect(most.body.string.contains(#""state":"done""#))
            #expect(attempt.progress == 0.85, "the watched share never drops")
            #expect(attempt.completion == .completed)
            #expect(folder.headers.first(name: .location) == "/learn/\(Self.slug)/03a-video", "a folder opens its first module")
        }
    }

    @Test(arguments: TestDatabase.all)
    func resumeGoesToTheLastModuleAlsoOnAnotherDevice(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, _) = try await Self.enrolledLearner(app)
            try await browser.get("/learn/\(Self.slug)/01-intro")
            try await browser.get("/learn/\(Self.slug)/04-richtlijn")

            let here = try await browser.get("/learn/\(Self.slug)")
            let phone = Browser(app)
            try await phone.post("/login", form: ["email": "an@wijkzorg.be", "password": AccountPageTests.goodForm["password"]!])
            let there = try await phone.get("/learn/\(Self.slug)")
            let learning = try await phone.get("/my-learning").body.string
            let coursePage = try await phone.get("/courses/\(Self.slug)").body.string

            #expect(here.headers.first(name: .location) == "/learn/\(Self.slug)/04-richtlijn")
            #expect(there.headers.first(name: .location) == "/learn/\(Self.slug)/04-richtlijn")
            #expect(learning.contains(#"href="/learn/wondzorg-thuis">Verder leren</a>"#))
            #expect(learning.contains("1 van 4 onderdelen klaar"), "the intro page counts; the optional link does not")
            #expect(coursePage.contains(#"<a class="button" href="/learn/wondzorg-thuis">Verder leren</a>"#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theLinkOpensInANewTab(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, _) = try await Self.enrolledLearner(app)

            let course = try await browser.get("/courses/\(Self.slug)").body.string
            let page = try await browser.get("/learn/\(Self.slug)/04-richtlijn").body.string

            #expect(course.contains(#"<a class="button" href="/learn/wondzorg-thuis">Begin met de opleiding</a>"#))
            #expect(page.contains(#"href="https://example.org/richtlijn" target="_blank" rel="noopener noreferrer""#))
            #expect(page.contains("Niet verplicht"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyEnrolledLearnersPlay(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            var hidden = TestCourses.package(slug: "verborgen", title: "Verborgen")
            hidden.access = [PackageAccessRule(scope: .visibility, whenDenied: .hide, ruleJSON: #"{"platform-role":{"roles":["admin"]}}"#)]
            try await Self.publish(app, hidden)
            let (stranger, strangerID) = try await EnrolmentPageTests.signUp(app, "bo@wijkzorg.be")
            let anonymous = Browser(app)

            let page = try await stranger.get("/learn/\(Self.slug)/01-intro")
            let resume = try await stranger.get("/learn/\(Self.slug)")
            let post = try await stranger.post("/learn/\(Self.slug)/02-opdracht/progress", form: ["action": "done"])
            let hiddenCourse = try await stranger.get("/learn/verborgen")
            let missing = try await stranger.get("/learn/bestaat-niet")
            let signedOut = try await anonymous.get("/learn/\(Self.slug)/01-intro")
            let attempts = try await ModuleAttempt.query(on: app.db).filter(\.$user.$id == strangerID).count()

            #expect(page.status == .forbidden)
            #expect(page.body.string.contains("Je bent niet ingeschreven voor deze opleiding."))
            #expect(page.body.string.contains(#"href="/courses/wondzorg-thuis""#))
            #expect(resume.status == .forbidden)
            #expect(post.status == .forbidden)
            #expect(hiddenCourse.status == .notFound)
            #expect(missing.status == .notFound)
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(attempts == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func adminsPreviewWithoutSavingAnything(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let admin = try await TrainerUploadTests.signIn(app, role: .admin, email: "admin@vivel.be")

            let page = try await admin.get("/learn/\(Self.slug)/01-intro")
            let post = try await admin.post("/learn/\(Self.slug)/02-opdracht/progress", form: ["action": "done"])
            let coursePage = try await admin.get("/courses/\(Self.slug)").body.string

            #expect(page.status == .ok)
            #expect(page.body.string.contains("Je bekijkt deze opleiding als voorbeeld."))
            #expect(post.status == .seeOther)
            #expect(try await ModuleAttempt.query(on: app.db).count() == 0)
            #expect(coursePage.contains(#"href="/learn/wondzorg-thuis">Bekijk de opleiding zoals een deelnemer"#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func moduleRulesLockOrHideModules(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app, Self.package(moduleAccess: [
                PackageAccessRule(scope: .module, moduleKey: "02-opdracht", whenDenied: .showLocked,
                                  ruleJSON: #"{"profession":{"in":["gp"]}}"#),
                PackageAccessRule(scope: .module, moduleKey: "03-praktijk", whenDenied: .hide,
                                  ruleJSON: #"{"profession":{"in":["gp"]}}"#),
            ]))
            let (browser, enrolment) = try await Self.enrolledLearner(app)

            let locked = try await browser.get("/learn/\(Self.slug)/02-opdracht")
            let post = try await browser.post("/learn/\(Self.slug)/02-opdracht/progress", form: ["action": "done"])
            let hiddenChild = try await browser.get("/learn/\(Self.slug)/03a-video")
            let html = locked.body.string

            #expect(locked.status == .ok)
            #expect(html.contains("Dit onderdeel is op slot."))
            #expect(html.contains("Op slot"))
            #expect(!html.contains("Ik ben klaar met dit onderdeel"))
            #expect(!html.contains("Wonde verzorgen"), "a hidden folder hides what is in it")
            #expect(post.status == .forbidden)
            #expect(hiddenChild.status == .notFound)
            #expect(try await Self.attempts(app, enrolment, module: "02-opdracht").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sendingTheSameProgressTwiceAtOnceMakesOneAttempt(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, enrolment) = try await Self.enrolledLearner(app)
            try await browser.get("/")

            let (headers, body) = Self.form(browser, ["action": "done"])
            let path = "/learn/\(Self.slug)/02-opdracht"

            async let first = Self.send(browser, .POST, path + "/progress", headers: headers, body: body)
            async let second = Self.send(browser, .POST, path + "/progress", headers: headers, body: body)
            async let third = Self.send(browser, .GET, path)
            let statuses = try await [first.status, second.status, third.status]
            let attempts = try await Self.attempts(app, enrolment, module: "02-opdracht")

            #expect(statuses == [.seeOther, .seeOther, .ok])
            #expect(attempts.count == 1)
            #expect(attempts.first?.completion == .completed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func finishingTheLastRequiredModuleCompletesTheCourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app)
            let (browser, enrolment) = try await Self.enrolledLearner(app)
            try await browser.get("/learn/\(Self.slug)/01-intro")
            try await browser.post("/learn/\(Self.slug)/02-opdracht/progress", form: ["action": "done"])
            try await browser.post("/learn/\(Self.slug)/03a-video/progress", form: ["action": "watched", "fraction": "1"])

            try await Self.postQuiz(browser, Self.rightAnswers.map { ($0.key, $0.value) })
            let page = try await browser.get("/learn/\(Self.slug)/05-toets").body.string
            let again = try await browser.get("/learn/\(Self.slug)/05-toets").body.string
            let stored = try #require(try await Enrolment.find(enrolment.id, on: app.db))

            #expect(page.contains("4 van 4 verplichte onderdelen klaar"))
            #expect(page.contains("Proficiat! Je hebt de opleiding afgerond."))
            #expect(!again.contains("Proficiat!"), "the notice shows once")
            #expect(again.contains("Je hebt deze opleiding afgerond."))
            #expect(stored.status == .completed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRequiredModuleHiddenFromALearnerDoesNotBlockTheirCompletion(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.publish(app, Self.package(moduleAccess: [
                PackageAccessRule(scope: .module, moduleKey: "03-praktijk", whenDenied: .hide,
                                  ruleJSON: #"{"profession":{"in":["gp"]}}"#),
            ]))
            let (nurse, nurseEnrolment) = try await Self.enrolledLearner(app, email: "an@wijkzorg.be")
            let (doctor, doctorEnrolment) = try await Self.enrolledLearner(app, email: "jan@huisarts.be")
            let gp = try #require(try await User.find(doctorEnrolment.$user.id, on: app.db))
            gp.profession = "gp"
            try await gp.save(on: app.db)

            for browser in [nurse, doctor] {
                try await browser.get("/learn/\(Self.slug)/01-intro")
                try await browser.post("/learn/\(Self.slug)/02-opdracht/progress", form: ["action": "done"])
                try await Self.postQuiz(browser, Self.rightAnswers.map { ($0.key, $0.value) })
            }
            let nursePage = try await nurse.get("/learn/\(Self.slug)/05-toets").body.string
            let doctorPage = try await doctor.get("/learn/\(Self.slug)/05-toets").body.string
            let nurseLearning = try await nurse.get("/my-learning").body.string

            #expect(nursePage.contains("3 van 3 verplichte onderdelen klaar"), "the hidden video is not asked of her")
            #expect(try await Enrolment.find(nurseEnrolment.id, on: app.db)?.status == .completed)
            #expect(nurseLearning.contains("3 van 3"))
            #expect(doctorPage.contains("3 van 4 verplichte onderdelen klaar"), "a GP sees the video and must watch it")
            #expect(try await Enrolment.find(doctorEnrolment.id, on: app.db)?.status == .active)
        }
    }
}
