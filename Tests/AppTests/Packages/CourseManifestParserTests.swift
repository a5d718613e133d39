import Foundation
import Testing
@testable import App

/// The academy's own manifest (course.xml): the sample courses a new academy loads, what the parser makes of
/// them, and the issue it reports, with code and line, for each kind of mistake.
@Suite struct CourseManifestParserTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let courses = repository.appendingPathComponent("courses")
    static let schema = repository.appendingPathComponent("docs/course-manifest.xsd")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/course-manifest")

    static let sampleSlugs = [
        "de-patient-en-zijn-gezondheidsgegevens",
        "doelgerichte-zorg",
        "elektronisch-voorschrijven-en-afleveren",
        "financieel-beleid-in-de-vzw-zorgraad",
        "hrm-in-het-kader-van-de-vaccinatiecentra",
        "introductie-tot-omgevingsanalyse",
        "mailchimp-voor-zorgraden",
        "veilige-communicatie-in-zorg",
    ]

    static func sample(_ slug: String) throws -> CoursePackage {
        var report = PackageReport()
        let package = CourseManifestParser().parse(folder: courses.appendingPathComponent(slug), report: &report)
        #expect(report.issues.isEmpty, "\(slug): \(report.issues.map { "\($0.location ?? "") \($0.message)" })")
        return try #require(package)
    }

    static func fixture(_ name: String) throws -> (package: CoursePackage?, report: PackageReport) {
        let root = try ManifestXMLReader().read(contentsOf: fixtures.appendingPathComponent(name))
        var report = PackageReport()
        let package = CourseManifestParser().parse(root, report: &report)
        return (package, report)
    }

    // MARK: - Sample courses

    @Test func theCoursesFolderHoldsTheEightSampleCourses() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.courses.path)
            .filter { FileManager.default.fileExists(atPath: Self.courses.appendingPathComponent("\($0)/course.xml").path) }

        #expect(folders.sorted() == Self.sampleSlugs)
    }

    @Test(arguments: sampleSlugs)
    func sampleCourseParsesWithoutIssues(slug: String) throws {
        let package = try Self.sample(slug)

        #expect(package.standard == .academy)
        #expect(package.standardVersion == "1.0")
        #expect(package.slug == slug, "the folder is named after the slug")
        #expect(package.language == "nl")
        #expect(package.title["nl"] != nil)
        #expect(package.summary["nl"] != nil)
        #expect(package.description["nl"] != nil)
        #expect((3...4).contains(package.learningGoals.count))
        #expect(!package.themes.isEmpty && !package.professions.isEmpty && !package.keywords.isEmpty)
        #expect((3...6).contains(package.modules.count))
        #expect(package.allModules.allSatisfy { $0.durationMinutes != nil || $0.kind == .link })
    }

    @Test func sampleCoursesHaveDistinctKeys() throws {
        let packages = try Self.sampleSlugs.map(Self.sample)

        #expect(Set(packages.map(\.identifier)).count == packages.count)
        #expect(Set(packages.compactMap(\.slug)).count == packages.count)
    }

    @Test(arguments: sampleSlugs)
    func samplePagesAreSelfContainedFragments(slug: String) throws {
        let package = try Self.sample(slug)
        let pages = package.files.filter { $0.hasSuffix(".html") }

        #expect(!pages.isEmpty)
        for page in pages {
            let html = try String(contentsOf: Self.courses.appendingPathComponent("\(slug)/\(page)"), encoding: .utf8)
            for forbidden in ["<script", "<html", "<body", "<head", "<style", "<iframe", "http://", "https://", "lorem"] {
                #expect(!html.lowercased().contains(forbidden), "\(slug)/\(page) contains \(forbidden)")
            }
            #expect(html.hasPrefix("<h2>"), "\(slug)/\(page) starts with its heading")
            #expect(html.components(separatedBy: "<p>").count - 1 >= 3, "\(slug)/\(page) has several paragraphs")
        }
    }

    @Test func accreditedSampleCourseMetadata() throws {
        let package = try Self.sample("veilige-communicatie-in-zorg")

        #expect(package.identifier == "vivel-veilige-communicatie-in-zorg")
        #expect(package.title == ["nl": "Veilige communicatie in zorg", "en": "Secure communication in care",
                                  "fr": "Communication sécurisée dans les soins"])
        #expect(Set(package.summary.keys) == ["nl", "en", "fr"])
        let description = try #require(package.description["nl"])
        #expect(description.hasPrefix("Zorgverleners verwerken elke dag gezondheidsgegevens: in het dossier,"))
        #expect(!description.contains("\n") && !description.contains("  "), "indentation and line breaks are collapsed")
        #expect(package.learningGoals.count == 4)
        #expect(package.learningGoals.allSatisfy { Set($0.keys) == ["nl", "en"] })
        #expect(package.keywords == ["GDPR", "AVG", "beroepsgeheim", "datalek", "eHealthBox", "patiëntenrechten",
                                     "informatieveiligheid"])
        #expect(package.themes == ["privacy", "digital-health", "communication"])
        #expect(package.professions == ["gp", "pharmacist", "home-nurse", "physiotherapist", "dentist", "midwife", "social-worker"])
        #expect(package.durationMinutes == 90)
        #expect(package.accreditation == PackageAccreditation(body: "riziv-inami", number: "486193", points: 1.5, unit: "CP",
                                                              rubric: "6", validFrom: "2026-09-01", validUntil: "2027-08-31"))
        #expect(package.additionalAccreditations == [PackageAccreditation(body: "apb", number: "APB-2025-0731", points: 1.5,
                                                                          unit: "points", rubric: "C", validFrom: "2026-09-01",
                                                                          validUntil: "2027-08-31")])
        #expect(package.access.isEmpty, "open to everyone")
        #expect(try Self.sample("de-patient-en-zijn-gezondheidsgegevens").additionalAccreditations == nil,
                "one accreditation leaves no additional ones")

        #expect(package.modules.map(\.key) == ["01-gdpr-in-de-praktijk", "02-veilig-delen", "03-datalekken",
                                               "04-rechten-van-de-patient", "05-gba-website", "06-toets"])
        #expect(package.modules.map(\.kind) == [.page, .page, .page, .page, .link, .quiz])
        #expect(package.modules.map(\.durationMinutes) == [20, 25, 15, 15, 0, 15])
        #expect(package.modules.map(\.required) == [true, true, true, true, false, true])
        #expect(package.modules.map(\.completion) == [.viewed, .viewed, .viewed, .markedDone, .viewed, .quizPassed])
        #expect(package.modules[0].title == ["nl": "De GDPR in de zorgpraktijk", "en": "The GDPR in care practice"])
        #expect(package.modules[0].launch == "pages/01-gdpr-in-de-praktijk.html")
        #expect(package.modules[0].files == ["pages/01-gdpr-in-de-praktijk.html"])
        #expect(package.modules[4].launch == "https://www.gegevensbeschermingsautoriteit.be/")
        #expect(package.modules[4].files.isEmpty)
        #expect(package.files == ["pages/01-gdpr-in-de-praktijk.html", "pages/02-veilig-delen.html",
                                  "pages/03-datalekken.html", "pages/04-rechten-van-de-patient.html"])

        let quiz = try #require(package.modules[5].quiz)
        #expect(quiz.passMark == 0.75)
        #expect(quiz.questions.map(\.key) == ["q1", "q2", "q3", "q4"])
        #expect(quiz.questions.map(\.multiple) == [false, true, false, false])
        #expect(quiz.questions[1].options.filter(\.correct).map(\.key) == ["a", "c"])
        #expect(quiz.questions[1].options[0].text == ["nl": "De eHealthBox."])
    }

    @Test func sampleAccessRulesDecode() throws {
        let boards = try Self.sample("introductie-tot-omgevingsanalyse").access
        #expect(boards.map(\.scope) == [.visibility])
        #expect(boards.map(\.whenDenied) == [.showLocked])
        #expect(try AccessRule(jsonString: boards[0].ruleJSON) == .boardMember())

        let finance = try Self.sample("financieel-beleid-in-de-vzw-zorgraad").access
        #expect(finance.count == 2)
        #expect(try AccessRule(jsonString: finance[0].ruleJSON) == .boardMember(roles: [.staff, .member, .chair]))
        #expect(finance[1].scope == .module)
        #expect(finance[1].moduleKey == "04-casus-staf")
        #expect(finance[1].whenDenied == .showLocked)
        #expect(try AccessRule(jsonString: finance[1].ruleJSON) == .boardMember(roles: [.staff]))

        let prerequisite = try Self.sample("de-patient-en-zijn-gezondheidsgegevens").access
        #expect(prerequisite.map(\.scope) == [.enrolment])
        #expect(try AccessRule(jsonString: prerequisite[0].ruleJSON) == .completed("veilige-communicatie-in-zorg"))

        let provinces = try Self.sample("mailchimp-voor-zorgraden").access
        #expect(provinces == [PackageAccessRule(scope: .visibility, whenDenied: .hide,
                                                ruleJSON: #"{"board-member":{"provinces":["west-vlaanderen","oost-vlaanderen"]}}"#)])

        for slug in ["doelgerichte-zorg", "elektronisch-voorschrijven-en-afleveren", "veilige-communicatie-in-zorg"] {
            #expect(try Self.sample(slug).access.isEmpty, "\(slug) is open to everyone")
        }
    }

    @Test func prerequisitesNameSampleCourses() throws {
        for slug in Self.sampleSlugs {
            for rule in try Self.sample(slug).access {
                for case .completed(let courses) in try AccessRule(jsonString: rule.ruleJSON).conditions {
                    #expect(courses.allSatisfy(Self.sampleSlugs.contains), "\(slug) requires \(courses)")
                }
            }
        }
    }

    // MARK: - What the format allows

    @Test func everyModuleKindWithItsDefaults() throws {
        let (package, report) = try Self.fixture("all-kinds.xml")

        #expect(report.issues.isEmpty, "attributes and elements of other namespaces are ignored: \(report.issues)")
        let course = try #require(package)
        #expect(course.title == ["nl": "Alle soorten modules", "fr": "Tous les types de modules"])
        #expect(course.description == ["nl": "Eerste alinea, over twee regels.\n\nTweede alinea."])
        #expect(course.modules.map(\.key) == ["deel-1", "video-extern", "pdf", "quiz"])
        #expect(course.allModules.map(\.key) == ["deel-1", "pagina", "video-lokaal", "video-extern", "pdf", "quiz"])

        let folder = course.modules[0]
        #expect(folder.kind == .folder && folder.launch == nil && folder.completion == nil && folder.files.isEmpty)
        let page = folder.children[0]
        #expect(page.files == ["pages/pagina.html", "pages/schema.png"])
        #expect(page.completion == .viewed)
        #expect(folder.children[1].completion == .watched(fraction: 0.9))
        #expect(folder.children[1].launch == "media/uitleg.mp4")

        let web = course.modules[1]
        #expect(web.launch == "https://video.example.org/v/123" && web.files.isEmpty)
        #expect(web.required == false && web.completion == .watched(fraction: 0.5))
        #expect(course.modules[2].required == false && course.modules[2].completion == .markedDone)

        let quiz = course.modules[3]
        #expect(quiz.completion == .quizPassed && quiz.launch == nil)
        #expect(quiz.quiz?.passMark == 1)
        #expect(quiz.quiz?.questions.first?.text == ["nl": "Vraag", "en": "Question"])
        #expect(quiz.quiz?.questions.first?.options.map(\.correct) == [true, true, false])

        #expect(course.access.count == 1)
        #expect(course.access.first?.scope == .module && course.access.first?.moduleKey == "quiz")
        #expect(try AccessRule(jsonString: course.access[0].ruleJSON) == .date(from: CalendarDay(iso: "2026-01-01")))
        #expect(course.files == ["shared/logo.png", "pages/pagina.html", "pages/schema.png", "media/uitleg.mp4", "docs/brochure.pdf"])
    }

    /// The "A full example" block of docs/course-manifest.md, so that the reference cannot drift from the parser.
    static func documentedExample() throws -> String {
        let markdown = try String(contentsOf: repository.appendingPathComponent("docs/course-manifest.md"), encoding: .utf8)
        let section = try #require(markdown.range(of: "## A full example"))
        let start = try #require(markdown.range(of: "```xml\n", range: section.upperBound..<markdown.endIndex))
        let end = try #require(markdown.range(of: "```", range: start.upperBound..<markdown.endIndex))
        return String(markdown[start.upperBound..<end.lowerBound])
    }

    @Test func theDocumentedFullExampleParsesWithoutIssues() throws {
        let root = try ManifestXMLReader().read(Data(Self.documentedExample().utf8))
        var report = PackageReport()

        let package = try #require(CourseManifestParser().parse(root, report: &report))

        #expect(report.issues.isEmpty, "\(report.issues)")
        #expect(package.allModules.map(\.kind) == [.page, .folder, .video, .pdf, .link, .page, .quiz])
        #expect(package.access.map(\.scope) == [.visibility, .enrolment, .module])
        #expect(package.additionalAccreditations?.map(\.body) == ["apb"])
        #expect(package.description["nl"]?.contains("\n\nA blank line starts a new paragraph.") == true)
    }

    @Test func unknownThemesAndProfessionsAreLeftOutWithAWarning() throws {
        let (package, report) = try Self.fixture("unknown-theme-profession.xml")

        #expect(!report.hasErrors)
        #expect(package?.themes == ["privacy"])
        #expect(package?.professions == ["gp"])
    }

    @Test func aNewerMinorVersionIsReadWithAWarning() throws {
        let (package, report) = try Self.fixture("newer-minor-version.xml")

        #expect(!report.hasErrors)
        #expect(package?.standardVersion == "1.3")
        #expect(package?.modules.map(\.key) == ["m1"])
    }

    // MARK: - Mistakes

    struct Mistake: Sendable, CustomTestStringConvertible {
        let fixture: String
        let code: String
        let line: Int
        var severity: PackageIssue.Severity = .error
        /// A value the message must quote.
        var names: String?

        var testDescription: String { "\(fixture):\(line) \(code)" }
    }

    static let mistakes: [Mistake] = [
        .init(fixture: "wrong-root.xml", code: "course.root.wrong", line: 2, names: "<manifest>"),
        .init(fixture: "wrong-namespace.xml", code: "course.namespace.wrong", line: 2, names: "https://academy.vivel.be/xmlns/course/2"),
        .init(fixture: "unsupported-version.xml", code: "course.format-version.unsupported", line: 2, names: "2.0"),
        .init(fixture: "newer-minor-version.xml", code: "course.format-version.newer", line: 2, severity: .warning, names: "1.3"),
        .init(fixture: "newer-minor-version.xml", code: "element.unknown", line: 4, severity: .warning, names: "<certificate>"),
        .init(fixture: "missing-identity.xml", code: "course.key.missing", line: 2),
        .init(fixture: "missing-identity.xml", code: "course.title.missing", line: 2),
        .init(fixture: "missing-identity.xml", code: "course.language.missing", line: 2),
        .init(fixture: "missing-identity.xml", code: "course.slug.invalid", line: 2, names: "Geen Slug"),
        .init(fixture: "text-errors.xml", code: "course.language.invalid", line: 2, names: "dutch"),
        .init(fixture: "text-errors.xml", code: "text.language.duplicate", line: 4, names: "nl"),
        .init(fixture: "text-errors.xml", code: "text.language.invalid", line: 5, names: "nederlands"),
        .init(fixture: "text-errors.xml", code: "text.empty", line: 6),
        .init(fixture: "text-errors.xml", code: "text.lang.unprefixed", line: 7, severity: .warning, names: "fr"),
        .init(fixture: "text-errors.xml", code: "module.title.missing", line: 9),
        .init(fixture: "duplicate-module-key.xml", code: "module.key.duplicate", line: 8, names: "intro"),
        .init(fixture: "unknown-kind.xml", code: "module.kind.unknown", line: 5, names: "webinar"),
        .init(fixture: "unknown-kind.xml", code: "module.kind.unknown", line: 6, names: "sco"),
        .init(fixture: "unknown-theme-profession.xml", code: "course.theme.unknown", line: 6, severity: .warning, names: "astrology"),
        .init(fixture: "unknown-theme-profession.xml", code: "course.profession.unknown", line: 10, severity: .warning, names: "wizard"),
        .init(fixture: "unknown-theme-profession.xml", code: "attribute.unknown", line: 13, severity: .warning, names: "duraton"),
        .init(fixture: "bad-numbers-and-dates.xml", code: "duration.invalid", line: 2, names: "anderhalf uur"),
        .init(fixture: "bad-numbers-and-dates.xml", code: "accreditation.points.invalid", line: 4, names: "1,5"),
        .init(fixture: "bad-numbers-and-dates.xml", code: "accreditation.date.invalid", line: 5, names: "2026-02-30"),
        .init(fixture: "bad-numbers-and-dates.xml", code: "accreditation.dates.order", line: 6, names: "2026-06-01"),
        .init(fixture: "bad-numbers-and-dates.xml", code: "duration.invalid", line: 8, names: "-5"),
        .init(fixture: "bad-numbers-and-dates.xml", code: "module.required.invalid", line: 9, names: "yes"),
        .init(fixture: "bad-numbers-and-dates.xml", code: "module.completion.fraction.invalid", line: 9, names: "1.5"),
        .init(fixture: "quiz-errors.xml", code: "quiz.option.correct.missing", line: 8, names: "q1"),
        .init(fixture: "quiz-errors.xml", code: "quiz.option.correct.too-many", line: 13, names: "q2"),
        .init(fixture: "quiz-errors.xml", code: "quiz.options.too-few", line: 18),
        .init(fixture: "quiz-errors.xml", code: "quiz.pass-mark.invalid", line: 26, names: "80"),
        .init(fixture: "quiz-errors.xml", code: "quiz.question.type.invalid", line: 27, names: "either"),
        .init(fixture: "quiz-errors.xml", code: "quiz.option.key.duplicate", line: 30, names: "'a'"),
        .init(fixture: "quiz-errors.xml", code: "quiz.missing", line: 34, names: "quiz-3"),
        .init(fixture: "quiz-errors.xml", code: "module.completion.mismatch", line: 40, names: "quiz-passed"),
        .init(fixture: "quiz-errors.xml", code: "quiz.unexpected", line: 41, names: "pagina"),
        .init(fixture: "access-errors.xml", code: "access.key.unknown", line: 5, names: "antwerp"),
        .init(fixture: "access-errors.xml", code: "access.scope.invalid", line: 7, names: "catalogue"),
        .init(fixture: "access-errors.xml", code: "access.prerequisite.self", line: 10, severity: .warning, names: "toegang"),
        .init(fixture: "access-errors.xml", code: "access.when-denied.invalid", line: 13, names: "maybe"),
        .init(fixture: "access-errors.xml", code: "access.scope.duplicate", line: 16, names: "enrolment"),
        .init(fixture: "access-errors.xml", code: "access.scope.invalid", line: 23, names: "m1"),
        .init(fixture: "access-errors.xml", code: "access.children", line: 28),
        .init(fixture: "path-errors.xml", code: "content.src.invalid", line: 5, names: "../geheim.html"),
        .init(fixture: "path-errors.xml", code: "content.src.invalid", line: 6, names: "/etc/passwd"),
        .init(fixture: "path-errors.xml", code: "module.content.invalid", line: 7, names: "m3"),
        .init(fixture: "path-errors.xml", code: "module.content.invalid", line: 8, names: "m4"),
        .init(fixture: "path-errors.xml", code: "module.href.invalid", line: 9, names: "ftp://example.org/bestand"),
        .init(fixture: "path-errors.xml", code: "module.content.missing", line: 10, names: "m6"),
        .init(fixture: "path-errors.xml", code: "content.src.invalid", line: 11, names: #"pages\m7.html"#),
        .init(fixture: "path-errors.xml", code: "content.src.invalid", line: 12, names: "pages/m8.html?x=1"),
    ]

    @Test(arguments: mistakes)
    func mistakeIsReportedWithCodeAndLine(mistake: Mistake) throws {
        let (package, report) = try Self.fixture(mistake.fixture)

        let issue = report.issues.first { $0.code == mistake.code && $0.line == mistake.line }
        let found = try #require(issue, "got \(report.issues.map { "\($0.code)@\($0.line ?? 0)" })")
        #expect(found.severity == mistake.severity)
        #expect(found.file == "course.xml")
        #expect(found.column != nil)
        #expect(found.hint?.isEmpty == false)
        if let value = mistake.names {
            #expect(found.message.contains(value), "\(found.message)")
        }
        if mistake.severity == .error {
            #expect(package == nil, "a manifest with an error gives no package")
        }
    }

    @Test func missingFilesAreReportedWithTheModuleThatNamesThem() throws {
        var report = PackageReport()

        let package = CourseManifestParser().parse(folder: Self.fixtures.appendingPathComponent("missing-file"), report: &report)

        #expect(package == nil)
        #expect(report.issues.map(\.code) == ["file.missing", "file.missing", "file.not-a-file"])
        #expect(report.issues.map(\.line) == [5, 9, 10])
        #expect(report.issues[0].message.contains("shared/stijl.css"))
        #expect(report.issues[1].message.contains("'afwezig'") && report.issues[1].message.contains("pages/afwezig.html"))
    }

    @Test func aManifestThatIsNotXMLIsReportedWithItsLine() throws {
        var report = PackageReport()

        let package = CourseManifestParser().parse(folder: Self.fixtures.appendingPathComponent("not-well-formed"), report: &report)

        #expect(package == nil)
        #expect(report.issues.map(\.code) == ["xml.notWellFormed"])
        #expect(report.issues.first?.line == 3)
    }

    @Test func aFolderWithoutManifestIsReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var report = PackageReport()

        let package = CourseManifestParser().parse(folder: folder, report: &report)

        #expect(package == nil)
        #expect(report.issues.map(\.code) == ["manifest.missing"])
    }

    @Test func aLinkLeadingOutOfTheFolderIsRefused() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("course-manifest-\(UUID().uuidString)")
        let folder = base.appendingPathComponent("course")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("pages"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try Data("secret".utf8).write(to: base.appendingPathComponent("secret.html"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("pages/page.html").path,
                                                   withDestinationPath: "../../secret.html")
        try Data("""
            <course xmlns="\(CourseManifestParser.namespace)" format-version="1.0" key="link" language="nl">
              <title>Link</title>
              <modules><module key="m1" kind="page"><title>Pagina</title><content src="pages/page.html"/></module></modules>
            </course>
            """.utf8).write(to: folder.appendingPathComponent("course.xml"))
        var report = PackageReport()

        let package = CourseManifestParser().parse(folder: folder, report: &report)

        #expect(package == nil)
        #expect(report.issues.map(\.code) == ["file.outside"])
        #expect(report.issues.first?.line == 3)
    }

    // MARK: - XML Schema

    /// xmllint from PATH; the schema tests are skipped without it.
    static let xmllint: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("xmllint") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    static func validate(_ file: URL) throws -> (passed: Bool, output: String) {
        let process = Process()
        process.executableURL = xmllint
        process.arguments = ["--noout", "--nonet", "--schema", schema.path, file.path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus == 0, output)
    }

    @Test(.enabled(if: xmllint != nil, "xmllint is not installed"), arguments: sampleSlugs)
    func sampleCourseValidatesAgainstTheSchema(slug: String) throws {
        let result = try Self.validate(Self.courses.appendingPathComponent("\(slug)/course.xml"))

        #expect(result.passed, "\(result.output)")
    }

    @Test(.enabled(if: xmllint != nil, "xmllint is not installed"))
    func theFullFixtureValidatesAgainstTheSchema() throws {
        let result = try Self.validate(Self.fixtures.appendingPathComponent("all-kinds.xml"))

        #expect(result.passed, "\(result.output)")
    }

    @Test(.enabled(if: xmllint != nil, "xmllint is not installed"))
    func theDocumentedFullExampleValidatesAgainstTheSchema() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("course-manifest-example-\(UUID().uuidString).xml")
        try Data(Self.documentedExample().utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let result = try Self.validate(file)

        #expect(result.passed, "\(result.output)")
    }

    @Test(.enabled(if: xmllint != nil, "xmllint is not installed"),
          arguments: ["unknown-kind.xml", "quiz-errors.xml", "bad-numbers-and-dates.xml", "duplicate-module-key.xml",
                      "access-errors.xml", "path-errors.xml", "unknown-theme-profession.xml", "missing-identity.xml"])
    func theSchemaRejectsBrokenManifests(fixture: String) throws {
        let result = try Self.validate(Self.fixtures.appendingPathComponent(fixture))

        #expect(!result.passed, "\(fixture) should fail schema validation")
    }
}
