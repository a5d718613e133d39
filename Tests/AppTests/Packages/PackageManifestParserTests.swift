import Foundation
import Testing
@testable import App

@Suite("Manifest dispatch")
struct PackageManifestParserTests {
    @Test("a cmi5 structure is read by its root element whatever the file is called")
    func cmi5ByRoot() throws {
        var report = PackageReport()

        let package = PackageManifestParser().parse(try PackageFixtures.data("cmi5-nested-blocks/cmi5.xml"), file: "example cmi5.xml", report: &report)

        #expect(package?.standard == .cmi5)
        #expect(report.issues.isEmpty)
    }

    @Test("course.xml goes to the academy's parser, not the IMS one, even when it holds an IMS manifest")
    func academyByName() throws {
        var report = PackageReport()

        let package = PackageManifestParser().parse(try PackageFixtures.data("ims-cp-submanifest/imsmanifest.xml"), file: "course.xml", report: &report)

        #expect(package?.standard != .imsContentPackaging)
        #expect(report.hasErrors)
    }

    @Test("an unknown root element is refused")
    func unknownRoot() throws {
        var report = PackageReport()

        let package = PackageFixtures.parse(xml: "<html><body/></html>", file: "imsmanifest.xml", report: &report)

        #expect(package == nil)
        #expect(report.errors.map(\.code) == ["manifest.root.unknown"])
    }

    @Test("a file with only an XML declaration is refused as having no root element")
    func declarationOnly() throws {
        var report = PackageReport()

        let package = PackageFixtures.parse(xml: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", report: &report)

        #expect(package == nil)
        #expect(report.errors.first?.message.contains("no root element") == true)
    }

    @Test("XML errors carry file, line and column")
    func xmlError() throws {
        var report = PackageReport()

        _ = try PackageFixtures.parse("refused/not-well-formed.xml", report: &report)

        let error = try #require(report.errors.first)
        #expect(error.code == "xml.notWellFormed")
        #expect(error.location?.hasPrefix("refused/not-well-formed.xml:8:") == true)
        #expect(error.message.contains("not well-formed"))
    }

    @Test("parsing a folder reads separate metadata from it")
    func folder() throws {
        var report = PackageReport()

        let parsed = try #require(PackageManifestParser().parse(folder: PackageFixtures.url("scorm2004-xmlbase"), report: &report))

        #expect(parsed.location == ManifestLocation(format: .imsManifest, path: "imsmanifest.xml", root: ""))
        #expect(parsed.package.keywords == ["diabetes", "zorgtraject"])
        #expect(parsed.package.durationMinutes == 45)
    }
}
