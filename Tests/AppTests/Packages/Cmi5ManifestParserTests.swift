import Foundation
import Testing
@testable import App

@Suite("cmi5 course structures")
struct Cmi5ManifestParserTests {
    static let base = "https://academy.example.org/courses/antibiotics"

    @Test("the course: trimmed id, titles by language, no issues for extension elements")
    func course() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("cmi5-nested-blocks/cmi5.xml", report: &report))

        #expect(report.issues.isEmpty, "\(report.issues)")
        #expect(package.standard == .cmi5)
        #expect(package.standardVersion == "1.0")
        #expect(package.identifier == Self.base)
        #expect(package.language == "nl")
        #expect(package.title == ["nl": "Antibioticabeleid", "fr": "Politique antibiotique"])
        #expect(package.description == ["nl": "Rationeel voorschrijven in de eerste lijn."])
    }

    @Test("blocks become folders (nested), AUs become .au modules in document order")
    func structure() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("cmi5-nested-blocks/cmi5.xml", report: &report))

        #expect(package.modules.map(\.key) == ["\(Self.base)/blocks/basics", "\(Self.base)/aus/external-quiz"])
        #expect(package.modules[0].kind == .folder)
        #expect(package.modules[0].children.map(\.key) == ["\(Self.base)/aus/intro", "\(Self.base)/blocks/cases"])
        #expect(package.modules[0].children[1].children.map(\.key) == ["\(Self.base)/aus/case-1"])
        #expect(package.allModules.filter { $0.kind == .au }.count == 3)
        #expect(package.allModules.filter { $0.kind == .folder }.count == 2)
    }

    @Test("AU data: trimmed values, block membership, launch URL with query, './' dropped")
    func auData() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("cmi5-nested-blocks/cmi5.xml", report: &report))

        let intro = try #require(package.module(keyed: "\(Self.base)/aus/intro"))
        #expect(intro.launch == "intro/index.html?start=1")
        #expect(intro.cmi5?.moveOn == "Completed")
        #expect(intro.cmi5?.launchMethod == "OwnWindow")
        #expect(intro.cmi5?.activityType == "http://adlnet.gov/expapi/activities/lesson")
        #expect(intro.cmi5?.blockID == "\(Self.base)/blocks/basics")
        let caseOne = try #require(package.module(keyed: "\(Self.base)/aus/case-1"))
        #expect(caseOne.launch == "cases/case1.html")
        #expect(caseOne.files == ["cases/case1.html"])
        #expect(caseOne.cmi5?.masteryScore == 0.8)
        #expect(caseOne.cmi5?.moveOn == "CompletedOrPassed")
        #expect(caseOne.cmi5?.launchMethod == "AnyWindow")
        #expect(caseOne.cmi5?.launchParameters == "{\"difficulty\": \"basic\"}")
        #expect(caseOne.cmi5?.entitlementKey == "VIVEL-2025")
        #expect(caseOne.cmi5?.blockID == "\(Self.base)/blocks/cases")
        let external = try #require(package.module(keyed: "\(Self.base)/aus/external-quiz"))
        #expect(external.launch == "https://quiz.example.org/antibiotics/start.html")
        #expect(external.cmi5?.blockID == nil)
        #expect(package.files == ["intro/index.html", "cases/case1.html"])
    }

    @Test("course structures that break the cmi5 rules are refused", arguments: [
        ("cmi5-reserved-launch-parameter.xml", "cmi5.au.url.reservedParameter", "registration"),
        ("cmi5-duplicate-id.xml", "cmi5.id.duplicate", "https://example.org/au/1"),
        ("cmi5-course-id-not-iri.xml", "cmi5.id.notIRI", "example.org/course"),
        ("cmi5-au-id-not-iri.xml", "cmi5.id.notIRI", "au 1"),
        ("cmi5-url-before-title.xml", "cmi5.element.order", "<title>"),
        ("cmi5-no-au.xml", "cmi5.au.none", "no <au>"),
    ])
    func refused(file: String, code: String, named: String) throws {
        var report = PackageReport()

        let package = try PackageFixtures.parse("refused/" + file, report: &report)

        #expect(package == nil)
        let error = try #require(report.errors.first { $0.code == code }, "codes: \(report.issueCodes)")
        #expect(error.message.contains(named))
        #expect(error.line != nil)
        #expect(error.hint?.isEmpty == false)
    }

    @Test("moveOn, launchMethod and masteryScore outside cmi5's values are refused")
    func invalidValues() throws {
        let xml = """
        <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
          <course id="https://example.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">C</langstring></description></course>
          <au id="https://example.org/au" moveOn="Finished" launchMethod="NewTab" masteryScore="80">
            <title><langstring lang="en">A</langstring></title><description><langstring lang="en">A</langstring></description>
            <url>index.html</url>
          </au>
        </courseStructure>
        """
        var report = PackageReport()

        let package = PackageFixtures.parse(xml: xml, file: "cmi5.xml", report: &report)

        #expect(package == nil)
        #expect(Set(report.errors.map(\.code)) == ["cmi5.au.moveOn.invalid", "cmi5.au.launchMethod.invalid", "cmi5.au.masteryScore.invalid"])
    }

    @Test("AU attributes written as elements and misplaced objectives are read, with warnings")
    func toleratedShapes() throws {
        let xml = """
        <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
          <course id="https://example.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">C</langstring></description></course>
          <au id="https://example.org/au">
            <title><langstring lang="en">A</langstring></title><description><langstring lang="en">A</langstring></description>
            <url>index.html</url>
            <moveOn>Passed</moveOn>
            <masteryScore>0.7</masteryScore>
          </au>
          <objectives><objective id="https://example.org/o"><title><langstring lang="en">O</langstring></title><description><langstring lang="en">O</langstring></description></objective></objectives>
        </courseStructure>
        """
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, file: "cmi5.xml", report: &report))

        #expect(package.module(keyed: "https://example.org/au")?.cmi5?.moveOn == "Passed")
        #expect(package.module(keyed: "https://example.org/au")?.cmi5?.masteryScore == 0.7)
        #expect(report.warnings.map(\.code).sorted() == ["cmi5.au.attributeAsElement", "cmi5.au.attributeAsElement", "cmi5.objectives.misplaced"])
    }

    @Test("a title without langstring is read; an empty title shows the id, with a warning")
    func titles() throws {
        let xml = """
        <courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
          <course id="https://example.org/c"><title>Wondzorg</title><description/></course>
          <au id="https://example.org/au"><title><langstring lang="nl">  </langstring></title><description/><url>index.html</url></au>
        </courseStructure>
        """
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, file: "cmi5.xml", report: &report))

        #expect(package.title == ["und": "Wondzorg"])
        #expect(package.module(keyed: "https://example.org/au")?.title == ["und": "https://example.org/au"])
        #expect(report.issueCodes == ["cmi5.title.empty"])
    }

    @Test("a URL with white space is refused; the draft namespace is read with a warning")
    func urlAndNamespace() throws {
        let xml = """
        <courseStructure xmlns="http://www.adlnet.gov/cmi5/CourseStructure.xsd">
          <course id="https://example.org/c"><title><langstring lang="en">C</langstring></title><description><langstring lang="en">C</langstring></description></course>
          <au id="https://example.org/au"><title><langstring lang="en">A</langstring></title><description><langstring lang="en">A</langstring></description>
            <url>http://example.com index.html</url></au>
        </courseStructure>
        """
        var report = PackageReport()

        let package = PackageFixtures.parse(xml: xml, file: "cmi5.xml", report: &report)

        #expect(package == nil)
        #expect(report.errors.map(\.code) == ["cmi5.au.url.invalid"])
        #expect(report.warnings.map(\.code) == ["cmi5.namespace.draft"])
    }

    @Test("absolute IRIs need a scheme and no white space", arguments: [
        ("https://example.org/a", true),
        ("urn:uuid:2d7e7a3c-4d4b-4b2b-9e61-4e0f8c1b2a01", true),
        ("http://-odd.example/x", true),
        ("example.org/course", false),
        ("/courses/1", false),
        ("https://example.org/a b", false),
        ("https:", false),
        ("1http://x", false),
    ])
    func iri(text: String, isIRI: Bool) {
        #expect(Cmi5ManifestParser.isAbsoluteIRI(text) == isIRI)
    }
}
