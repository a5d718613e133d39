@testable import App
import Foundation
import ZIPFoundation

/// Zips made inside the tests with ZIPFoundation, good and hostile, and byte patches for what ZIPFoundation
/// will not write (encryption flags, names without the UTF-8 flag, sizes that lie).
enum TestZip {
    enum Entry {
        case file(String, Data, compressed: Bool = true)
        case folder(String)
        case symlink(String, target: String)

        static func text(_ path: String, _ text: String) -> Entry { .file(path, Data(text.utf8)) }
    }

    static let workFolder = FileManager.default.temporaryDirectory.appendingPathComponent("academy-import-tests", isDirectory: true)

    static func temporaryURL(_ suffix: String = ".zip") -> URL {
        try? FileManager.default.createDirectory(at: workFolder, withIntermediateDirectories: true)
        return workFolder.appendingPathComponent(UUID().uuidString + suffix)
    }

    static func make(_ entries: [Entry]) throws -> URL {
        let url = temporaryURL()
        let archive = try Archive(url: url, accessMode: .create)
        for entry in entries {
            switch entry {
            case .file(let path, let data, let compressed):
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                     compressionMethod: compressed ? .deflate : .none) { (position: Int64, size: Int) -> Data in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            case .folder(let path):
                try archive.addEntry(with: path, type: .directory, uncompressedSize: Int64(0)) { (_: Int64, _: Int) -> Data in Data() }
            case .symlink(let path, let target):
                let data = Data(target.utf8)
                try archive.addEntry(with: path, type: .symlink, uncompressedSize: Int64(data.count)) { (position: Int64, size: Int) -> Data in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        }
        return url
    }

    /// Every file under `folder`, under `prefix` in the zip ("My Course/"), plus `extra` entries.
    static func make(folder: URL, prefix: String = "", extra: [Entry] = []) throws -> URL {
        let files = try PackageFiles.list(root: folder).paths
        let entries = try files.map { Entry.file(prefix + $0, try Data(contentsOf: folder.appendingPathComponent($0))) }
        return try make(entries + extra)
    }

    /// A copy of `folder` in a temporary place, to change a file in.
    static func copy(folder: URL) throws -> URL {
        let copy = temporaryURL("")
        try FileManager.default.copyItem(at: folder, to: copy)
        return copy
    }

    // MARK: Byte patches

    /// Where each entry's central-directory record and local header start.
    private static func headers(_ bytes: [UInt8]) -> [(name: [UInt8], central: Int, local: Int)] {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard let eocd = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4b50 }) else { return [] }
        var position = u32(eocd + 16)
        var result: [(name: [UInt8], central: Int, local: Int)] = []
        for _ in 0..<u16(eocd + 10) {
            let nameLength = u16(position + 28)
            let name = Array(bytes[(position + 46)..<(position + 46 + nameLength)])
            result.append((name, position, u32(position + 42)))
            position += 46 + nameLength + u16(position + 30) + u16(position + 32)
        }
        return result
    }

    /// Applies `change` to the bytes of both headers of the entry named `name` (as UTF-8 bytes).
    static func patch(_ url: URL, entry name: String, _ change: (inout [UInt8], _ central: Int, _ local: Int) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: url))
        for header in headers(bytes) where header.name == Array(name.utf8) {
            change(&bytes, header.central, header.local)
        }
        try Data(bytes).write(to: url)
    }

    static func setFlags(_ url: URL, entry: String, set: UInt16 = 0, clear: UInt16 = 0) throws {
        try patch(url, entry: entry) { bytes, central, local in
            for offset in [central + 8, local + 6] {
                var flags = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
                flags = (flags | set) & ~clear
                bytes[offset] = UInt8(flags & 0xFF)
                bytes[offset + 1] = UInt8(flags >> 8)
            }
        }
    }

    static func setUncompressedSize(_ url: URL, entry: String, to size: UInt32) throws {
        try patch(url, entry: entry) { bytes, central, local in
            for offset in [central + 24, local + 22] {
                for index in 0..<4 { bytes[offset + index] = UInt8((size >> (8 * UInt32(index))) & 0xFF) }
            }
        }
    }

    /// Replaces the name bytes (same length) in both headers.
    static func rename(_ url: URL, entry: String, toBytes newName: [UInt8]) throws {
        precondition(newName.count == entry.utf8.count)
        try patch(url, entry: entry) { bytes, central, local in
            for offset in [central + 46, local + 30] {
                for (index, byte) in newName.enumerated() { bytes[offset + index] = byte }
            }
        }
    }
}

/// The package fixtures the import tests zip.
enum ImportFixtures {
    static let packages = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/packages", isDirectory: true)
    static let scorm12 = packages.appendingPathComponent("scorm12-quirks", isDirectory: true)
    static let cmi5 = packages.appendingPathComponent("cmi5-nested-blocks", isDirectory: true)
    static let courseFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("courses/doelgerichte-zorg", isDirectory: true)

    /// A minimal valid SCORM 1.2 package: one SCO with its page.
    static func smallScorm(identifier: String = "test.small", page: String = "<html><body>Hallo</body></html>") -> [TestZip.Entry] {
        [
            .text("imsmanifest.xml", PackageFixtures.scorm12("""
              <organizations default="org"><organization identifier="org"><title>Kleine cursus</title>
                <item identifier="i1" identifierref="r1"><title>Pagina</title></item>
              </organization></organizations>
              <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
                <file href="index.html"/></resource></resources>
            """, identifier: identifier)),
            .text("index.html", page),
        ]
    }
}
