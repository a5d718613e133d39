import Foundation
import Testing
@testable import App

@Suite("IMS / SCORM manifests")
struct IMSManifestParserTests {
    // MARK: SCORM 1.2 as real packages write it

    @Test("a SCORM 1.2 manifest with BOM, CRLF, odd prefixes and no schemaversion is read by its namespaces")
    func scorm12Quirks() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm12-quirks/imsmanifest.xml", report: &report))

        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(package.standard == .scorm12)
        #expect(package.standardVersion == "1.2")
        #expect(package.identifier == "vivel.wondzorg.scorm12")
        #expect(package.language == "nl")
        #expect(package.title == ["nl": "Wondzorg"])
        #expect(package.description == ["nl": "Basiscursus wondzorg.", "fr": "Cours de base sur les plaies."])
        #expect(package.keywords == ["wondzorg", "verband"])
        #expect(package.durationMinutes == 90)
    }

    @Test("items become modules: folders without identifierref, trimmed identifiers, curly quotes kept")
    func scorm12Tree() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm12-quirks/imsmanifest.xml", report: &report))

        #expect(package.modules.map(\.key) == ["intro", "chapter 1", "handout", "guideline"])
        let chapter = try #require(package.module(keyed: "chapter 1"))
        #expect(chapter.kind == .folder)
        #expect(chapter.launch == nil)
        #expect(chapter.children.map(\.key) == ["page-one", "\u{201C}quiz\u{201D}"])
        #expect(package.module(keyed: "intro")?.kind == .sco)
        #expect(package.module(keyed: "handout")?.kind == .asset)
        #expect(package.allModules.count == 6)
    }

    @Test("launch URLs: './' dropped, backslashes turned, encoding kept, parameters joined, absolute URLs kept")
    func scorm12Launch() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm12-quirks/imsmanifest.xml", report: &report))

        #expect(package.module(keyed: "intro")?.launch == "index.html?lang=nl")
        // The item's "#section-2" parameter is dropped because the href already has a fragment.
        #expect(package.module(keyed: "page-one")?.launch == "content/Page%20One.html#start")
        #expect(package.module(keyed: "\u{201C}quiz\u{201D}")?.launch == "content/quiz.html?mode=test&attempt=1")
        #expect(package.module(keyed: "handout")?.launch == "docs/handout.pdf")
        #expect(package.module(keyed: "guideline")?.launch == "https://www.example.org/richtlijnen/wondzorg")
    }

    @Test("module files are the resource's files plus its dependencies', decoded")
    func scorm12Files() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm12-quirks/imsmanifest.xml", report: &report))

        #expect(package.module(keyed: "intro")?.files == ["index.html", "shared/api.js"])
        #expect(package.module(keyed: "page-one")?.files == ["content/Page One.html", "content/Notes.HTML", "content/missing.css", "shared/api.js"])
        #expect(package.module(keyed: "guideline")?.files == [])
        #expect(package.files.contains("shared/logo.svg"), "files of unused resources are package files too")
        #expect(!package.files.contains { $0.hasPrefix("https:") })
        #expect(Set(package.files).count == package.files.count)
    }

    // MARK: SCORM 2004 and xml:base

    @Test("xml:base at manifest, resources and resource level joins into launch URLs and files")
    func xmlBase() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm2004-xmlbase/imsmanifest.xml", report: &report))

        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(package.module(keyed: "lesson-1")?.launch == "course/content/lesson1/index.html?page=1")
        #expect(package.module(keyed: "lesson-2")?.launch == "course/content/lesson2/start.html")
        #expect(package.module(keyed: "final-test")?.launch == "https://cdn.example.org/tests/final.html")
        // RES-COMMON and RES-STYLE depend on each other: each file once, no endless loop.
        #expect(package.module(keyed: "lesson-1")?.files == ["course/content/lesson1/index.html", "course/content/common/scorm.js", "course/content/style.css"])
    }

    @Test("SCORM 2004 edition comes from schemaversion; an empty boolean is tolerated with a warning")
    func scorm2004Edition() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm2004-xmlbase/imsmanifest.xml", report: &report))

        #expect(package.standard == .scorm2004)
        #expect(package.standardVersion == "2004 4th Edition")
        let warning = try #require(report.issues(withCode: "organization.boolean.invalid").first)
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("objectivesGlobalToSystem"))
        #expect(warning.line == 15)
    }

    @Test("metadata in a separate file is listed as needed when no loader is given")
    func metadataFileListed() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("scorm2004-xmlbase/imsmanifest.xml", report: &report))

        #expect(package.metadataFiles == ["course/metadata/course-lom.xml"])
        #expect(package.description.isEmpty)
        #expect(package.title == ["und": "Diabetes type 2"])
    }

    @Test("metadata in a separate file is read through the loader")
    func metadataFileLoaded() throws {
        let folder = PackageFixtures.url("scorm2004-xmlbase")
        let parser = IMSManifestParser(metadataLoader: { path in try Data(contentsOf: folder.appendingPathComponent(path)) })
        var report = PackageReport()

        let package = try #require(parser.parse(try PackageFixtures.data("scorm2004-xmlbase/imsmanifest.xml"), report: &report))

        #expect(package.language == "nl")
        #expect(package.title == ["nl": "Diabetes type 2"])
        #expect(package.description == ["nl": "Opvolging van patiënten met diabetes type 2."])
        #expect(package.keywords == ["diabetes", "zorgtraject"])
        #expect(package.durationMinutes == 45)
    }

    @Test("a metadata file the loader cannot find is a warning, not a refusal")
    func metadataFileMissing() throws {
        let parser = IMSManifestParser(metadataLoader: { _ in nil })
        var report = PackageReport()

        let package = parser.parse(try PackageFixtures.data("scorm2004-xmlbase/imsmanifest.xml"), report: &report)

        #expect(package != nil)
        #expect(report.issues(withCode: "metadata.file.missing").first?.message.contains("course/metadata/course-lom.xml") == true)
    }

    // MARK: IMS Content Packaging

    @Test("plain IMS CP: the first of several organizations without default, a sub-manifest expanded in place")
    func contentPackaging() throws {
        var report = PackageReport()

        let package = try #require(try PackageFixtures.parse("ims-cp-submanifest/imsmanifest.xml", report: &report))

        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(package.standard == .imsContentPackaging)
        #expect(package.standardVersion == "1.1.4")
        #expect(package.title == ["und": "Handboek palliatieve zorg"])
        #expect(package.modules.map(\.key) == ["cover", "annexes"])
        #expect(package.module(keyed: "cover")?.kind == .asset)
        #expect(package.module(keyed: "cover")?.scorm == nil)
        #expect(package.module(keyed: "annexes")?.kind == .folder)
        #expect(package.module(keyed: "annexes")?.children.map(\.launch) == ["annex/a.html", "annex/b.html"])
        #expect(report.issues(withCode: "organizations.several").first?.message.contains("'TOC'") == true)
    }

    @Test("the default organization is taken when there are several, with a warning")
    func defaultOrganization() throws {
        let xml = PackageFixtures.scorm12("""
          <organizations default="B">
            <organization identifier="A"><title>A</title><item identifier="a" identifierref="R"><title>A</title></item></organization>
            <organization identifier="B"><title>B</title><item identifier="b" identifierref="R"><title>B</title></item></organization>
          </organizations>
          <resources><resource identifier="R" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>
        """)
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, report: &report))

        #expect(package.modules.map(\.key) == ["b"])
        #expect(report.issueCodes == ["organizations.several"])
    }

    @Test("without organizations, resources with an href become the modules (Moodle's behaviour)")
    func noOrganizations() throws {
        let xml = PackageFixtures.scorm12("""
          <organizations/>
          <resources>
            <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="one.html"/>
            <resource identifier="R2" type="webcontent" adlcp:scormtype="asset"><file href="shared.js"/></resource>
          </resources>
        """)
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, report: &report))

        #expect(package.modules.map(\.key) == ["R1"])
        #expect(package.modules.first?.kind == .sco)
        #expect(package.modules.first?.launch == "one.html")
        #expect(report.warnings.map(\.code) == ["organizations.missing", "manifest.title.missing"])
        #expect(package.title == ["und": "test.scorm12"])
    }

    @Test("a manifest without namespaces is read by its schemaversion, with a warning")
    func noNamespace() throws {
        let xml = """
        <manifest identifier="plain"><metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
          <organizations default="O"><organization identifier="O"><title>T</title>
            <item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>
          <resources><resource identifier="r" type="webcontent" href="index.html"/></resources>
        </manifest>
        """
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, report: &report))

        #expect(package.standard == .scorm12)
        #expect(package.module(keyed: "i")?.kind == .sco)
        #expect(report.issueCodes.contains("manifest.namespace.missing"))
        #expect(report.issueCodes.contains("resource.scormtype.missing"))
    }

    @Test("namespaces win over a wrong schemaversion")
    func namespacesWin() throws {
        let xml = """
        <manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
          <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
          <organizations default="O"><organization identifier="O"><title>T</title>
            <item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>
          <resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="index.html"/></resources>
        </manifest>
        """
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, report: &report))

        #expect(package.standard == .scorm2004)
        #expect(package.standardVersion == "2004")
        #expect(report.issueCodes == ["manifest.schemaversion.mismatch"])
    }

    @Test("an item with an empty title shows its identifier, with a warning")
    func emptyTitle() throws {
        let xml = PackageFixtures.scorm12("""
          <organizations default="O"><organization identifier="O"><title>T</title>
            <item identifier="ITEM-1" identifierref="r"><title>  </title></item></organization></organizations>
          <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"/></resources>
        """)
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, report: &report))

        #expect(package.module(keyed: "ITEM-1")?.title == ["und": "ITEM-1"])
        #expect(report.issueCodes == ["item.title.empty"])
    }

    @Test("a root-relative href is read from the package root, with a warning")
    func rootedHref() throws {
        let xml = PackageFixtures.scorm12("""
          <organizations default="O"><organization identifier="O"><title>T</title>
            <item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>
          <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="/lesson/index.html"/></resources>
        """)
        var report = PackageReport()

        let package = try #require(PackageFixtures.parse(xml: xml, report: &report))

        #expect(package.module(keyed: "i")?.launch == "lesson/index.html")
        #expect(report.issueCodes == ["href.rooted"], "reported once, though the href is read for the launch and the files")
    }

    // MARK: Refusals

    @Test("broken manifests are refused with an error that says where and how to fix it", arguments: [
        ("unknown-identifierref.xml", "item.identifierref.unknown", 8),
        ("duplicate-identifiers.xml", "item.identifier.duplicate", 11),
        ("duplicate-identifiers.xml", "resource.identifier.duplicate", 18),
        ("unknown-default-organization.xml", "organizations.default.unknown", 5),
        ("sco-without-href.xml", "resource.href.missing", 14),
        ("nothing-to-import.xml", "manifest.empty", 5),
        ("unknown-dependency.xml", "dependency.identifierref.unknown", 15),
        ("href-outside-package.xml", "href.outside", 14),
        ("common-cartridge.xml", "package.commonCartridge", 2),
        ("not-well-formed.xml", "xml.notWellFormed", 8),
    ])
    func refused(file: String, code: String, line: Int) throws {
        var report = PackageReport()

        let package = try PackageFixtures.parse("refused/" + file, report: &report)

        #expect(package == nil)
        let error = try #require(report.errors.first { $0.code == code }, "codes: \(report.issueCodes)")
        #expect(error.file == "refused/" + file)
        #expect(error.line == line)
        #expect(error.column != nil)
        #expect(!error.message.isEmpty)
        #expect(error.hint?.isEmpty == false)
    }

    @Test("an href to the author's disk is refused, also as a file: URL", arguments: ["C:\\Kursus\\index.html", "file:///C:/Kursus/index.html"])
    func fileSystemHref(href: String) throws {
        let xml = PackageFixtures.scorm12("""
          <organizations default="O"><organization identifier="O"><title>T</title>
            <item identifier="i" identifierref="r"><title>I</title></item></organization></organizations>
          <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="\(href)"/></resources>
        """)
        var report = PackageReport()

        let package = PackageFixtures.parse(xml: xml, report: &report)

        #expect(package == nil)
        #expect(report.issueCodes == ["href.filesystem"])
    }

    @Test("an href leaving the package is reported once")
    func outsideOnce() throws {
        var report = PackageReport()

        _ = try PackageFixtures.parse("refused/href-outside-package.xml", report: &report)

        #expect(report.issueCodes == ["href.outside"])
        #expect(report.errors.first?.message.contains("'../other-course/index.html'") == true)
    }

    @Test("the refusal of a Common Cartridge says why")
    func commonCartridgeReason() throws {
        var report = PackageReport()

        _ = try PackageFixtures.parse("refused/common-cartridge.xml", report: &report)

        #expect(report.errors.map(\.message).first?.hasPrefix("Common Cartridge is not a course package this academy imports") == true)
    }
}
