import Foundation
import Testing
@testable import App

@Suite("Manifest detection")
struct ManifestDetectorTests {
    @Test("a manifest at the root wins; manifests deeper down belong to other packages")
    func root() throws {
        var report = PackageReport()

        let location = ManifestDetector().locate(paths: ["index.html", "lessonSCO/imsmanifest.xml", "imsmanifest.xml"], report: &report)

        #expect(location == ManifestLocation(format: .imsManifest, path: "imsmanifest.xml", root: ""))
        #expect(report.issues.isEmpty)
    }

    @Test("a package wrapped in one folder is re-rooted there; __MACOSX and .DS_Store are ignored")
    func wrapped() throws {
        var report = PackageReport()
        let paths = ["Wondzorg/", "Wondzorg/imsmanifest.xml", "Wondzorg/index.html", "Wondzorg/.DS_Store",
                     "__MACOSX/Wondzorg/._imsmanifest.xml", "__MACOSX/._Wondzorg", ".DS_Store"]

        let location = ManifestDetector().locate(paths: paths, report: &report)

        #expect(location == ManifestLocation(format: .imsManifest, path: "Wondzorg/imsmanifest.xml", root: "Wondzorg/"))
        #expect(report.issues.isEmpty)
    }

    @Test("files beside the one folder that holds the manifest are named in a warning")
    func wrappedWithStrays() throws {
        var report = PackageReport()

        let location = ManifestDetector().locate(paths: ["readme.txt", "Course/cmi5.xml", "Course/index.html"], report: &report)

        #expect(location?.root == "Course/")
        #expect(location?.format == .cmi5)
        #expect(report.warnings.first?.message.contains("'readme.txt'") == true)
    }

    @Test("never the first manifest at any depth: only deeper manifests is an error")
    func onlyDeeper() throws {
        var report = PackageReport()

        let location = ManifestDetector().locate(paths: ["a/b/imsmanifest.xml", "a/index.html"], report: &report)

        #expect(location == nil)
        #expect(report.errors.map(\.code) == ["package.manifest.nested"])
        #expect(report.errors.first?.message.contains("a/b/imsmanifest.xml") == true)
    }

    @Test("two top-level folders with a manifest each are ambiguous")
    func ambiguous() throws {
        var report = PackageReport()

        let location = ManifestDetector().locate(paths: ["one/imsmanifest.xml", "two/imsmanifest.xml"], report: &report)

        #expect(location == nil)
        #expect(report.errors.map(\.code) == ["package.manifest.ambiguous"])
    }

    @Test("no manifest at all; a manifest inside __MACOSX does not count")
    func missing() throws {
        var report = PackageReport()

        let location = ManifestDetector().locate(paths: ["index.html", "__MACOSX/imsmanifest.xml"], report: &report)

        #expect(location == nil)
        #expect(report.errors.map(\.code) == ["package.manifest.missing"])
    }

    @Test("course.xml before cmi5.xml before imsmanifest.xml, with a warning naming the ignored one", arguments: [
        (["imsmanifest.xml", "course.xml"], PackageFormat.academy),
        (["imsmanifest.xml", "cmi5.xml"], PackageFormat.cmi5),
    ])
    func preference(paths: [String], format: PackageFormat) throws {
        var report = PackageReport()

        let location = ManifestDetector().locate(paths: paths, report: &report)

        #expect(location?.format == format)
        #expect(report.warnings.map(\.code) == ["package.manifest.several"])
        #expect(report.warnings.first?.message.contains("'imsmanifest.xml'") == true)
    }

    @Test("a manifest name in other letter case or with Windows separators is found")
    func spelling() throws {
        var report = PackageReport()

        let location = ManifestDetector().locate(paths: ["Course\\IMSManifest.xml", "Course\\index.html"], report: &report)

        #expect(location?.format == .imsManifest)
        #expect(location?.root == "Course/")
        #expect(report.warnings.map(\.code) == ["package.manifest.case"])
    }

    @Test("an unpacked folder wrapped in one folder is re-rooted and parsed, junk ignored")
    func folder() throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-detector-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try FileManager.default.createDirectory(at: temporary.appendingPathComponent("__MACOSX/Wondzorg"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: PackageFixtures.url("scorm12-quirks"), to: temporary.appendingPathComponent("Wondzorg"))
        try Data("junk".utf8).write(to: temporary.appendingPathComponent("__MACOSX/Wondzorg/._imsmanifest.xml"))
        try Data().write(to: temporary.appendingPathComponent(".DS_Store"))
        var report = PackageReport()

        let parsed = try #require(PackageManifestParser().parse(folder: temporary, report: &report))

        #expect(parsed.location == ManifestLocation(format: .imsManifest, path: "Wondzorg/imsmanifest.xml", root: "Wondzorg/"))
        #expect(parsed.package.identifier == "vivel.wondzorg.scorm12")
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.errors.allSatisfy { $0.file == "Wondzorg/imsmanifest.xml" })
    }
}
