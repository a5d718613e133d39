import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import App

/// Large manifests must stay linear: identifiers are looked up in dictionaries, never by scanning.
@Suite("IMS manifest performance", .serialized)
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

    static func fastest(of runs: Int = 3, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    static func parseTime(_ data: Data) -> (seconds: Double, modules: Int) {
        var modules = 0
        let seconds = fastest {
            var report = PackageReport()
            modules = IMSManifestParser().parse(data, report: &report)?.allModules.count ?? -1
        }
        return (seconds, modules)
    }

    @Test("5,000 items take about five times as long as 1,000, not twenty-five")
    func linear() {
        let small = Self.parseTime(Self.manifest(chapters: 20, itemsPerChapter: 49))
        let large = Self.parseTime(Self.manifest(chapters: 100, itemsPerChapter: 49))

        #expect(small.modules == 1_000)
        #expect(large.modules == 5_000)
        #expect(large.seconds < small.seconds * 10, "1,000 items: \(small.seconds) s, 5,000 items: \(large.seconds) s")
    }

    #if !DEBUG
    // Optimised builds only: in debug builds Swift code is many times slower than the prebuilt XMLParser.
    @Test("a 5,000-item manifest parses within ten times a bare XMLParser pass")
    func againstBareParser() {
        let data = Self.manifest(chapters: 100, itemsPerChapter: 49)
        let bare = Self.fastest {
            let parser = XMLParser(stream: InputStream(data: data))
            let delegate = IgnoringXMLDelegate()
            parser.delegate = delegate
            _ = parser.parse()
        }

        let full = Self.parseTime(data)

        #expect(full.seconds < bare * 10, "bare XMLParser: \(bare) s, IMSManifestParser: \(full.seconds) s")
    }
    #endif
}

/// Receives XMLParser's callbacks and does nothing with them: the cost of the parse itself.
private final class IgnoringXMLDelegate: NSObject, XMLParserDelegate {}
