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
        @Option(name: "nested-rules", help: "How many of them (after the restricted ones) carry nested visibility and enrolment rules with prerequisites, naming the boards already loaded (default 0)")
        var nestedRules: Int?
    }

    var help: String { "Publishes synthetic courses for benchmarks" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = signature.count ?? 500
        let restricted = signature.restricted ?? 0
        let nested = signature.nestedRules ?? 0
        let boards = try await CareBoard.query(on: app.db).sort(\.$code).all().map { ($0.code, $0.province) }
        let writer = CourseVersionWriter(database: app.db)
        for number in 1...max(count, 1) {
            var package = Self.package(number: number, restricted: number <= restricted)
            if number > restricted, number <= restricted + nested {
                package.access = Self.nestedRules(number: number, count: count, boards: boards)
            }
            _ = try await writer.write(package, contentHash: "benchmark-\(number)", publish: true)
        }
        context.console.print("Published \(count) synthetic courses (\(restricted) restricted, \(nested) with nested rules)")
    }

    /// Rules shaped like real ones, three levels deep: seen by members in two provinces who are not staff,
    /// or by the care and welfare clusters of one board, or by trainers (every third course hidden from the
    /// others, the rest shown locked); enrolment needs two other courses completed, an opening day, and a
    /// registration number or one of two professions. Board codes come from the boards loaded (none: any board).
    static func nestedRules(number: Int, count: Int, boards: [(code: String, province: String)]) -> [PackageAccessRule] {
        let provinces = Array(Set(boards.map(\.province))).sorted()
        let pair = provinces.isEmpty ? ["limburg", "antwerpen"]
            : [provinces[number % provinces.count], provinces[(number + 1) % provinces.count]]
        let board = boards.isEmpty ? nil : boards[number % boards.count].code
        let boardFilter = board.map { #""boards":["\#($0)"],"# } ?? ""
        let first = (number % count) + 1
        let second = ((number + 7) % count) + 1
        let visibility = #"{"any-of":[{"all-of":[{"board-member":{"provinces":["\#(pair[0])","\#(pair[1])"]}},{"not":{"board-member":{"roles":["staff"]}}}]},{"board-member":{\#(boardFilter)"clusters":["care","welfare"]}},{"platform-role":{"in":["trainer"]}}]}"#
        let enrolment = #"{"all-of":[{"completed":{"courses":["benchmark-\#(first)","benchmark-\#(second)"]}},{"date":{"from":"2020-01-01"}},{"any-of":[{"has-registration-number":{}},{"profession":{"in":["gp","pharmacist"]}}]}]}"#
        return [PackageAccessRule(scope: .visibility, whenDenied: number % 3 == 0 ? .hide : .showLocked, ruleJSON: visibility),
                PackageAccessRule(scope: .enrolment, whenDenied: .showLocked, ruleJSON: enrolment)]
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
