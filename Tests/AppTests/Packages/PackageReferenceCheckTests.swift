import Foundation
import Testing
@testable import App

@Suite("Package reference check")
struct PackageReferenceCheckTests {
    @Test("launch files found after decoding and turning slashes; case-only differences and absent files are warnings")
    func fixture() throws {
        var parseReport = PackageReport()
        let package = try #require(try PackageFixtures.parse("scorm12-quirks/imsmanifest.xml", report: &parseReport))
        let present = PackageReferenceCheck.paths(inFolder: PackageFixtures.url("scorm12-quirks"))
        var report = PackageReport()

        PackageReferenceCheck(presentPaths: present).check(package, file: "imsmanifest.xml", report: &report)

        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.warnings.map(\.code) == ["file.case", "file.missing"])
        let caseWarning = try #require(report.issues(withCode: "file.case").first)
        #expect(caseWarning.message.contains("'content/Notes.HTML'") && caseWarning.message.contains("'content/notes.html'"))
        #expect(report.issues(withCode: "file.missing").first?.message.contains("'content/missing.css'") == true)
    }

    @Test("an absent launch file is an error naming the module and the file")
    func missingLaunch() throws {
        var package = CoursePackage(standard: .scorm12, identifier: "c", language: "nl", title: ["nl": "C"],
                                    modules: [PackageModule(key: "lesson-1", title: ["nl": "L"], kind: .sco, launch: "lesson1/index.html?x=1")])
        package.files = ["lesson1/index.html"]
        var report = PackageReport()

        PackageReferenceCheck(presentPaths: ["lesson1/start.html"]).check(package, file: "imsmanifest.xml", report: &report)

        #expect(report.errors.map(\.code) == ["launch.missing"])
        #expect(report.errors.first?.message == "The launch file 'lesson1/index.html' of module 'lesson-1' is not in the package")
        #expect(report.errors.first?.file == "imsmanifest.xml")
        #expect(report.warnings.isEmpty, "the launch file is reported once")
    }

    @Test("a launch file spelled in another letter case is accepted with a warning naming both spellings")
    func launchCase() throws {
        let package = CoursePackage(standard: .scorm2004, identifier: "c", language: "nl", title: ["nl": "C"],
                                    modules: [PackageModule(key: "m", title: ["nl": "M"], kind: .sco, launch: "Lesson1\\Index.HTML#top")])
        var report = PackageReport()

        PackageReferenceCheck(presentPaths: ["lesson1/index.html"]).check(package, report: &report)

        #expect(report.errors.isEmpty)
        #expect(report.warnings.map(\.code) == ["launch.case"])
        #expect(report.warnings.first?.message.contains("'Lesson1/Index.HTML'") == true)
        #expect(report.warnings.first?.message.contains("'lesson1/index.html'") == true)
    }

    @Test("a folder launch ('./') means its index page; a file really named with %20 is found as written")
    func folderAndLiteralPercent() throws {
        let package = CoursePackage(standard: .cmi5, identifier: "c", language: "en", title: ["en": "C"], modules: [
            PackageModule(key: "root", title: ["en": "R"], kind: .au, launch: "./"),
            PackageModule(key: "odd", title: ["en": "O"], kind: .au, launch: "odd%20name.html"),
            PackageModule(key: "web", title: ["en": "W"], kind: .au, launch: "https://example.org/x.html"),
        ])
        var report = PackageReport()

        PackageReferenceCheck(presentPaths: ["index.html", "odd%20name.html"]).check(package, report: &report)

        #expect(report.issues.isEmpty, "\(report.issues)")
    }

    @Test("absent listed files can be made errors; absent metadata files stay warnings")
    func severity() throws {
        var package = CoursePackage(standard: .scorm12, identifier: "c", language: "nl", title: ["nl": "C"],
                                    modules: [PackageModule(key: "m", title: ["nl": "M"], kind: .sco, launch: "index.html")])
        package.files = ["index.html", "script.js"]
        package.metadataFiles = ["metadata.xml"]
        var report = PackageReport()

        PackageReferenceCheck(presentPaths: ["index.html"], missingFileSeverity: .error).check(package, report: &report)

        #expect(report.errors.map(\.code) == ["file.missing"])
        #expect(report.warnings.map(\.code) == ["metadata.file.missing"])
    }
}
