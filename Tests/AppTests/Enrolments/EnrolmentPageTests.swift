@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Enrolment keys, windows, capacity, the waiting list and withdrawing, through the course page.
@Suite struct EnrolmentPageTests {
    @discardableResult
    static func publish(_ app: Application, slug: String, rule: String? = nil) async throws -> UUID {
        var package = TestCourses.package(slug: slug, title: "Opleiding \(slug)")
        if let rule {
            package.access = [PackageAccessRule(scope: .enrolment, whenDenied: .showLocked, ruleJSON: rule)]
        }
        try await TestCourses.publish(package, on: app.db)
        await app.catalogue.invalidate()
        return try #require(try await Course.query(on: app.db).filter(\.$slug == slug).first()?.id)
    }

    static func signUp(_ app: Application, _ email: String) async throws -> (Browser, UUID) {
        let browser = Browser(app)
        var form = AccountPageTests.goodForm
        form["email"] = email
        form["profession"] = "home-nurse"
        form["registrationNumber"] = nil
        let response = try await browser.post("/register", form: form)
        #expect(response.status == .seeOther, "registering \(email)")
        let id = try #require(try await User.query(on: app.db).filter(\.$email == email).first()?.id)
        return (browser, id)
    }

    static func enrolment(_ app: Application, user: UUID, course: UUID) async throws -> Enrolment? {
        try await Enrolment.query(on: app.db).filter(\.$user.$id == user).filter(\.$course.$id == course).first()
    }

    static func statuses(_ app: Application, course: UUID) async throws -> [Enrolment.Status: Int] {
        try await Enrolment.query(on: app.db).filter(\.$course.$id == course).all()
            .reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
    }

    static func day(_ offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = BrusselsTime.timeZone
        return CalendarDay(calendar.date(byAdding: .day, value: offset, to: Date())!).iso
    }

    @Test(arguments: TestDatabase.all)
    func aKeyedCourseAsksTheKeyAndRemembersTheRightOne(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            // The manifest asks the key through the access rule; the settings hold it.
            let courseID = try await Self.publish(app, slug: "wondzorg", rule: #"{"enrolment-key":{}}"#)
            try await EnrolmentSettings(courseID: courseID, enrolmentKey: "Wondzorg-2027").save(on: app.db)
            let (browser, userID) = try await Self.signUp(app, "an@zorgraad.be")

            let page = try await browser.get("/courses/wondzorg").body.string
            try await browser.post("/courses/wondzorg/enrol", form: [:])
            let missing = try await browser.get("/courses/wondzorg").body.string
            try await browser.post("/courses/wondzorg/enrol", form: ["key": "wondzorg-2026"])
            let wrong = try await browser.get("/courses/wondzorg").body.string
            let afterWrong = try await Self.enrolment(app, user: userID, course: courseID)
            try await browser.post("/courses/wondzorg/enrol", form: ["key": "Wondzorg-2027"])
            let enrolled = try await Self.enrolment(app, user: userID, course: courseID)
            let pageAfter = try await browser.get("/courses/wondzorg").body.string

            #expect(page.contains("name=\"key\""))
            #expect(page.contains("action=\"/courses/wondzorg/enrol\""))
            #expect(missing.contains("Voor deze opleiding heb je een inschrijvingssleutel nodig."))
            #expect(wrong.contains("Die inschrijvingssleutel klopt niet."))
            #expect(afterWrong == nil)
            #expect(enrolled?.status == .active)
            #expect(enrolled?.keyAccepted == true)
            // The rule engine now counts the key as given: the course is open, no lock reason, no key field.
            #expect(pageAfter.contains("Je bent ingeschreven voor deze opleiding."))
            #expect(!pageAfter.contains("name=\"key\""))
            #expect(!pageAfter.contains("class=\"lock-reason\""))
        }
    }

