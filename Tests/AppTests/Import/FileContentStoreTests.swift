@testable import App
import Foundation
import Testing

@Suite struct FileContentStoreTests {
    private func source(_ files: [String: String]) throws -> URL {
        let folder = TestZip.temporaryURL("")
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    @Test func aVersionIsStoredUnderCourseAndNumberAndRemovedAgain() async throws {
        let store = FileContentStore(root: TestZip.temporaryURL(""))
        let course = UUID()
        let from = try source(["index.html": "hallo", "pages/a.html": "a"])

        try await store.store(["index.html", "pages/a.html"], from: from, courseID: course, version: 1, sourceIsPrivate: false)
        let folder = store.folder(courseID: course, version: 1)
        let stored = try String(contentsOf: folder.appendingPathComponent("pages/a.html"), encoding: .utf8)
        let located = try await store.locate(courseID: course, version: 1, path: "pages/a.html")
        let contained = try await store.contains(courseID: course, version: 1)
        try await store.remove(courseID: course, version: 1)
        let afterRemoval = try await store.contains(courseID: course, version: 1)

        #expect(folder.path.hasSuffix("/\(course.uuidString.lowercased())/1"))
        #expect(stored == "a")
        #expect(located == .file(folder.appendingPathComponent("pages/a.html")))
        #expect(contained && !afterRemoval)
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.appendingPathComponent(".incoming").path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: from.appendingPathComponent("index.html").path), "the source is copied, not moved")
    }

    @Test func storingAgainReplacesWhatAnUnfinishedAttemptLeft() async throws {
        let store = FileContentStore(root: TestZip.temporaryURL(""))
        let course = UUID()
        try await store.store(["old.html"], from: try source(["old.html": "old"]), courseID: course, version: 2, sourceIsPrivate: true)

        try await store.store(["new.html"], from: try source(["new.html": "new"]), courseID: course, version: 2, sourceIsPrivate: true)

        #expect(try await store.locate(courseID: course, version: 2, path: "old.html") == .missing)
        #expect(try await store.locate(courseID: course, version: 2, path: "new.html") != .missing)
    }

    @Test func aFailedStoreLeavesNothing() async throws {
        let store = FileContentStore(root: TestZip.temporaryURL(""))
        let course = UUID()
        let from = try source(["a.html": "a"])

        await #expect(throws: (any Error).self) {
            try await store.store(["a.html", "missing.html"], from: from, courseID: course, version: 1, sourceIsPrivate: false)
        }
        #expect(try await !store.contains(courseID: course, version: 1))
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.appendingPathComponent(".incoming").path).isEmpty)
    }

    @Test(arguments: ["../secret.txt", "pages/../../secret.txt", "/etc/passwd", "", "pages//a.html", "pages\\..\\..\\secret.txt"])
    func pathsOutsideTheVersionAreNotFound(path: String) async throws {
        let root = TestZip.temporaryURL("")
        let store = FileContentStore(root: root)
        let course = UUID()
        try await store.store(["pages/a.html"], from: try source(["pages/a.html": "a"]), courseID: course, version: 1, sourceIsPrivate: false)
        try Data("secret".utf8).write(to: root.appendingPathComponent("\(course.uuidString.lowercased())/secret.txt"))

        #expect(try await store.locate(courseID: course, version: 1, path: path) == .missing)
    }

    @Test func aReferenceInAnotherLetterCaseFindsTheFile() async throws {
        let store = FileContentStore(root: TestZip.temporaryURL(""))
        let course = UUID()
        try await store.store(["content/notes.html"], from: try source(["content/notes.html": "n"]), courseID: course, version: 1, sourceIsPrivate: false)

        let located = try await store.locate(courseID: course, version: 1, path: "Content/Notes.HTML")

        #expect(located == .file(store.folder(courseID: course, version: 1).appendingPathComponent("content/notes.html")))
    }

    @Test func aFolderIsNotAFile() async throws {
        let store = FileContentStore(root: TestZip.temporaryURL(""))
        let course = UUID()
        try await store.store(["pages/a.html"], from: try source(["pages/a.html": "a"]), courseID: course, version: 1, sourceIsPrivate: false)

        #expect(try await store.locate(courseID: course, version: 1, path: "pages") == .missing)
    }
}
