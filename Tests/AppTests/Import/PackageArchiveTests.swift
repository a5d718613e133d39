@testable import App
import Foundation
import Testing

/// Hostile and awkward zips, built in the test, against the archive checks alone. Each refusal must name the
/// entry and leave nothing behind in the target folder.
@Suite struct PackageArchiveTests {
    /// Extracts into a fresh folder; on refusal returns the issue and whether anything was written.
    private func extract(_ url: URL, limits: PackageArchive.Limits = .init()) -> (Result<PackageArchive.Extraction, PackageIssue>, URL) {
        let target = TestZip.temporaryURL("")
        do {
            return (.success(try PackageArchive(url: url, limits: limits).extract(into: target)), target)
        } catch let issue as PackageIssue {
            return (.failure(issue), target)
        } catch {
            Issue.record("unexpected error \(error)")
            return (.failure(PackageIssue(.error, code: "unexpected", message: "\(error)")), target)
        }
    }

    private func refusal(_ url: URL, limits: PackageArchive.Limits = .init(), sourceLocation: SourceLocation = #_sourceLocation) -> PackageIssue? {
        let (result, target) = extract(url, limits: limits)
        defer { try? FileManager.default.removeItem(at: target) }
        switch result {
        case .success(let extraction):
            Issue.record("the zip was accepted: \(extraction.files)", sourceLocation: sourceLocation)
            return nil
        case .failure(let issue):
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
            #expect(leftovers.isEmpty, "nothing is extracted from a refused zip: \(leftovers)", sourceLocation: sourceLocation)
            return issue
        }
    }

