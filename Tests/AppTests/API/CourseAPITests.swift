@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

@Suite struct CourseAPITests {
    @Test(arguments: TestDatabase.all)
    func listFiltersAndPagesLikeTheCatalogue(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await CataloguePageTests.seed(app)

            let all = try await app.testing().sendRequest(.GET, "/api/v1/courses")
            let gp = try await app.testing().sendRequest(.GET, "/api/v1/courses?profession=gp&q=veilige")

            #expect(all.status == .ok)
            #expect(all.headers.contentType?.subType == "json")
            let list = try all.content.decode(CourseAPIController.CourseList.self)
            #expect(list.total == 3)
            #expect(Set(list.items.map(\.slug)) == ["omgevingsanalyse", "veilige-communicatie", "patient-gegevens"])
            #expect(list.items.first { $0.slug == "omgevingsanalyse" }?.access == "locked")
            let filtered = try gp.content.decode(CourseAPIController.CourseList.self)
            #expect(filtered.items.map(\.slug) == ["veilige-communicatie"])
            #expect(filtered.items.first?.accreditations.first?.points == 1.5)
        }
    }

    @Test(arguments: TestDatabase.all)
    func detailHasModulesAndUnknownSlugIsAProblemDocument(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await CataloguePageTests.seed(app)

            let detail = try await app.testing().sendRequest(.GET, "/api/v1/courses/veilige-communicatie")
            let missing = try await app.testing().sendRequest(.GET, "/api/v1/courses/bestaat-niet")
            let badPage = try await app.testing().sendRequest(.GET, "/api/v1/courses?page=nul")

            #expect(detail.status == .ok)
            let course = try detail.content.decode(CourseAPIController.CourseDetail.self)
            #expect(course.modules.map(\.key) == ["m1", "m2"])
            #expect(missing.status == .notFound)
            #expect(missing.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            let problem = try JSONSerialization.jsonObject(with: Data(missing.body.readableBytesView)) as? [String: Any]
            #expect(problem?["status"] as? Int == 404)
            #expect((problem?["detail"] as? String)?.contains("bestaat-niet") == true)
            #expect(badPage.status == .unprocessableEntity)
            #expect(badPage.body.string.contains("page must be a whole number"))
        }
    }

    /// The OpenAPI document describes exactly the API routes the app serves, and the fields it promises
    /// as required are in real responses.
    @Test func openAPIDocumentMatchesTheRoutesAndResponses() async throws {
        try await withAcademy(.sqlite) { app in
            try await CataloguePageTests.seed(app)
            let served = try await app.testing().sendRequest(.GET, "/api/openapi.json")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(served.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: Any])

            let routes = Set(app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
            })
            #expect(Set(paths.keys) == routes)

            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            func required(_ name: String) -> [String] { ((schemas[name] as? [String: Any])?["required"] as? [String]) ?? [] }
            let list = try JSONSerialization.jsonObject(with: Data(try await app.testing().sendRequest(.GET, "/api/v1/courses").body.readableBytesView)) as! [String: Any]
            #expect(required("CourseList").allSatisfy { list[$0] != nil })
            let item = try #require((list["items"] as? [[String: Any]])?.first)
            #expect(required("CourseSummary").allSatisfy { item[$0] != nil })
            let detail = try JSONSerialization.jsonObject(with: Data(try await app.testing().sendRequest(.GET, "/api/v1/courses/veilige-communicatie").body.readableBytesView)) as! [String: Any]
            #expect(required("CourseDetail").allSatisfy { detail[$0] != nil })
            let module = try #require((detail["modules"] as? [[String: Any]])?.first)
            #expect(required("ModuleSummary").allSatisfy { module[$0] != nil })
            let summary = try #require(detail["course"] as? [String: Any])
            let accreditation = try #require((summary["accreditations"] as? [[String: Any]])?.first)
            #expect(required("Accreditation").allSatisfy { accreditation[$0] != nil })
        }
    }
}
