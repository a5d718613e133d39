import Foundation

/// Keeps each version's files under `<root>/<course-id>/<version-number>/`, `root` being
/// `<dataDirectory>/content`. A version is written into `<root>/.incoming/<uuid>/` first and renamed into
/// place, so a crash leaves either nothing or a complete folder; removal renames the folder away before
/// deleting it, for the same reason.
struct FileContentStore: ContentStore {
    let root: URL

    init(root: URL) {
        self.root = root.standardizedFileURL
    }

    init(dataDirectory: String) {
        self.init(root: URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("content", isDirectory: true))
    }

    func folder(courseID: UUID, version: Int) -> URL {
        root.appendingPathComponent(courseID.uuidString.lowercased(), isDirectory: true)
            .appendingPathComponent(String(version), isDirectory: true)
    }

    func store(_ files: [String], from source: URL, courseID: UUID, version: Int, sourceIsPrivate: Bool) async throws {
        let destination = folder(courseID: courseID, version: version)
        let root = self.root
        try await BlockingWork.run {
            let manager = FileManager.default
            let incoming = root.appendingPathComponent(".incoming/\(UUID().uuidString)", isDirectory: true)
            try manager.createDirectory(at: incoming, withIntermediateDirectories: true)
            do {
                // Folders made so far: thousands of files share a few folders.
                var folders: Set<Substring> = [""]
                for path in files {
                    guard ContentPath.isSafe(path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)) else {
                        throw CocoaError(.fileWriteInvalidFileName, userInfo: [NSFilePathErrorKey: path])
                    }
                    let from = source.path + "/" + path
                    let to = incoming.path + "/" + path
                    let folder = path.lastIndex(of: "/").map { path[..<$0] } ?? ""
                    if folders.insert(folder).inserted {
                        try manager.createDirectory(atPath: incoming.path + "/" + folder, withIntermediateDirectories: true)
                    }
                    // A link costs nothing and leaves the staged file in place for a retry.
                    if sourceIsPrivate, link(from, to) == 0 { continue }
                    try Self.copy(URL(fileURLWithPath: from), to: URL(fileURLWithPath: to))
                }
                try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Self.replace(destination, with: incoming, root: root)
            } catch {
                try? manager.removeItem(at: incoming)
                throw error
            }
        }
    }

    func remove(courseID: UUID, version: Int) async throws {
        let destination = folder(courseID: courseID, version: version)
        let root = self.root
        try await BlockingWork.run {
            try Self.discard(destination, root: root)
        }
    }

    func contains(courseID: UUID, version: Int) async throws -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder(courseID: courseID, version: version).path, isDirectory: &isFolder)
            && isFolder.boolValue
    }

    /// A reference differing from the file name in letter case only is served anyway, as the import's
    /// reference check promises (names differing only in case are refused at import, so the match is unique).
    func locate(courseID: UUID, version: Int, path: String) async throws -> ContentLocation {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard ContentPath.isSafe(segments) else { return .missing }
        let base = folder(courseID: courseID, version: version)
        let manager = FileManager.default
        var file = base
        for segment in segments {
            var candidate = file.appendingPathComponent(segment)
            if !manager.fileExists(atPath: candidate.path) {
                let key = PathSpellings.key(segment)
                guard let actual = try? manager.contentsOfDirectory(atPath: file.path).first(where: { PathSpellings.key($0) == key }) else {
                    return .missing
                }
                candidate = file.appendingPathComponent(actual)
            }
            file = candidate
        }
        file = file.standardizedFileURL
        guard file.path.hasPrefix(base.path.hasSuffix("/") ? base.path : base.path + "/") else { return .missing }
        guard let attributes = try? manager.attributesOfItem(atPath: file.path),
              attributes[.type] as? FileAttributeType == .typeRegular else {
            return .missing
        }
        return .file(file)
    }

    /// Puts `incoming` at `destination`, moving an existing folder away first. Two writers of the same
    /// version race only when repairing identical content, so whichever rename lands last wins harmlessly.
    private static func replace(_ destination: URL, with incoming: URL, root: URL) throws {
        for _ in 0..<5 {
            if rename(incoming.path, destination.path) == 0 { return }
            let failure = errno
            guard failure == ENOTEMPTY || failure == EEXIST || failure == EISDIR || failure == ENOTDIR else {
                throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
            }
            try discard(destination, root: root)
        }
        throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: destination.path])
    }

    private static func discard(_ folder: URL, root: URL) throws {
        let removed = root.appendingPathComponent(".removed/\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: removed.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard rename(folder.path, removed.path) == 0 else {
            if errno == ENOENT { return }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        try FileManager.default.removeItem(at: removed)
    }

    /// Copies in chunks with ordinary permissions (never the source's, which may be odd).
    private static func copy(_ source: URL, to target: URL) throws {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        let descriptor = open(target.path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
        }
        try output.close()
    }
}