    @Test(arguments: TestDatabase.all)
    func theWindowIsShownAndEnforced(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let laterID = try await Self.publish(app, slug: "later")
            try await EnrolmentSettings(courseID: laterID, opensOn: Self.day(1), closesOn: Self.day(30)).save(on: app.db)
            let pastID = try await Self.publish(app, slug: "voorbij")
            try await EnrolmentSettings(courseID: pastID, opensOn: Self.day(-30), closesOn: Self.day(-1)).save(on: app.db)
            let todayID = try await Self.publish(app, slug: "vandaag")
            try await EnrolmentSettings(courseID: todayID, closesOn: Self.day(0)).save(on: app.db)
            let (browser, userID) = try await Self.signUp(app, "an@zorgraad.be")

            let laterPage = try await browser.get("/courses/later").body.string
            try await browser.post("/courses/later/enrol", form: [:])
            let laterNotice = try await browser.get("/courses/later").body.string
            try await browser.post("/courses/voorbij/enrol", form: [:])
            let pastNotice = try await browser.get("/courses/voorbij").body.string
            try await browser.post("/courses/vandaag/enrol", form: [:])

            #expect(laterPage.contains("Inschrijven kan van "))
            #expect(laterNotice.contains("De inschrijvingen voor deze opleiding zijn nog niet geopend."))
            #expect(pastNotice.contains("De inschrijvingen voor deze opleiding zijn afgesloten."))
            #expect(try await Self.enrolment(app, user: userID, course: laterID) == nil)
            #expect(try await Self.enrolment(app, user: userID, course: pastID) == nil)
            #expect(try await Self.enrolment(app, user: userID, course: todayID)?.status == .active)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFullCourseQueuesAndAWithdrawalMovesTheFirstUp(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await Self.publish(app, slug: "reanimatie")
            try await EnrolmentSettings(courseID: courseID, capacity: 1, waitingList: true).save(on: app.db)
            let (first, firstID) = try await Self.signUp(app, "een@zorgraad.be")
            let (second, secondID) = try await Self.signUp(app, "twee@zorgraad.be")
            let (third, thirdID) = try await Self.signUp(app, "drie@zorgraad.be")

            try await first.post("/courses/reanimatie/enrol", form: [:])
            let fullPage = try await second.get("/courses/reanimatie").body.string
            try await second.post("/courses/reanimatie/enrol", form: [:])
            try await third.post("/courses/reanimatie/enrol", form: [:])
            let thirdPage = try await third.get("/courses/reanimatie").body.string
            let thirdLearning = try await third.get("/my-learning").body.string
            let withdrawal = try await first.post("/courses/reanimatie/unenrol", form: [:])
            let forged = try await third.post("/courses/reanimatie/unenrol", form: [:], csrf: false)
            let secondLearning = try await second.get("/my-learning").body.string
            let thirdLearningAfter = try await third.get("/my-learning").body.string

            #expect(fullPage.contains("Volzet: wie nu inschrijft, komt op de wachtlijst."))
            #expect(thirdPage.contains("Je staat op de wachtlijst, op plaats 2."))
            #expect(thirdPage.contains("action=\"/courses/reanimatie/unenrol\""))
            #expect(thirdLearning.contains("op de wachtlijst, plaats 2"))
            #expect(withdrawal.status == .seeOther)
            #expect(forged.status == .forbidden)
            #expect(try await Self.enrolment(app, user: firstID, course: courseID)?.status == .withdrawn)
            #expect(try await Self.enrolment(app, user: secondID, course: courseID)?.status == .active)
            #expect(try await Self.enrolment(app, user: thirdID, course: courseID)?.status == .waiting)
            #expect(secondLearning.contains("Bezig"))
            #expect(thirdLearningAfter.contains("op de wachtlijst, plaats 1"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFullCourseWithoutWaitingListRefuses(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await Self.publish(app, slug: "klein")
            try await EnrolmentSettings(courseID: courseID, capacity: 1).save(on: app.db)
            let (first, _) = try await Self.signUp(app, "een@zorgraad.be")
            let (second, secondID) = try await Self.signUp(app, "twee@zorgraad.be")

            try await first.post("/courses/klein/enrol", form: [:])
            try await second.post("/courses/klein/enrol", form: [:])
            let page = try await second.get("/courses/klein").body.string

            #expect(page.contains("De opleiding is volzet en heeft geen wachtlijst."))
            #expect(try await Self.enrolment(app, user: secondID, course: courseID) == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aWithdrawnLearnerEnrolsAgainWithoutRetypingTheKey(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await Self.publish(app, slug: "terug")
            try await EnrolmentSettings(courseID: courseID, enrolmentKey: "sleutel").save(on: app.db)
            let (browser, userID) = try await Self.signUp(app, "an@zorgraad.be")

            try await browser.post("/courses/terug/enrol", form: ["key": "sleutel"])
            let activePage = try await browser.get("/courses/terug").body.string
            try await browser.post("/courses/terug/unenrol", form: [:])
            let withdrawnPage = try await browser.get("/courses/terug").body.string
            try await browser.post("/courses/terug/enrol", form: [:])
            let rows = try await Enrolment.query(on: app.db).filter(\.$course.$id == courseID).all()

            #expect(activePage.contains("action=\"/courses/terug/unenrol\""))
            #expect(withdrawnPage.contains("Je bent uitgeschreven voor deze opleiding."))
            #expect(withdrawnPage.contains("action=\"/courses/terug/enrol\""))
            #expect(!withdrawnPage.contains("name=\"key\""))
            #expect(rows.count == 1)
            #expect(rows.first?.status == .active)
            #expect(rows.first?.$user.id == userID)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDoubleClickEnrolsOnce(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await Self.publish(app, slug: "open")
            let (browser, _) = try await Self.signUp(app, "an@zorgraad.be")
            _ = try await browser.get("/")

            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 { group.addTask { try await browser.post("/courses/open/enrol", form: [:]) } }
                try await group.waitForAll()
            }

