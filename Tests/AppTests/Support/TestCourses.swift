@testable import App
import Fluent
import Foundation

/// Courses written straight into the database through the same writer the importer uses.
enum TestCourses {
    static func package(slug: String, title: String, summary: String = "", keywords: [String] = [], themes: [String] = [],
                        professions: [String] = [], language: String = "nl", accreditation: PackageAccreditation? = nil,
                        restricted: Bool = false, modules: Int = 2) -> CoursePackage {
        var package = CoursePackage(
            standard: .academy, standardVersion: "1.0", identifier: "urn:test:\(slug)", slug: slug, language: language,
            title: ["nl": title, "en": title + " (EN)"],
            modules: (1...max(modules, 1)).map { PackageModule(key: "m\($0)", title: ["nl": "Module \($0)"], kind: .page, durationMinutes: 15) })
        package.summary = ["nl": summary]
        package.description = ["nl": "Eerste alinea over \(title).\n\nTweede alinea."]
        package.learningGoals = [["nl": "Je kent de basis."], ["nl": "Je past het toe."]]
        package.keywords = keywords
        package.themes = themes
        package.professions = professions
        package.accreditation = accreditation
        if restricted {
            package.access = [PackageAccessRule(scope: .visibility, whenDenied: .showLocked,
                                                ruleJSON: #"{"board-member":{}}"#)]
        }
        return package
    }

    @discardableResult
    static func publish(_ package: CoursePackage, on db: any Database) async throws -> CourseVersionWriter.Outcome {
        try await CourseVersionWriter(database: db).write(package, contentHash: UUID().uuidString, publish: true)
    }
}
