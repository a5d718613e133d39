import Fluent
import Vapor

/// `academy generate-courses --count 500`: publishes synthetic courses for benchmarks (identifiers
/// `urn:benchmark:N`, so they never collide with real ones). Not for production academies.
struct GenerateCoursesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "How many courses to publish (default 500)")
        var count: Int?
        @Option(name: "restricted", help: "How many of them carry a care-board visibility rule (default 0)")
        var restricted: Int?
    }

    var help: String { "Publishes synthetic courses for benchmarks" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = signature.count ?? 500
        let restricted = signature.restricted ?? 0
        let writer = CourseVersionWriter(database: app.db)
        for number in 1...max(count, 1) {
            let package = Self.package(number: number, restricted: number <= restricted)
            _ = try await writer.write(package, contentHash: "benchmark-\(number)", publish: true)
        }
        context.console.print("Published \(count) synthetic courses (\(restricted) restricted)")
    }

    static let themes = Theme.allCases.map(\.rawValue)
    static let professions = Profession.allCases.map(\.rawValue)
    static let subjects = ["omgevingsanalyse", "zorgcoördinatie", "medicatieveiligheid", "valpreventie", "dementie",
                           "palliatieve zorg", "diabetes", "mantelzorg", "vaccinatie", "sociale kaart", "GDPR", "eHealth"]

    static func package(number: Int, restricted: Bool) -> CoursePackage {
        let subject = subjects[number % subjects.count]
        var package = CoursePackage(
            standard: .academy, standardVersion: "1.0", identifier: "urn:benchmark:\(number)",
            slug: "benchmark-\(number)", language: number % 7 == 0 ? "fr" : "nl",
            title: ["nl": "Opleiding \(number): \(subject) in de eerste lijn", "en": "Course \(number): \(subject)"],
            modules: (1...4).map { PackageModule(key: "m\($0)", title: ["nl": "Module \($0)"], kind: .page, durationMinutes: 15) })
        package.summary = ["nl": "Een praktische opleiding over \(subject) voor zorg- en welzijnsprofessionals in de eerstelijnszone."]
        package.description = ["nl": "Synthetische opleiding voor metingen."]
        package.keywords = [subject, "eerste lijn"]
        package.themes = [themes[number % themes.count], themes[(number / 3) % themes.count]]
        package.professions = [professions[number % professions.count], professions[(number / 2) % professions.count]]
        if number % 4 == 0 {
            package.accreditation = PackageAccreditation(body: "riziv-inami", number: "B-\(number)", points: 1, rubric: "2")
        }
        if restricted {
            package.access = [PackageAccessRule(scope: .visibility, whenDenied: .showLocked, ruleJSON: #"{"board-member":{}}"#)]
        }
        return package
    }
}