    @Test func aGoodZipIsExtractedWithoutItsClutter() throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [
            .folder("pages/"), .text("pages/a.html", "a"), .text("__MACOSX/._index.html", "fork"), .text("pages/.DS_Store", "x"),
            .file("big.bin", Data(repeating: 7, count: 300_000), compressed: false),
        ])

        let (result, target) = extract(zip)
        let extraction = try result.get()

        #expect(extraction.files.sorted() == ["big.bin", "imsmanifest.xml", "index.html", "pages/a.html"])
        #expect(extraction.skipped.sorted() == ["__MACOSX/._index.html", "pages/.DS_Store"])
        #expect(try String(contentsOf: target.appendingPathComponent("pages/a.html"), encoding: .utf8) == "a")
        #expect(try Data(contentsOf: target.appendingPathComponent("big.bin")).count == 300_000)
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("__MACOSX").path))
    }

    @Test func aFileThatIsNoZipIsRefused() throws {
        let url = TestZip.temporaryURL()
        try Data("<html>not a zip</html>".utf8).write(to: url)

        let issue = refusal(url)

        #expect(issue?.code == "archive.notZip")
        #expect(issue?.message.contains(url.lastPathComponent) == true)
        #expect(issue?.hint != nil)
    }

    @Test(arguments: ["../escape.html", "content/../../escape.html", "/etc/cron.d/evil", "C:\\Windows\\evil.dll",
                      "..\\..\\escape.html", "content\\..\\..\\escape.html", "\\\\server\\share\\evil.html"])
    func entriesEscapingTheFolderAreRefused(name: String) throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [.text(name, "gotcha")])

        let issue = refusal(zip)

        #expect(issue?.code == "archive.entry.outside")
        #expect(issue?.file == name)
        #expect(issue?.message.contains(name) == true)
        #expect(!FileManager.default.fileExists(atPath: TestZip.workFolder.appendingPathComponent("escape.html").path))
        #expect(!FileManager.default.fileExists(atPath: TestZip.workFolder.deletingLastPathComponent().appendingPathComponent("escape.html").path))
    }

    @Test func symbolicLinksAreRefused() throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [.symlink("pages/passwd", target: "/etc/passwd")])

        let issue = refusal(zip)

        #expect(issue?.code == "archive.entry.symlink")
        #expect(issue?.message.contains("pages/passwd") == true)
    }

    @Test func namesDifferingOnlyInCaseAreRefused() throws {
        let files = try TestZip.make(ImportFixtures.smallScorm() + [.text("pages/Intro.html", "1"), .text("pages/intro.html", "2")])
        let folders = try TestZip.make(ImportFixtures.smallScorm() + [.text("Pages/a.html", "1"), .text("pages/b.html", "2")])

        let fileIssue = refusal(files)
        let folderIssue = refusal(folders)

        #expect(fileIssue?.code == "archive.entry.caseCollision")
        #expect(fileIssue?.message.contains("'pages/Intro.html' and 'pages/intro.html'") == true)
        #expect(folderIssue?.code == "archive.entry.caseCollision")
        #expect(folderIssue?.message.contains("'Pages' and 'pages'") == true)
    }

    @Test func aNameTwiceAndAFileThatIsAlsoAFolderAreRefused() throws {
        let twice = try TestZip.make(ImportFixtures.smallScorm() + [.text("a.html", "1"), .text("a.html", "2")])
        let both = try TestZip.make(ImportFixtures.smallScorm() + [.text("a", "1"), .text("a/b.html", "2")])

        #expect(refusal(twice)?.code == "archive.entry.duplicate")
        #expect(refusal(both)?.code == "archive.entry.fileAndFolder")
    }

    @Test func encryptedEntriesAreRefused() throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [.text("secret.html", "top secret")])
        try TestZip.setFlags(zip, entry: "secret.html", set: 0x0001)

        let issue = refusal(zip)

        #expect(issue?.code == "archive.entry.encrypted")
        #expect(issue?.file == "secret.html")
        #expect(issue?.hint?.contains("without a password") == true)
    }

    @Test func aHighlyCompressedLargeEntryIsTreatedAsAZipBomb() throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [.file("zeros.bin", Data(count: 3 << 20))])
        let smallButDense = try TestZip.make(ImportFixtures.smallScorm() + [.file("zeros.bin", Data(count: 500_000))])

        let issue = refusal(zip)
        let (small, _) = extract(smallButDense)

        #expect(issue?.code == "archive.entry.ratio")
        #expect(issue?.message.contains("zeros.bin") == true)
        #expect((try? small.get()) != nil, "the ratio applies to entries over 1 MB only")
    }

    @Test func theTotalSizeAndEntryCountLimitsApply() throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + (1...5).map { .file("f\($0).bin", Data(repeating: UInt8($0), count: 1_000), compressed: false) })

        let tooLarge = refusal(zip, limits: .init(maxTotalBytes: 3_000))
        let tooMany = refusal(zip, limits: .init(maxEntries: 4))

        #expect(tooLarge?.code == "archive.tooLarge")
        #expect(tooMany?.code == "archive.tooManyEntries")
        #expect(tooMany?.message.contains("7 entries") == true)
    }

    @Test func anEntryHoldingMoreThanItsHeaderSaysIsStoppedWhileExtracting() throws {
        let text = String(repeating: "Dit is geen zip-bom maar een leugenachtige kop. ", count: 2_000)
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [.text("liar.html", text)])
        try TestZip.setUncompressedSize(zip, entry: "liar.html", to: 1_000)

        let issue = refusal(zip)

        #expect(issue?.code == "archive.entry.sizeMismatch")
        #expect(issue?.message.contains("liar.html") == true)
    }

    @Test func namesWithoutTheUTF8FlagAreReadAsUTF8OrCodePage437() throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [.text("café.html", "utf8"), .text("dosX.html", "dos")])
        try TestZip.setFlags(zip, entry: "café.html", clear: 0x0800)
        try TestZip.setFlags(zip, entry: "dosX.html", clear: 0x0800)
        try TestZip.rename(zip, entry: "dosX.html", toBytes: Array("dos".utf8) + [0x82] + Array(".html".utf8))

        let (result, target) = extract(zip)
        let files = try result.get().files

        #expect(files.contains("café.html"))
        #expect(files.contains("dosé.html"))
        #expect(try String(contentsOf: target.appendingPathComponent("dosé.html"), encoding: .utf8) == "dos")
    }

    @Test func aDamagedEntryFailsItsChecksum() throws {
        let zip = try TestZip.make(ImportFixtures.smallScorm() + [.file("stored.txt", Data("abcdefghij".utf8), compressed: false)])
        var bytes = [UInt8](try Data(contentsOf: zip))
        let marker = Array("abcdefghij".utf8)
        let start = try #require((0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
        bytes[start] = UInt8(ascii: "X")
        try Data(bytes).write(to: zip)

        let issue = refusal(zip)

        #expect(issue?.code == "archive.entry.corrupt")
        #expect(issue?.file == "stored.txt")
    }
}