            #expect(try await Self.statuses(app, course: courseID) == [.active: 1])
        }
    }

    @Test(arguments: TestDatabase.all)
    func twentyConcurrentLearnersNeverExceedFiveSeats(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let queued = try await Self.publish(app, slug: "vijf-met-wachtlijst")
            try await EnrolmentSettings(courseID: queued, capacity: 5, waitingList: true).save(on: app.db)
            let refused = try await Self.publish(app, slug: "vijf-zonder-wachtlijst")
            try await EnrolmentSettings(courseID: refused, capacity: 5).save(on: app.db)
            var browsers: [Browser] = []
            for number in 1...20 { browsers.append(try await Self.signUp(app, "lerende\(number)@zorgraad.be").0) }

            for slug in ["vijf-met-wachtlijst", "vijf-zonder-wachtlijst"] {
                let codes = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for browser in browsers {
                        group.addTask { try await browser.post("/courses/\(slug)/enrol", form: [:]).status.code }
                    }
                    return try await group.reduce(into: [UInt]()) { $0.append($1) }
                }
                #expect(codes.allSatisfy { $0 == 303 }, "\(slug): \(codes)")
            }

            #expect(try await Self.statuses(app, course: queued) == [.active: 5, .waiting: 15])
            #expect(try await Self.statuses(app, course: refused) == [.active: 5])
            let positions = try await Enrolment.query(on: app.db).filter(\.$course.$id == queued)
                .filter(\.$status == .waiting).all().map(\.queuedAt)
            #expect(positions.allSatisfy { $0 != nil })
        }
    }
}

