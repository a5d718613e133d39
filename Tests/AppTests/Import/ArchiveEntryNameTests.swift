@testable import App
import Foundation
import Testing

@Suite struct ArchiveEntryNameTests {
    @Test(arguments: [
        ("../evil.html", ArchiveEntryName.Problem.parentSegment),
        ("pages/../../evil.html", .parentSegment),
        ("..\\evil.html", .parentSegment),
        ("pages\\..\\..\\evil.html", .parentSegment),
        ("/etc/passwd", .absolute),
        ("\\windows\\system.ini", .absolute),
        ("C:\\Windows\\evil.dll", .driveLetter),
        ("c:/evil.html", .driveLetter),
        ("D:evil.html", .driveLetter),
        ("bad\u{0}name.html", .controlCharacter),
    ])
    func namesThatLeaveTheFolderAreRefused(name: String, problem: ArchiveEntryName.Problem) {
        #expect(ArchiveEntryName.make(name) == .failure(problem))
    }

    @Test func backslashesAndDotSegmentsBecomeOnePlainPath() throws {
        let name = try ArchiveEntryName.make("./content\\lessons//one.html").get()
        let folder = try ArchiveEntryName.make("content\\lessons\\").get()

        #expect(name.path == "content/lessons/one.html")
        #expect(!name.isFolder)
        #expect(folder.path == "content/lessons" && folder.isFolder)
    }

    @Test func aNamePartOver255BytesIsRefused() {
        let result = ArchiveEntryName.make("pages/" + String(repeating: "é", count: 130) + ".html")

        guard case .failure(.segmentTooLong) = result else {
            Issue.record("expected segmentTooLong, got \(result)")
            return
        }
    }

    @Test func namesAreUTF8WhenFlaggedOrValidElseCodePage437() {
        var record = ZipCentralDirectory.Record(nameBytes: Array("café.html".utf8), flags: 0, method: 8, compressedSize: 1,
                                                uncompressedSize: 1, versionMadeBy: 0, externalAttributes: 0)
        let unflaggedUTF8 = ArchiveEntryName.decode(record)
        record.nameBytes = [0x63, 0x61, 0x66, 0x82, 0x2E, 0x68, 0x74, 0x6D, 0x6C]  // "caf" 0x82 ".html" in CP437
        let dos = ArchiveEntryName.decode(record)
        record.flags = 0x0800
        let flaggedButInvalid = ArchiveEntryName.decode(record)
        record.unicodeName = "cafe\u{301}.html"
        let unicodeField = ArchiveEntryName.decode(record)

        #expect(unflaggedUTF8 == "café.html")
        #expect(dos == "café.html")
        #expect(flaggedButInvalid == nil)
        #expect(unicodeField == "cafe\u{301}.html")
    }

    @Test func codePage437CoversTheUpperHalf() {
        let all = ArchiveEntryName.codePage437((0x80...0xFF).map { UInt8($0) })

        #expect(all.unicodeScalars.count == 128)
        #expect(all.unicodeScalars.first == "Ç" && all.unicodeScalars.last == "\u{A0}")
        #expect(ArchiveEntryName.codePage437([0x8E, 0x99, 0x9A, 0xE1]) == "ÄÖÜß")
    }

    @Test func clutterFromMacOSIsRecognised() throws {
        #expect(try ArchiveEntryName.make("__MACOSX/pages/._index.html").get().isJunk)
        #expect(try ArchiveEntryName.make("pages/.DS_Store").get().isJunk)
        #expect(try ArchiveEntryName.make("Thumbs.db").get().isJunk)
        #expect(try ArchiveEntryName.make(".git/objects/ab/cdef").get().isJunk)
        #expect(try !ArchiveEntryName.make("pages/index.html").get().isJunk)
    }
}
