import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A generated SCORM 2004 package for the import benchmark (benchmarks/import.sh): `chapters` folders of
/// `itemsPerChapter` SCOs, each SCO with its own resource and HTML file, plus optional large media files,
/// written to a folder. Deterministic, so runs compare.
struct BenchmarkPackage {
    var identifier = "benchmark.large"
    var chapters = 50
    var itemsPerChapter = 100
    /// Total size of the media files (split into files of at most 100 MiB); 0 for none.
    var mediaBytes: Int64 = 0

    var items: Int { chapters * itemsPerChapter }

    /// Writes the package; returns the manifest's size in bytes.
    @discardableResult
    func write(to folder: URL) throws -> Int {
        let files = FileManager.default
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        var xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="\(identifier)" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
            xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
            xmlns:lom="http://ltsc.ieee.org/xsd/LOM">
        <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>
        <lom:lom><lom:general><lom:title><lom:string language="nl">Grote benchmarkcursus</lom:string></lom:title>
        <lom:description><lom:string language="nl">Een gegenereerde cursus met \(items) modules.</lom:string></lom:description></lom:general></lom:lom>
        </metadata>
        <organizations default="org"><organization identifier="org"><title>Grote benchmarkcursus</title>

        """
        for chapter in 0..<chapters {
            xml += "<item identifier=\"c\(chapter)\"><title>Hoofdstuk \(chapter + 1): zorgpaden en samenwerking in de eerste lijn</title>\n"
            for item in 0..<itemsPerChapter {
                xml += "  <item identifier=\"i\(chapter)-\(item)\" identifierref=\"r\(chapter)-\(item)\" parameters=\"?page=\(item)\">"
                xml += "<title>Les \(chapter + 1).\(item + 1): casusbespreking, medicatieschema en overdracht</title>"
                xml += "<adlcp:completionThreshold minProgressMeasure=\"0.8\"/>"
                xml += "<imsss:sequencing><imsss:controlMode flow=\"true\" choice=\"true\"/></imsss:sequencing></item>\n"
            }
            xml += "</item>\n"
        }
        xml += "</organization></organizations>\n<resources>\n"
        for chapter in 0..<chapters {
            for item in 0..<itemsPerChapter {
                let href = "c\(chapter)/p\(item).html"
                xml += "  <resource identifier=\"r\(chapter)-\(item)\" type=\"webcontent\" adlcp:scormType=\"sco\" href=\"\(href)\">"
                xml += "<file href=\"\(href)\"/><dependency identifierref=\"shared\"/></resource>\n"
            }
        }
        let media = mediaFiles()
        xml += "  <resource identifier=\"shared\" type=\"webcontent\" adlcp:scormType=\"asset\"><file href=\"shared/api.js\"/>"
        xml += media.map { "<file href=\"\($0.path)\"/>" }.joined()
        xml += "</resource>\n</resources>\n</manifest>\n"
        let manifest = Data(xml.utf8)
        try manifest.write(to: folder.appendingPathComponent("imsmanifest.xml"))
        for chapter in 0..<chapters {
            let dir = folder.appendingPathComponent("c\(chapter)", isDirectory: true)
            try files.createDirectory(at: dir, withIntermediateDirectories: true)
            for item in 0..<itemsPerChapter {
                let page = "<!doctype html><html lang=\"nl\"><title>Les \(chapter + 1).\(item + 1)</title><script src=\"../shared/api.js\"></script><p>Inhoud van les \(item + 1).</p></html>\n"
                try Data(page.utf8).write(to: dir.appendingPathComponent("p\(item).html"))
            }
        }
        try files.createDirectory(at: folder.appendingPathComponent("shared", isDirectory: true), withIntermediateDirectories: true)
        try Data("window.benchmark = true;\n".utf8).write(to: folder.appendingPathComponent("shared/api.js"))
        for file in media {
            try Self.writeNoise(bytes: file.bytes, to: folder.appendingPathComponent(file.path), seed: UInt64(file.path.utf8.count))
        }
        return manifest.count
    }

    private func mediaFiles() -> [(path: String, bytes: Int64)] {
        let chunk: Int64 = 100 * 1024 * 1024
        var left = mediaBytes
        var result: [(String, Int64)] = []
        while left > 0 {
            let size = min(chunk, left)
            result.append(("shared/video-\(result.count + 1).mp4", size))
            left -= size
        }
        return result
    }

    /// Incompressible bytes (like real video), written in 1 MiB blocks.
    private static func writeNoise(bytes: Int64, to url: URL, seed: UInt64) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var state = seed | 1
        var left = bytes
        var block = [UInt8](repeating: 0, count: 1024 * 1024)
        while left > 0 {
            let count = Int(min(Int64(block.count), left))
            for index in stride(from: 0, to: count, by: 8) {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                withUnsafeBytes(of: state) { raw in
                    for offset in 0..<min(8, count - index) { block[index + offset] = raw[offset] }
                }
            }
            try handle.write(contentsOf: block[0..<count])
            left -= Int64(count)
        }
    }
}

/// The benchmark's baseline: one bare pass of Foundation's streaming XMLParser over a file, counting elements.
final class BareXMLPass: NSObject, XMLParserDelegate {
    private(set) var elements = 0

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        elements += 1
    }

    /// Elements seen, or nil when the parser failed.
    static func run(file: URL) -> Int? {
        guard let stream = InputStream(url: file) else { return nil }
        let parser = XMLParser(stream: stream)
        let pass = BareXMLPass()
        parser.delegate = pass
        parser.shouldProcessNamespaces = true
        guard parser.parse(), parser.parserError == nil else { return nil }
        return pass.elements
    }
}
