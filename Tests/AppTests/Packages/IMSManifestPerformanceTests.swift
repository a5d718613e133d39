import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import App

/// A large generated manifest is read completely. How long it takes belongs in a benchmark, not in a
/// timed test (the import benchmark of issue 3 is still to be written in benchmarks/).
@Suite("IMS manifest at scale")
struct IMSManifestPerformanceTests {
    /// A SCORM 2004 manifest of `chapters` folders holding `itemsPerChapter` SCOs each, every SCO with its own
    /// resource (two files and a dependency on a shared asset), parameters and a sequencing block.
    static func manifest(chapters: Int, itemsPerChapter: Int) -> Data {
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="large" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
            xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
        <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
        <organizations default="o"><organization identifier="o"><title>Large</title>
        """
        for chapter in 0..<chapters {
            xml += "<item identifier=\"c\(chapter)\"><title>Chapter \(chapter)</title>"
            for item in 0..<itemsPerChapter {
                xml += "<item identifier=\"i\(chapter)-\(item)\" identifierref=\"r\(chapter)-\(item)\" parameters=\"?p=\(item)\">"
                xml += "<title>Item \(item)</title><imsss:sequencing><imsss:controlMode flow=\"true\"/></imsss:sequencing></item>"
            }
            xml += "</item>"
        }
        xml += "</organization></organizations><resources>"
        for chapter in 0..<chapters {
            for item in 0..<itemsPerChapter {
                xml += "<resource identifier=\"r\(chapter)-\(item)\" type=\"webcontent\" adlcp:scormType=\"sco\" href=\"c\(chapter)/p\(item).html\">"
                xml += "<file href=\"c\(chapter)/p\(item).html\"/><file href=\"c\(chapter)/p\(item).js\"/><dependency identifierref=\"shared\"/></resource>"
            }
        }
        xml += "<resource identifier=\"shared\" type=\"webcontent\" adlcp:scormType=\"asset\"><file href=\"shared/api.js\"/></resource>"
        xml += "</resources></manifest>"
        return Data(xml.utf8)
    }

    @Test("a 5,000-item manifest reads into every chapter, item and file")
    func largeManifest() {
        var report = PackageReport()

        let package = IMSManifestParser().parse(Self.manifest(chapters: 50, itemsPerChapter: 100), report: &report)

        #expect(!report.hasErrors)
        #expect(package?.modules.count == 50)
        #expect(package?.allModules.count == 5_050)
        #expect(package?.allModules.last?.files.contains("shared/api.js") == true)
    }
}
