@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Care board memberships and groups decide what the catalogue and course pages open, without a restart.
@Suite struct BoardAccessPageTests {
    static let limburgOnly = #"{"board-member":{"provinces":["limburg"]}}"#
    static let seedFile = CareBoardRegisterTests.seedFile

    static func publish(_ app: Application, slug: String, title: String, rule: String) async throws {
        var package = TestCourses.package(slug: slug, title: title)
        package.access = [PackageAccessRule(scope: .visibility, whenDenied: .showLocked, ruleJSON: rule)]
        try await TestCourses.publish(package, on: app.db)
        await app.catalogue.invalidate()
    }

    /// The real register, so that codes and provinces are the ones the academy starts with.
    static func loadBoards(_ app: Application) async throws -> (herkenrode: UUID, gent: UUID) {
        _ = try await CareBoardLoader(file: seedFile).load(on: app.db)
        await app.accessDirectory.invalidate()
        let herkenrode = try #require(try await CareBoard.query(on: app.db).filter(\.$code == "ZR-HERKENRODE").first()?.id)
        let gent = try #require(try await CareBoard.query(on: app.db).filter(\.$code == "ZR-GENT").first()?.id)
        return (herkenrode, gent)
    }

    /// Registers through the form, which signs the browser in.
    static func signUp(_ browser: Browser, email: String = "an@zorgraad.be") async throws -> UUID {
        var form = AccountPageTests.goodForm
        form["email"] = email
        let response = try await browser.post("/register", form: form)
        #expect(response.status == .seeOther)
        return try #require(try await User.query(on: browser.app.db).filter(\.$email == email).first()?.id)
    }

    /// The catalogue card showing `title`, starting with its class suffix (" locked" or nothing).
    static func card(_ html: String, _ title: String) -> String? {
        html.components(separatedBy: "<li class=\"card").first { $0.contains(title) }
    }

    static func isLockedInCatalogue(_ browser: Browser, _ title: String) async throws -> Bool {
        let card = try #require(Self.card(try await browser.get("/").body.string, title), "the card for \(title) is listed")
        return card.hasPrefix(" locked")
    }

    static func canEnrol(_ browser: Browser, slug: String) async throws -> Bool {
        let page = try await browser.get("/courses/\(slug)")
        #expect(page.status == .ok)
        return page.body.string.contains("action=\"/courses/\(slug)/enrol\"")
    }

