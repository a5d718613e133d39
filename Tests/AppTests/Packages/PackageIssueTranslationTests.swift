@testable import App
import Foundation
import Testing

/// Package findings in the reader's language: every text the importer can produce has a Dutch, French and
/// English catalogue entry, the English entry is word for word what the call site writes, and the
/// translations fill in the same values.
@Suite struct PackageIssueTranslationTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/App")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The files that create findings.
    static let issueSources = ["Packages", "Import", "Courses/PackagePublisher.swift", "Access/AccessRuleXML.swift"]

    static func sourceTexts() throws -> [(file: String, text: String)] {
        var result: [(String, String)] = []
        for entry in issueSources {
            let url = sources.appendingPathComponent(entry)
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
            let files = isFolder.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".swift") }.map { url.appendingPathComponent($0) }
                : [url]
            for file in files { result.append((file.lastPathComponent, try String(contentsOf: file, encoding: .utf8))) }
        }
        return result
    }

    /// Literal codes and wordings at the call sites: `report.error("code"`, `warning("code"`, `issue("code"`,
    /// `code: "code"`, `wording: "..."`, and `IssueText(phrase: "name"`. Codes built from element names carry a literal
    /// wording instead, so every text is found.
    static func wordingsAndPhrases() throws -> (wordings: Set<String>, phrases: Set<String>) {
        let call = try NSRegularExpression(pattern: #"(?:(?<![\w])(?:error|warning|issue)\(|code: )"([a-zA-Z0-9.\-]+)""#)
        let wordingLine = try NSRegularExpression(pattern: #"wording: [^\n]*"#)
        let quoted = try NSRegularExpression(pattern: #""([a-zA-Z0-9.\-]+)""#)
        let phrase = try NSRegularExpression(pattern: #"IssueText\(phrase: "([a-zA-Z0-9.\-]+)","#)
        func captures(_ regex: NSRegularExpression, in text: String, group: Int = 1) -> [String] {
            let ns = text as NSString
            return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: group)) }
        }
        var wordings: Set<String> = []
        var phrases: Set<String> = []
        for (_, text) in try sourceTexts() {
            wordings.formUnion(captures(call, in: text))
            // `wording: cond ? "a" : "b"` names two texts; `wording: code + ".number"` none (listed in the test).
            for line in captures(wordingLine, in: text, group: 0) { wordings.formUnion(captures(quoted, in: line)) }
            phrases.formUnion(captures(phrase, in: text))
        }
        wordings.subtract([".number", ".number.comma"])
        return (wordings, phrases)
    }

    @Test func everyCodeAndWordingInTheSourcesHasDutchFrenchAndEnglishTexts() throws {
        let (found, phrases) = try Self.wordingsAndPhrases()
        // Built at run time: decimal(_:code:) words its message per code, the XML reader per error kind.
        let numberCodes = ["accreditation.points.invalid", "module.completion.fraction.invalid", "quiz.pass-mark.invalid"]
        let wordings = found.union(numberCodes.flatMap { [$0 + ".number", $0 + ".number.comma"] })
            .union(["xml.empty", "xml.notWellFormed", "xml.doctypeRefused", "xml.tooDeep", "xml.tooLarge", "xml.tooManyElements"])
        let allPhrases = phrases.union(["xml.empty", "xml.notWellFormed", "xml.doctypeRefused", "xml.doctypeRefused.entity",
                                        "xml.tooDeep", "xml.tooLarge", "xml.tooManyElements"])
        #expect(wordings.count > 200, "the scan finds the call sites (\(wordings.count))")
        #expect(wordings.contains("item.identifierref.unknown"))
        #expect(wordings.contains("archive.entry.outside.drive"))
        for wording in wordings.sorted() {
            for language in Language.allCases {
                #expect(MessageCatalogue.has("import.issue.\(wording).message", language), "import.issue.\(wording).message in \(language)")
            }
        }
        for phrase in allPhrases.sorted() {
            for language in Language.allCases {
                #expect(MessageCatalogue.has("import.phrase.\(phrase)", language), "import.phrase.\(phrase) in \(language)")
            }
        }
    }

    @Test func translationsUseTheSamePlaceholdersAsEnglishAndNoTextIsLeftOver() throws {
        let placeholder = try NSRegularExpression(pattern: #"\{[0-9]+\}"#)
        func placeholders(_ text: String) -> Set<String> {
            let ns = text as NSString
            return Set(placeholder.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) })
        }
        let english = MessageCatalogue.catalogues[.en] ?? [:]
        let keys = english.keys.filter { $0.hasPrefix("import.issue.") || $0.hasPrefix("import.phrase.") }
        #expect(keys.count > 400)
        for language in [Language.nl, .fr] {
            let texts = MessageCatalogue.catalogues[language] ?? [:]
            for key in keys.sorted() {
                let wanted = placeholders(english[key]!)
                let given = placeholders(texts[key] ?? "")
                #expect(texts[key] != nil && wanted == given, "\(key) in \(language): \(wanted.sorted()) vs \(given.sorted())")
            }
        }
        // A hint exists in every language or in none.
        for key in keys where key.hasSuffix(".hint") {
            #expect(MessageCatalogue.has(key, .nl) && MessageCatalogue.has(key, .fr))
        }
    }

    // MARK: The findings the parsers really produce

    /// Broken manifests written for this test, on top of the fixtures, so that common findings are covered.
    static let brokenManifests: [(file: String, xml: String)] = [
        ("imsmanifest.xml", PackageFixtures.scorm12("""
          <organizations default="nowhere"><organization identifier="org"><title>T</title></organization></organizations>
          <resources/>
        """)),
        ("imsmanifest.xml", PackageFixtures.scorm12("""
          <organizations><organization identifier="org"><title>T</title>
            <item identifier="i1" identifierref="missing"><title>Eén</title></item>
            <item identifier="i1"><title></title></item>
            <item identifier="i2" identifierref="r1" isvisible="misschien"><title>Twee</title><adlcp:masteryscore>veel</adlcp:masteryscore></item>
          </organization><organization identifier="org2"><title>T2</title><item identifier="j" identifierref="r2"><title>x</title></item></organization></organizations>
          <resources>
            <resource identifier="r1" type="webcontent" href="/abs/index.html"><file href="C:\\\\temp\\\\a.html"/><file/><dependency identifierref="ghost"/></resource>
            <resource identifier="r2" type="webcontent" adlcp:scormtype="weird" href="../outside.html"/>
            <resource identifier="r1" type="webcontent" href="x.html"/>
          </resources>
        """)),
        ("imsmanifest.xml", """
        <?xml version="1.0"?><manifest identifier="m"><metadata><schemaversion>1.2</schemaversion></metadata>
        <organizations/><resources><resource identifier="r" type="webcontent" href="a.html"/></resources></manifest>
        """),
        ("imsmanifest.xml", "<?xml version=\"1.0\"?><manifest><organizations><organization identifier=\"o\"><title>x</title></organization>"),
        ("imsmanifest.xml", "<?xml version=\"1.0\"?>"),
        ("course.xml", """
        <?xml version="1.0"?><course xmlns="https://academy.vivel.be/xmlns/course/1" format-version="1.0" key="test:toegang" language="nl">
        <title>Toegang</title><access scope="visibility"><enrolment-key/></access></course>
        """),
        ("cmi5.xml", """
        <?xml version="1.0"?><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
        <course id="course-1"><title><langstring lang="nl">Cursus</langstring></title></course>
        <block id="https://example.org/b"><title><langstring lang="nl"></langstring></title><description/></block>
        <au id="https://example.org/au" moveOn="Sometimes" launchMethod="NewTab" masteryScore="2"><title><langstring lang="nl">AU</langstring></title>
        <description/><url>C:/cursus/index.html</url></au></courseStructure>
        """),
    ]

    /// Access rules with every mistake the rule reader reports, read with the platform's vocabulary, so that
    /// unknown care boards, groups and courses are found too.
    static let brokenAccessRules = [
        "",
        #"<board-member province="limburg" provinces="limburgh" clusters="health" roles="boss" boards="ZR-NOPE"/>"#,
        #"<board-member provinces=""/>"#,
        #"<profession in="astronaut"/>"#,
        #"<platform-role in="owner"/>"#,
        #"<profession/>"#,
        #"<date/>"#,
        #"<date from="2026-02-30"/>"#,
        #"<date from="2026-12-31" until="2026-01-01"/>"#,
        #"<in-group groups="no-such-group"/>"#,
        #"<completed courses="coming-later"/>"#,
        #"<enrolment-key key="secret"/>"#,
        #"<all-of/>"#,
        #"<any-of></any-of>"#,
        #"<not><enrolment-key/><has-registration-number/></not>"#,
        #"<profession in="gp"><enrolment-key/></profession>"#,
        #"<all-of>members only<enrolment-key/></all-of>"#,
        #"<province-member in="limburg"/>"#,
        #"<x:board-member xmlns:x="urn:other"/>"#,
    ]

    static func producedIssues() throws -> [PackageIssue] {
        var issues: [PackageIssue] = []
        for markup in brokenAccessRules {
            let access = try ManifestXMLReader().read(Data("<access xmlns=\"\(AccessRuleXML.namespace)\">\(markup)</access>".utf8))
            issues += AccessRuleXML.readRule(childrenOf: access, file: "course.xml", vocabulary: AccessScenario.vocabulary).issues
        }
        for (file, xml) in brokenManifests {
            var report = PackageReport()
            _ = PackageFixtures.parse(xml: xml, file: file, report: &report)
            issues += report.issues
        }
        let manager = FileManager.default
        let refused = fixtures.appendingPathComponent("packages/refused")
        for name in try manager.contentsOfDirectory(atPath: refused.path).sorted() where name.hasSuffix(".xml") {
            var report = PackageReport()
            _ = PackageManifestParser().parse(try Data(contentsOf: refused.appendingPathComponent(name)), file: name, report: &report)
            issues += report.issues
        }
        for name in ["scorm12-quirks", "cmi5-nested-blocks", "ims-cp-submanifest", "scorm2004-xmlbase"] {
            var report = PackageReport()
            _ = PackageManifestParser().parse(folder: fixtures.appendingPathComponent("packages/\(name)"), report: &report)
            issues += report.issues
        }
        // Course manifests: each file is put in a folder of its own as course.xml, so that file checks run too.
        let courseManifests = fixtures.appendingPathComponent("course-manifest")
        for name in try manager.contentsOfDirectory(atPath: courseManifests.path).sorted() {
            let source = courseManifests.appendingPathComponent(name)
            var folder = source
            if name.hasSuffix(".xml") {
                folder = manager.temporaryDirectory.appendingPathComponent("issue-texts-\(UUID().uuidString)")
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
                try manager.copyItem(at: source, to: folder.appendingPathComponent("course.xml"))
            }
            defer { if folder != source { try? manager.removeItem(at: folder) } }
            var report = PackageReport()
            _ = CourseManifestParser().parse(folder: folder, report: &report)
            issues += report.issues
        }
        // The shared corpus of real exports, when it is there.
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
        if let walker = manager.enumerator(at: corpus, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "xml" {
                var report = PackageReport()
                _ = PackageManifestParser().parse(try Data(contentsOf: url), file: url.lastPathComponent, report: &report)
                issues += report.issues
            }
        }
        return issues
    }

    @Test func everyFindingReadsInEnglishExactlyAsWrittenAndIsTranslated() throws {
        let issues = try Self.producedIssues()
        let untranslated = issues.filter { $0.messageTemplate == nil }
        #expect(untranslated.isEmpty, "findings written as plain English: \(Set(untranslated.map(\.code)))")
        let codes = Set(issues.map(\.textKey))
        // Every text of the access rule reader is produced above, so each is checked against its catalogue entries.
        let accessWordings = try Self.wordingsAndPhrases().wordings.filter { $0.hasPrefix("access.") }
        #expect(accessWordings.count >= 20, "\(accessWordings.sorted())")
        #expect(accessWordings.subtracting(codes).isEmpty, "access texts no fixture produces: \(accessWordings.subtracting(codes).sorted())")
        #expect(codes.count > 60, "the fixtures produce many kinds of findings (\(codes.count))")
        for issue in issues {
            #expect(issue.localizedMessage(.en) == issue.message, "\(issue.textKey): the English catalogue text is the call site's")
            #expect(issue.localizedHint(.en) == issue.hint, "\(issue.textKey) hint")
            for language in [Language.nl, .fr] {
                #expect(issue.isTranslated(into: language), "\(issue.textKey) in \(language): \(issue.message)")
                #expect(issue.localizedMessage(language) != issue.message || issue.message.allSatisfy { !$0.isLetter },
                        "\(issue.textKey) reads differently in \(language)")
                #expect((issue.localizedHint(language) == nil) == (issue.hint == nil))
            }
            for text in [issue.localizedMessage(.nl), issue.localizedMessage(.fr)] {
                #expect(text.range(of: #"\{[0-9]+\}"#, options: .regularExpression) == nil, "no placeholder is left: \(text)")
            }
        }
    }

    // MARK: One finding, closely

    @Test func anUnknownIdentifierrefReadsInDutchWithTheValuesFilledIn() throws {
        var report = PackageReport()
        _ = try PackageFixtures.parse("refused/unknown-identifierref.xml", report: &report)
        let issue = try #require(report.issues(withCode: "item.identifierref.unknown").first)

        #expect(issue.arguments.map(\.value).count == 2)
        let dutch = issue.localizedMessage(.nl)
        let french = issue.localizedMessage(.fr)

        #expect(dutch.hasPrefix("Item ‘\(issue.arguments[0].value)’ heeft een identifierref naar een onbekende resource ‘\(issue.arguments[1].value)’"), "\(dutch)")
        #expect(issue.localizedHint(.nl) == "Laat identifierref verwijzen naar de identifier van een <resource> in het manifest")
        #expect(french.contains("identifierref vers une ressource inconnue"), "\(french)")
        #expect(issue.localizedMessage(.en) == issue.message)
        #expect(issue.line != nil && issue.column != nil, "the location stays with the finding")
    }

    @Test func embeddedPhrasesAreTranslatedAndCapitalizedAtTheStartOfASentence() throws {
        let label = IssueText(phrase: "module.unkeyed", "<module> on line \(7)")
        let keyed = IssueText(phrase: "module", "module '\("intro")'")
        let kind = PackageIssue(.error, code: "module.kind.missing", text: "\(capitalized: keyed) has no kind",
                                hint: "Add kind=\"page\", \"video\", \"pdf\", \"link\", \"quiz\" or \"folder\"")
        let folder = PackageIssue(.error, code: "module.folder.empty", text: "The folder \(label) holds no modules",
                                  hint: "Put <module> elements inside the folder, or remove it")

        #expect(kind.message == "Module 'intro' has no kind")
        #expect(kind.localizedMessage(.nl) == "Module ‘intro’ heeft geen kind-attribuut")
        #expect(kind.localizedMessage(.fr) == "Module « intro » n’a pas d’attribut kind")
        #expect(folder.localizedMessage(.nl) == "De map <module> op regel 7 bevat geen modules")
        #expect(folder.localizedMessage(.en) == "The folder <module> on line 7 holds no modules")
    }

    @Test func aRewordedCallSiteFallsBackToItsEnglishRatherThanAStaleTranslation() {
        let reworded = PackageIssue(.error, code: "item.identifierref.unknown",
                                    text: "Item '\("a")' points at resource '\("b")', which does not exist")
        let legacy = PackageIssue(.error, code: "item.identifierref.unknown", message: "Item 'a' has an identifierref to an unknown resource 'b'")

        #expect(reworded.localizedMessage(.nl) == reworded.message)
        #expect(!reworded.isTranslated(into: .nl))
        #expect(legacy.localizedMessage(.nl) == legacy.message, "a finding without arguments cannot be filled in")
    }

    @Test func argumentsSurviveJSONAndOldReportsWithoutThemStillDecode() throws {
        let issue = PackageIssue(.warning, code: "module.href.insecure", file: "course.xml", line: 3, column: 9,
                                 text: "href=\"\("http://x")\" on \(IssueText(phrase: "module", "module '\("m1")'")) is not https",
                                 hint: "Use https:// where the site offers it")
        let data = try JSONEncoder().encode(issue)
        let json = String(decoding: data, as: UTF8.self)
        let old = #"{"severity":"error","code":"file.case","message":"Old text","hint":"Old hint"}"#

        let decoded = try JSONDecoder().decode(PackageIssue.self, from: data)
        let oldIssue = try JSONDecoder().decode(PackageIssue.self, from: Data(old.utf8))

        #expect(json.contains(#""arguments":["http:\/\/x",{"#) || json.contains(#""arguments":["http://x",{"#), "\(json)")
        #expect(json.contains(#""phrase":"import.phrase.module""#))
        #expect(decoded == issue)
        #expect(decoded.localizedMessage(.nl) == "href=\"http://x\" op module ‘m1’ is geen https")
        #expect(oldIssue.arguments.isEmpty && oldIssue.localizedMessage(.nl) == "Old text")
    }
}
