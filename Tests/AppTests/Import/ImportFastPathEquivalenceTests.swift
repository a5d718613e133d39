@testable import App
import Fluent
import Foundation
import Testing

/// The import's shortcuts give what the long ways gave: a zip's file list comes from unpacking it rather than from
/// listing the folder, small files are hashed from the bytes kept while unpacking rather than read back, and module
/// rows go in through SQLKit rather than Fluent's `create`.
@Suite struct ImportFastPathEquivalenceTests {
    /// A zip wrapped in one top-level folder, with a file too large to keep, clutter and an empty file.
    static func wrappedZip() throws -> URL {
        let large = Data((0..<(200 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) })
        return try TestZip.make([
            .text("Mijn cursus/imsmanifest.xml", "<manifest/>"),
            .text("Mijn cursus/index.html", "<html><body>Hallo</body></html>"),
            .text("Mijn cursus/lessen/een.html", "<p>Een</p>"),
            .text("Mijn cursus/lessen/leeg.txt", ""),
            .file("Mijn cursus/media/film.bin", large, compressed: false),
            .text("Mijn cursus/.DS_Store", "x"),
            .text("__MACOSX/Mijn cursus/._index.html", "fork"),
        ])
    }

    @Test func unpackingKnowsTheFilesThatListingTheFolderFinds() throws {
        let zip = try Self.wrappedZip()
        let folder = TestZip.temporaryURL("")
        defer { try? FileManager.default.removeItem(at: folder) }

        let extraction = try PackageArchive(url: zip).extract(into: folder)
        let listed = try PackageFiles.list(root: folder)

        #expect(extraction.listing == listed)
        #expect(listed.paths == ["Mijn cursus/imsmanifest.xml", "Mijn cursus/index.html", "Mijn cursus/lessen/een.html",
                                 "Mijn cursus/lessen/leeg.txt", "Mijn cursus/media/film.bin"])
        let largest = try #require(listed.files.last)
        #expect(largest.size == Int64(200 * 1024))
    }

    @Test func theHashFromKeptBytesIsTheHashFromTheFiles() throws {
        let zip = try Self.wrappedZip()
        let folder = TestZip.temporaryURL("")
        defer { try? FileManager.default.removeItem(at: folder) }
        let extraction = try PackageArchive(url: zip).extract(into: folder)
        let root = folder.appendingPathComponent("Mijn cursus", isDirectory: true)
        let paths = try PackageFiles.list(root: root).paths

        let kept = try ContentHash.compute(root: root, files: paths, retained: extraction.retained, retainedPrefix: "Mijn cursus/")
        let read = try ContentHash.compute(root: root, files: paths)

        #expect(kept == read)
        #expect(extraction.retained.contents["Mijn cursus/index.html"] == Data("<html><body>Hallo</body></html>".utf8))
        #expect(extraction.retained.contents["Mijn cursus/media/film.bin"] == nil, "a large file is read back, not kept")
        #expect(extraction.retained.contents.keys.allSatisfy { !$0.contains(".DS_Store") && !$0.hasPrefix("__MACOSX") })
    }

    @Test func keptBytesStayWithinTheirLimits() {
        var retained = ContentHash.RetainedFiles(fileLimit: 10, totalLimit: 15)

        retained.keep(Data(count: 8), at: "a")
        retained.keep(Data(count: 11), at: "too-large")
        retained.keep(Data(count: 8), at: "over-the-total")
        retained.keep(Data(count: 7), at: "b")

        #expect(retained.contents.keys.sorted() == ["a", "b"])
        #expect(retained.byteCount == 15)
        #expect(!retained.accepts(size: 1))
    }

    @Test(arguments: TestDatabase.all)
    func aWrappedZipAndItsFolderAreTheSameContent(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let zip = try TestZip.make(folder: ImportFixtures.courseFolder, prefix: "Doelgerichte zorg/")
            let folder = try TestZip.copy(folder: ImportFixtures.courseFolder)
            defer { try? FileManager.default.removeItem(at: folder) }

            let fromZip = try await app.importPackage(at: zip)
            let fromFolder = try await app.importPackage(at: folder)

            #expect(fromZip.status == .created, "\(fromZip.report.issues)")
            #expect(fromFolder.status == .unchanged, "the hash of kept bytes under the wrapping folder is the folder's hash")
            #expect(fromZip.contentHash == fromFolder.contentHash)
        }
    }

    @Test(arguments: TestDatabase.all)
    func moduleRowsWrittenThroughSQLReadBackThroughFluentAsWritten(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            var package = CoursePackage(standard: .scorm2004, standardVersion: "2004 4th Edition", identifier: "test.rows",
                                        language: "nl", title: ["nl": "Rijen", "fr": "Lignes"], modules: [])
            var sco = PackageModule(key: "les-1", title: ["nl": "Les één", "fr": "Leçon un"], kind: .sco)
            sco.launch = "les1/index.html?page=1"
            sco.files = ["les1/index.html", "shared/api.js"]
            sco.durationMinutes = 12
            var folder = PackageModule(key: "hoofdstuk", title: ["nl": "Hoofdstuk"], kind: .folder)
            folder.children = [sco]
            package.modules = [folder]
            let expected = CourseVersionWriter.flatten(package.modules)

            let written = try await CourseVersionWriter(database: app.db).write(package, contentHash: "abc", publish: false)
            let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == written.courseID).first())
            let rows = try await CourseModule.query(on: app.db).filter(\.$version.$id == version.requireID()).sort(\.$position).all()

            #expect(rows.count == 2)
            for (row, wanted) in zip(rows, expected) {
                #expect(row.id != nil && row.$version.id == version.id)
                #expect(row.key == wanted.key && row.parentKey == wanted.parentKey && row.position == wanted.position)
                #expect(row.depth == wanted.depth && row.title == wanted.title && row.kind == wanted.kind)
                #expect(row.durationMinutes == wanted.durationMinutes && row.required == wanted.required)
                #expect(row.launch == wanted.launch && row.runtimeJSON == wanted.runtimeJSON)
            }
            #expect(rows[0].parentKey == nil && rows[0].launch == nil && rows[0].durationMinutes == nil && rows[0].runtimeJSON == nil)
            #expect(rows[1].parentKey == "hoofdstuk" && rows[1].title["fr"] == "Leçon un")
            #expect(rows[1].runtime.files == ["les1/index.html", "shared/api.js"])
        }
    }
}