/// The database lock alone keeps the seats right: each desk here has its own in-process lock, as two
/// server processes would.
@Suite struct EnrolmentDeskLockTests {
    /// PostgreSQL only: SQLite serves one process, where the in-process lock applies; without it, 20 writers
    /// busy-wait on the 2-thread pool sqlite-nio shares, which stalls other tests running at the same time.
    @Test(arguments: TestDatabase.all.filter { $0 == .postgres })
    func separateProcessesStillFillFiveSeatsOnly(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let courseID = try await EnrolmentPageTests.publish(app, slug: "vijf")
            try await EnrolmentSettings(courseID: courseID, capacity: 5, waitingList: true).save(on: app.db)
            let versionID = try #require(try await Course.find(courseID, on: app.db)?.$currentVersion.id)
            var userIDs: [UUID] = []
            for number in 1...20 {
                let user = User(email: "p\(number)@zorgraad.be", name: "P \(number)", passwordHash: "-", role: .learner, profession: "gp")
                try await user.save(on: app.db)
                userIDs.append(try user.requireID())
            }

            let results = try await withThrowingTaskGroup(of: EnrolmentDesk.Result.self) { group in
                for userID in userIDs {
                    group.addTask {
                        try await EnrolmentDesk(database: app.db, locks: CourseLocks())
                            .enrol(userID: userID, courseID: courseID, versionID: versionID, presentedKey: nil)
                    }
                }
                return try await group.reduce(into: [EnrolmentDesk.Result]()) { $0.append($1) }
            }

            #expect(results.filter { $0 == .enrolled }.count == 5)
            #expect(results.filter { if case .waiting = $0 { true } else { false } }.count == 15)
            #expect(try await EnrolmentPageTests.statuses(app, course: courseID) == [.active: 5, .waiting: 15])
            let positions = results.compactMap { if case .waiting(let position) = $0 { position } else { nil } }.sorted()
            #expect(positions == Array(1...15), "waiting positions are 1...15 without gaps or repeats")
        }
    }
}

/// Seats reserved for a care board go to its members, on enrolment and when the waiting list moves up.
@Suite struct ReservedSeatTests {
    @Test(arguments: TestDatabase.all)
    func aFreedBoardSeatSkipsWaitingNonMembers(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await BoardAccessPageTests.loadBoards(app)
            let courseID = try await EnrolmentPageTests.publish(app, slug: "gentse-zorg")
            try await EnrolmentSettings(courseID: courseID, capacity: 2, reservedSeats: ["ZR-GENT": 1], waitingList: true).save(on: app.db)
            let versionID = try #require(try await Course.find(courseID, on: app.db)?.$currentVersion.id)
            var people: [String: UUID] = [:]
            for name in ["anna", "bert", "chris", "dina"] {
                let user = User(email: "\(name)@zorgraad.be", name: name, passwordHash: "-", role: .learner, profession: "gp")
                try await user.save(on: app.db)
                people[name] = try user.requireID()
            }
            for name in ["chris", "dina"] {
                try await BoardMembership(userID: people[name]!, boardID: boards.gent, role: .member, cluster: .care,
                                          validFrom: BoardAccessPageTests.day(-10)).save(on: app.db)
            }
            let desk = EnrolmentDesk(database: app.db, locks: app.courseLocks)
            func enrol(_ name: String) async throws -> EnrolmentDesk.Result {
                try await desk.enrol(userID: people[name]!, courseID: courseID, versionID: versionID, presentedKey: nil)
            }
            func seat(_ name: String) async throws -> (Enrolment.Status?, String?) {
                let enrolment = try await EnrolmentPageTests.enrolment(app, user: people[name]!, course: courseID)
                return (enrolment?.status, enrolment?.seatBoard)
            }

            let anna = try await enrol("anna")
            let bert = try await enrol("bert")
            let chris = try await enrol("chris")
            let dina = try await enrol("dina")
            let chrisLeaves = try await desk.withdraw(userID: people["chris"]!, courseID: courseID)
            let bertAfterChris = try await seat("bert")
            let dinaAfterChris = try await seat("dina")
            let annaLeaves = try await desk.withdraw(userID: people["anna"]!, courseID: courseID)
            let bertAfterAnna = try await seat("bert")

            #expect(anna == .enrolled)
            #expect(bert == .waiting(position: 1))
            #expect(chris == .enrolled)
            #expect(try await seat("chris") == (.withdrawn, nil))
            #expect(dina == .waiting(position: 2))
            #expect(chrisLeaves == .withdrawnAndPromoted(people["dina"]!))
            #expect(bertAfterChris == (.waiting, nil))
            #expect(dinaAfterChris == (.active, "ZR-GENT"))
            #expect(annaLeaves == .withdrawnAndPromoted(people["bert"]!))
            #expect(bertAfterAnna == (.active, nil))
        }
    }
}
