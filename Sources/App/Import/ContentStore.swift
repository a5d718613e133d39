import Foundation

/// Where the files of imported course versions live. The file system store is the first; shared or object
/// storage can take its place behind this protocol.
protocol ContentStore: Sendable {
    /// Stores `files` (paths relative to `source`) as the content of version `version` of a course, all at
    /// once: readers see the old state or the complete new one. Whatever an earlier, unfinished attempt left
    /// for that version is replaced. `sourceIsPrivate` says the source files belong to this import alone and
    /// will not change (a staging folder), so the store may hard-link them instead of copying; never for an
    /// operator's folder, whose later edits would otherwise change stored content.
    func store(_ files: [String], from source: URL, courseID: UUID, version: Int, sourceIsPrivate: Bool) async throws

    /// Removes a version's files; nothing happens when there are none.
    func remove(courseID: UUID, version: Int) async throws

    /// Whether the version's files are stored.
    func contains(courseID: UUID, version: Int) async throws -> Bool

    /// Where one stored file can be read, for serving it. `path` is relative to the version's root and
    /// already checked to stay inside it.
    func locate(courseID: UUID, version: Int, path: String) async throws -> ContentLocation
}

enum ContentLocation: Sendable, Equatable {
    /// A local file the server streams itself.
    case file(URL)
    case missing
}

/// Rejects what must never reach a store as a content path: empty, ".", ".." or separator-bearing segments.
enum ContentPath {
    static func isSafe(_ segments: [String]) -> Bool {
        !segments.isEmpty && segments.allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".." && !segment.contains("/") && !segment.contains("\\")
                && !segment.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        }
    }
}
