@testable import App
import Fluent
import Testing
import VaporTesting

@Suite struct SampleCourseLoaderTests {
    @Test(arguments: TestDatabase.all)
    func theSampleCoursesLoadOnceAndShowInTheCatalogue(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let loader = SampleCourseLoader(directory: app.academySettings.coursesDirectory, logger: app.logger)

            let first = try await loader.load(into: app)
            let second = try await loader.load(into: app)
            await app.catalogue.invalidate()
            let catalogue = try await Browser(app).get("/").body.string
            let course = try await Browser(app).get("/courses/veilige-communicatie-in-zorg").body.string

            #expect(first.loaded.count == 8)
            #expect(first.refused.isEmpty)
            #expect(second.loaded.isEmpty && second.unchanged.count == 8, "loading again changes nothing")
            #expect(try await CourseVersion.query(on: app.db).count() == 8)
            #expect(catalogue.contains("Introductie tot omgevingsanalyse"))
            #expect(catalogue.contains("7 opleidingen"), "Mailchimp voor zorgraden is hidden from people outside its boards")
            #expect(!catalogue.contains("Mailchimp"))
            #expect(catalogue.contains("Enkel voor medewerkers en leden van een zorgraad"))
            #expect(course.contains("486193") && course.contains("APB-2025-0731"), "both accreditations are shown")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aHiddenCourseIsNotFoundByUrlOrApi(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await SampleCourseLoader(directory: app.academySettings.coursesDirectory, logger: app.logger).load(into: app)

            let page = try await Browser(app).get("/courses/mailchimp-voor-zorgraden")
            let api = try await app.testing().sendRequest(.GET, "/api/v1/courses/mailchimp-voor-zorgraden")
            let search = try await app.testing().sendRequest(.GET, "/api/v1/courses?q=mailchimp")

            #expect(page.status == .notFound)
            #expect(api.status == .notFound)
            #expect(try search.content.decode(CourseAPIController.CourseList.self).total == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sampleCoursePagesAreServedToEnrolledLearnersOnly(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await SampleCourseLoader(directory: app.academySettings.coursesDirectory, logger: app.logger).load(into: app)
            await app.catalogue.invalidate()
            let page = try #require(try FileManager.default.contentsOfDirectory(
                atPath: app.academySettings.coursesDirectory + "/doelgerichte-zorg/pages").sorted().first)
            let path = "/content/doelgerichte-zorg/1/pages/\(page)"
            let learner = Browser(app)
            try await learner.post("/register", form: AccountPageTests.goodForm)

            let before = try await learner.get(path)
            try await learner.post("/courses/doelgerichte-zorg/enrol", form: [:])
            let after = try await learner.get(path)
            let stranger = try await Browser(app).get(path)

            #expect(before.status == .forbidden)
            #expect(after.status == .ok)
            #expect(after.headers.contentType?.subType == "html")
            #expect(after.body.string.contains("<h2"))
            #expect(stranger.status == .forbidden || stranger.status == .notFound)
        }
    }
}
