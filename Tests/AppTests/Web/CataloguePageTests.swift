@testable import App
import Fluent
import Testing
import VaporTesting

@Suite struct CataloguePageTests {
    static func seed(_ app: Application) async throws {
        try await TestCourses.publish(TestCourses.package(
            slug: "omgevingsanalyse", title: "Introductie tot Omgevingsanalyse", summary: "Breng de noden van je zone in kaart.",
            keywords: ["sociale kaart"], themes: ["population-health"], professions: ["care-board-staff"], restricted: true), on: app.db)
        try await TestCourses.publish(TestCourses.package(
            slug: "veilige-communicatie", title: "Veilige communicatie in zorg", summary: "GDPR voor zorgverleners.",
            keywords: ["privacy", "GDPR"], themes: ["privacy"], professions: ["gp", "pharmacist"],
            accreditation: PackageAccreditation(body: "riziv-inami", number: "A-2026-0142", points: 1.5, rubric: "6")), on: app.db)
        try await TestCourses.publish(TestCourses.package(
            slug: "patient-gegevens", title: "De patiënt en zijn gezondheidsgegevens", summary: "eHealth en toegang.",
            themes: ["digital-health"], professions: ["gp"], language: "nl"), on: app.db)
        await app.catalogue.invalidate()
    }

    @Test(arguments: TestDatabase.all)
    func catalogueListsPublishedCoursesAsCards(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)

            let page = try await Browser(app).get("/")

            #expect(page.status == .ok)
            #expect(page.headers.contentType == .html)
            let html = page.body.string
            #expect(html.contains("<html lang=\"nl\">"))
            #expect(html.contains("Introductie tot Omgevingsanalyse"))
            #expect(html.contains("Veilige communicatie in zorg"))
            #expect(html.contains("1,5 CP"))
            #expect(html.contains("Enkel voor medewerkers en leden van een zorgraad"))
            #expect(html.contains("Open voor iedereen"))
            #expect(html.contains("3 opleidingen"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func searchFoldsCaseAndAccents(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let browser = Browser(app)

            let lower = try await browser.get("/?q=omgevingsanalyse").body.string
            let accent = try await browser.get("/?q=PATIENT").body.string
            let keyword = try await browser.get("/?q=gdpr").body.string
            let none = try await browser.get("/?q=kwantumfysica").body.string

            #expect(lower.contains("Introductie tot Omgevingsanalyse"))
            #expect(!lower.contains("Veilige communicatie"))
            #expect(accent.contains("De patiënt en zijn gezondheidsgegevens"))
            #expect(keyword.contains("Veilige communicatie in zorg"))
            #expect(none.contains("Geen opleidingen gevonden"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func filtersNarrowTheListAndPaginationKeepsThem(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            for number in 1...25 {
                try await TestCourses.publish(TestCourses.package(slug: "extra-\(number)", title: "Extra privacycursus \(number)",
                                                                  themes: ["privacy"]), on: app.db)
            }
            await app.catalogue.invalidate()
            let browser = Browser(app)

            let accredited = try await browser.get("/?accredited=1").body.string
            let gp = try await browser.get("/?profession=gp").body.string
            let privacy = try await browser.get("/?theme=privacy").body.string
            let secondPage = try await browser.get("/?theme=privacy&page=2").body.string
            let openToMe = try await browser.get("/?open=1").body.string

            #expect(accredited.contains("Veilige communicatie") && !accredited.contains("Omgevingsanalyse"))
            #expect(gp.contains("Veilige communicatie") && gp.contains("De patiënt") && !gp.contains("Omgevingsanalyse"))
            #expect(privacy.contains("26 opleidingen"))
            #expect(privacy.contains("href=\"/?theme=privacy&amp;page=2\"") || privacy.contains("href=\"/?theme=privacy&page=2\""))
            #expect(secondPage.contains("aria-current=\"page\">2<"))
            #expect(!openToMe.contains("Omgevingsanalyse"), "a restricted course is not open to an anonymous visitor")
        }
    }

    @Test(arguments: TestDatabase.all)
    func coursePageShowsModulesAccreditationAndEnrolButton(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)

            let page = try await Browser(app).get("/courses/veilige-communicatie")

            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Module 1") && html.contains("Module 2"))
            #expect(html.contains("A-2026-0142"))
            #expect(html.contains("RIZIV"))
            #expect(html.contains("Meld je aan om in te schrijven"))
            #expect(html.contains("Je kent de basis."))
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownCourseIsAFriendly404Page(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let page = try await Browser(app).get("/courses/bestaat-niet")

            #expect(page.status == .notFound)
            #expect(page.headers.contentType == .html)
            #expect(page.body.string.contains("Pagina niet gevonden"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func languageFollowsAcceptLanguageAndTheSwitchIsRemembered(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let browser = Browser(app)

            let french = try await browser.get("/", headers: ["Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"]).body.string
            let switched = try await browser.get("/language/en?return=/courses/veilige-communicatie")
            let english = try await browser.get("/").body.string

            #expect(french.contains("<html lang=\"fr\">"))
            #expect(switched.status == .seeOther)
            #expect(switched.headers.first(name: .location) == "/courses/veilige-communicatie")
            #expect(english.contains("<html lang=\"en\">"))
            #expect(english.contains("Veilige communicatie in zorg (EN)"), "course titles follow the interface language when the course has one")
        }
    }

    @Test(arguments: TestDatabase.all)
    func languageSwitchRefusesForeignReturnAddresses(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let response = try await Browser(app).get("/language/fr?return=//evil.example/")

            #expect(response.headers.first(name: .location) == "/")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSharedAnonymousPageFollowsCatalogueChanges(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await Self.seed(app)
            let visitor = Browser(app)
            let before = try await visitor.get("/").body.string
            let again = try await Browser(app).get("/").body.string

            try await TestCourses.publish(TestCourses.package(slug: "nieuw", title: "Nieuwe opleiding valpreventie"), on: app.db)
            await app.catalogue.invalidate()
            let after = try await Browser(app).get("/").body.string
            let member = Browser(app)
            try await member.post("/register", form: AccountPageTests.goodForm)
            let signedIn = try await member.get("/").body.string

            #expect(before == again)
            #expect(!before.contains("Nieuwe opleiding valpreventie"))
            #expect(after.contains("Nieuwe opleiding valpreventie"))
            #expect(signedIn.contains("Afmelden") && !after.contains("Afmelden"), "signed-in pages are never the shared one")
        }
    }
}