    static func day(_ offset: Int) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = CalendarDay.timeZone
        return CalendarDay(calendar.date(byAdding: .day, value: offset, to: Date())!)
    }

    @Test(arguments: TestDatabase.all)
    func aMemberSeesTheBoardCourseOpenUntilTheMembershipEnds(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await Self.loadBoards(app)
            try await Self.publish(app, slug: "limburgse-zorgraden", title: "Werken in een Limburgse zorgraad", rule: Self.limburgOnly)
            let browser = Browser(app)
            let userID = try await Self.signUp(browser)

            let lockedBefore = try await Self.isLockedInCatalogue(browser, "Werken in een Limburgse zorgraad")
            let enrolBefore = try await Self.canEnrol(browser, slug: "limburgse-zorgraden")
            let membership = BoardMembership(userID: userID, boardID: boards.herkenrode, role: .member, cluster: .care,
                                             validFrom: Self.day(-30))
            try await membership.save(on: app.db)
            let lockedAsMember = try await Self.isLockedInCatalogue(browser, "Werken in een Limburgse zorgraad")
            let enrolAsMember = try await Self.canEnrol(browser, slug: "limburgse-zorgraden")
            membership.validUntil = Self.day(-1).iso
            try await membership.save(on: app.db)
            let lockedAfter = try await Self.isLockedInCatalogue(browser, "Werken in een Limburgse zorgraad")
            let coursePage = try await browser.get("/courses/limburgse-zorgraden").body.string
            let enrolAttempt = try await browser.post("/courses/limburgse-zorgraden/enrol", form: [:])

            #expect(lockedBefore && !enrolBefore)
            #expect(!lockedAsMember && enrolAsMember)
            #expect(lockedAfter, "a membership that ended yesterday no longer opens the course")
            #expect(!coursePage.contains("action=\"/courses/limburgse-zorgraden/enrol\""))
            #expect(coursePage.contains("Enkel voor medewerkers en leden van een zorgraad in Limburg"))
            #expect(enrolAttempt.status == .forbidden)
            #expect(try await Enrolment.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingTheMembershipLocksTheCourseAtOnce(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await Self.loadBoards(app)
            try await Self.publish(app, slug: "limburgse-zorgraden", title: "Werken in een Limburgse zorgraad", rule: Self.limburgOnly)
            let browser = Browser(app)
            let userID = try await Self.signUp(browser)
            let membership = BoardMembership(userID: userID, boardID: boards.herkenrode, role: .staff)
            try await membership.save(on: app.db)

            let enrolled = try await browser.post("/courses/limburgse-zorgraden/enrol", form: [:])
            try await membership.delete(on: app.db)
            let lockedAfter = try await Self.isLockedInCatalogue(browser, "Werken in een Limburgse zorgraad")

            #expect(enrolled.status == .seeOther)
            #expect(try await Enrolment.query(on: app.db).count() == 1)
            #expect(lockedAfter)
        }
    }

    @Test(arguments: TestDatabase.all)
    func onlyMembershipsValidTodayInTheRuleProvinceOpenTheCourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await Self.loadBoards(app)
            try await Self.publish(app, slug: "limburgse-zorgraden", title: "Werken in een Limburgse zorgraad", rule: Self.limburgOnly)
            let browser = Browser(app)
            let userID = try await Self.signUp(browser)

            try await BoardMembership(userID: userID, boardID: boards.gent, role: .member, cluster: .care).save(on: app.db)
            let otherProvince = try await Self.isLockedInCatalogue(browser, "Werken in een Limburgse zorgraad")
            let future = BoardMembership(userID: userID, boardID: boards.herkenrode, role: .member, cluster: .care,
                                         validFrom: Self.day(1))
            try await future.save(on: app.db)
            let notYetValid = try await Self.isLockedInCatalogue(browser, "Werken in een Limburgse zorgraad")
            future.validFrom = Self.day(-10).iso
            future.validUntil = Self.day(0).iso
            try await future.save(on: app.db)
            let lastDay = try await Self.isLockedInCatalogue(browser, "Werken in een Limburgse zorgraad")

            #expect(otherProvince, "a board in Oost-Vlaanderen does not count for a Limburg course")
            #expect(notYetValid, "a membership starting tomorrow does not count yet")
            #expect(!lastDay, "the last day of a membership is included")
        }
    }

    @Test(arguments: TestDatabase.all)
    func ruleTextsUseBoardAndGroupNamesAndGroupMembershipOpensTheCourse(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let boards = try await Self.loadBoards(app)
            let group = AccessGroup(key: "vaccinatiecentra", names: ["nl": "Populatiemanagers vaccinatiecentra", "en": "Vaccination centre managers"])
            try await group.save(on: app.db)
            await app.accessDirectory.invalidate()
            try await Self.publish(app, slug: "herkenrode-staf", title: "Voor de staf van Herkenrode",
                                   rule: #"{"board-member":{"boards":["ZR-HERKENRODE"],"roles":["staff"]}}"#)
            try await Self.publish(app, slug: "vaccinatie", title: "Vaccinatiecentra organiseren",
                                   rule: #"{"in-group":{"groups":["vaccinatiecentra"]}}"#)
            try await Self.publish(app, slug: "onbekende-zorgraad", title: "Een onbekende zorgraad",
                                   rule: #"{"board-member":{"boards":["ZR-ATLANTIS"]}}"#)

            let anonymous = try await Browser(app).get("/").body.string
            let browser = Browser(app)
            let userID = try await Self.signUp(browser)
            try await BoardMembership(userID: userID, boardID: boards.herkenrode, role: .staff).save(on: app.db)
            try await GroupMembership(userID: userID, groupID: try #require(group.id)).save(on: app.db)
            let staffCourse = try await Self.isLockedInCatalogue(browser, "Voor de staf van Herkenrode")
            let groupCourse = try await Self.isLockedInCatalogue(browser, "Vaccinatiecentra organiseren")
            let unknownBoard = try await Self.isLockedInCatalogue(browser, "Een onbekende zorgraad")

            #expect(anonymous.contains("Enkel voor medewerkers van Zorgraad Herkenrode"))
            #expect(anonymous.contains("Enkel voor leden van de groep ‘Populatiemanagers vaccinatiecentra’"))
            #expect(!staffCourse && !groupCourse)
            #expect(unknownBoard, "a rule naming a board the academy does not know denies everyone")
        }
    }
}
