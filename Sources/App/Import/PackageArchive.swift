import Foundation
import ZIPFoundation

/// An uploaded zip, checked and extracted into a staging folder. Everything that could hurt the server is
/// refused with a `PackageIssue` before a byte is written: names leaving the folder (`../`, absolute paths,
/// drive letters, backslash tricks), symbolic links, names that differ only in letter case, encrypted
/// entries and zip bombs (from the sizes the central directory declares). While extracting, bytes are
/// counted as well, so an entry whose header understates its size is stopped as soon as it overflows.
/// Entries stream to disk; no file is held in memory.
public struct PackageArchive: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Sum of all entries' uncompressed sizes.
        public var maxTotalBytes: Int64
        public var maxEntries: Int
        /// Uncompressed over compressed size, checked for entries larger than `ratioCheckedAbove`.
        public var maxCompressionRatio: Double
        public var ratioCheckedAbove: Int64

        public init(maxTotalBytes: Int64 = 2 << 30, maxEntries: Int = 20_000, maxCompressionRatio: Double = 200,
                    ratioCheckedAbove: Int64 = 1 << 20) {
            self.maxTotalBytes = maxTotalBytes
            self.maxEntries = maxEntries
            self.maxCompressionRatio = maxCompressionRatio
            self.ratioCheckedAbove = ratioCheckedAbove
        }
    }

    /// What was extracted.
    public struct Extraction: Sendable, Equatable {
        /// The files written, relative to the folder, in the zip's order.
        public var files: [String]
        public var byteCount: Int64
        /// Entries left out as `PackageClutter` (`__MACOSX/`, `.DS_Store`, `._x`, `.git/`...).
        public var skipped: [String]
        /// The files with their sizes in path order: what `PackageFiles.list` would find in the folder, known
        /// without listing it again (the archive's checks already refused links and clashing spellings).
        var listing = PackageFiles(files: [])
        /// Small files' bytes, so that the content hash need not read them back.
        var retained = ContentHash.RetainedFiles()
    }

    /// An entry that passed the checks, with the path it will get.
    struct PlannedEntry: Sendable, Equatable {
        var name: ArchiveEntryName
        var nameBytes: [UInt8]
        var declaredSize: Int64
        var skipped: Bool
    }

    public let url: URL
    public var limits: Limits
    /// Used in messages about the archive as a whole ("course.zip").
    public var displayName: String

    public init(url: URL, limits: Limits = Limits(), displayName: String? = nil) {
        self.url = url
        self.limits = limits
        self.displayName = displayName ?? url.lastPathComponent
    }

    /// Reads the central directory and checks every entry; nothing is extracted.
    func plan() throws -> [PlannedEntry] {
        let directory: ZipCentralDirectory
        do {
            directory = try ZipCentralDirectory.read(url, maxEntries: limits.maxEntries)
        } catch let error as ZipCentralDirectory.ReadError {
            switch error {
            case .notZip:
                throw issue("archive.notZip", file: nil, "'\(displayName)' is not a zip file",
                            hint: "Upload the package as a .zip file: a SCORM or cmi5 export, or a course folder compressed as zip")
            case .damaged(let detail):
                throw issue("archive.damaged", file: nil, "'\(displayName)' is a damaged zip file: \(detail)",
                            hint: "Export or compress the package again and upload the new file")
            case .tooManyEntries(let declared):
                throw issue("archive.tooManyEntries", file: nil,
                            "'\(displayName)' holds \(declared) entries; the limit is \(limits.maxEntries)",
                            hint: "Split the course into smaller packages, or remove files the course does not use")
            }
        }

        var planned: [PlannedEntry] = []
        var total: Int64 = 0
        var spellings = PathSpellings()
        for record in directory.records {
            let shown = ArchiveEntryName.decode(record) ?? ArchiveEntryName.codePage437(record.nameBytes)
            let name: ArchiveEntryName
            switch ArchiveEntryName.make(record) {
            case .success(let made): name = made
            case .failure(let problem): throw refusal(problem, entry: shown)
            }
            if record.isSymbolicLink {
                throw issue("archive.entry.symlink", file: shown, "The entry '\(shown)' is a symbolic link; links are not accepted in packages",
                            hint: "Replace the link by the file it points to, then zip the package again")
            }
            if record.isEncrypted {
                throw issue("archive.entry.encrypted", file: shown, "The entry '\(shown)' is encrypted",
                            hint: "Zip the package again without a password")
            }
            guard record.method == 0 || record.method == 8 else {
                throw issue("archive.entry.method", file: shown,
                            "The entry '\(shown)' is compressed with method \(record.method), which the academy cannot read",
                            hint: "Zip the package again with standard (deflate) compression")
            }
            let size = Int64(clamping: record.uncompressedSize)
            total = total.addingReportingOverflow(size).overflow ? .max : total + size
            guard total <= limits.maxTotalBytes else {
                throw issue("archive.tooLarge", file: nil,
                            "'\(displayName)' unpacks to more than \(Self.describe(bytes: limits.maxTotalBytes)) (at '\(shown)')",
                            hint: "Make the package smaller: compress videos, or link to large media instead of including them")
            }
            if size > limits.ratioCheckedAbove {
                let ratio = record.compressedSize == 0 ? Double.infinity : Double(record.uncompressedSize) / Double(record.compressedSize)
                guard ratio <= limits.maxCompressionRatio else {
                    throw issue("archive.entry.ratio", file: shown,
                                "The entry '\(shown)' expands \(ratio.isFinite ? String(Int(ratio)) : "without bound") times (\(Self.describe(bytes: size)) from \(Self.describe(bytes: Int64(clamping: record.compressedSize)))); the limit is \(Int(limits.maxCompressionRatio)) times, so it is treated as a zip bomb",
                                hint: "Remove the entry or store it with ordinary compression")
                }
            }
            let skipped = name.path.isEmpty || name.isJunk
            if !skipped {
                if let conflict = spellings.add(name.path, isFolder: name.isFolder || record.isFolderType) {
                    throw conflictIssue(conflict, entry: shown)
                }
            }
            planned.append(PlannedEntry(name: name, nameBytes: record.nameBytes, declaredSize: size, skipped: skipped))
        }
        return planned
    }

    /// Checks the archive and extracts it into `folder`, which must not exist yet. `progress` gets the bytes
    /// written so far and the total the archive declares. Refusals throw `PackageIssue`.
    public func extract(into folder: URL, progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws -> Extraction {
        let planned = try plan()
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw issue("archive.damaged", file: nil, "'\(displayName)' cannot be opened as a zip file: \(error)",
                        hint: "Export or compress the package again and upload the new file", wording: "archive.damaged.open")
        }
        let entries = Array(archive)
        // Both lists walk the same central directory; Latin-1 maps bytes to characters one to one.
        let sameEntries = entries.count == planned.count && zip(entries, planned).allSatisfy { entry, plan in
            entry.path(using: .isoLatin1).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } == plan.nameBytes
        }
        guard sameEntries else {
            throw issue("archive.damaged", file: nil,
                        "'\(displayName)' lists \(planned.count) entries but \(entries.count) can be read, or not the same ones",
                        hint: "Export or compress the package again and upload the new file", wording: "archive.damaged.entries")
        }

        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        do {
            return try extract(planned, from: archive, entries: entries, into: folder, progress: progress)
        } catch {
            // A refusal half-way (a lying size, a bad checksum) leaves nothing behind.
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    private func extract(_ planned: [PlannedEntry], from archive: Archive, entries: [Entry], into folder: URL,
                         progress: (@Sendable (Int64, Int64) -> Void)?) throws -> Extraction {
        let declaredTotal = planned.filter { !$0.skipped }.reduce(Int64(0)) { $0 + $1.declaredSize }
        var written: Int64 = 0
        var files: [String] = []
        var listing: [PackageFiles.File] = []
        var skipped: [String] = []
        var retained = ContentHash.RetainedFiles()
        // Folders made so far: thousands of files share a few folders, and asking the file system each time costs.
        var folders = FolderMaker(root: folder.path)
        for (plan, entry) in zip(planned, entries) {
            let shown = plan.name.original
            if plan.skipped {
                if !plan.name.path.isEmpty { skipped.append(plan.name.path) }
                continue
            }
            let path = plan.name.path
            if plan.name.isFolder || entry.type == .directory {
                try folders.make(path)
                continue
            }
            if let slash = path.lastIndex(of: "/") { try folders.make(String(path[..<slash])) }
            let target = folder.path + "/" + path
            let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
            guard descriptor >= 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target,
                                                               NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
            }
            let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            var entryBytes: Int64 = 0
            let limits = self.limits
            let writtenBefore = written
            var kept: Data? = retained.accepts(size: plan.declaredSize) ? Data(capacity: Int(plan.declaredSize)) : nil
            let checksum: ZIPFoundation.CRC32
            do {
                checksum = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { chunk in
                    entryBytes += Int64(chunk.count)
                    if entryBytes > plan.declaredSize { throw Overflow.entry }
                    if writtenBefore + entryBytes > limits.maxTotalBytes { throw Overflow.total }
                    do {
                        try output.write(contentsOf: chunk)
                    } catch {
                        throw WriteFailure(underlying: error)
                    }
                    kept?.append(chunk)
                    if entryBytes % (4 << 20) < Int64(chunk.count) { progress?(writtenBefore + entryBytes, declaredTotal) }
                }
                try output.close()
            } catch Overflow.entry {
                throw issue("archive.entry.sizeMismatch", file: shown,
                            "The entry '\(shown)' holds more data than the \(plan.declaredSize) bytes its header declares",
                            hint: "The zip file is damaged or forged; export or compress the package again")
            } catch Overflow.total {
                throw issue("archive.tooLarge", file: nil,
                            "'\(displayName)' unpacks to more than \(Self.describe(bytes: limits.maxTotalBytes)) (at '\(shown)')",
                            hint: "Make the package smaller: compress videos, or link to large media instead of including them")
            } catch let failure as WriteFailure {
                // The server's disk, not the package: a failure, not a refusal.
                throw failure.underlying
            } catch {
                throw issue("archive.entry.corrupt", file: shown, "The entry '\(shown)' cannot be unpacked: \(error)",
                            hint: "The zip file is damaged; export or compress the package again")
            }
            guard entryBytes == plan.declaredSize else {
                throw issue("archive.entry.sizeMismatch", file: shown,
                            "The entry '\(shown)' holds \(entryBytes) bytes but its header declares \(plan.declaredSize)",
                            hint: "The zip file is damaged; export or compress the package again", wording: "archive.entry.sizeMismatch.count")
            }
            guard checksum == entry.checksum else {
                throw issue("archive.entry.corrupt", file: shown, "The entry '\(shown)' fails its checksum",
                            hint: "The zip file is damaged; export or compress the package again", wording: "archive.entry.corrupt.checksum")
            }
            written += entryBytes
            files.append(plan.name.path)
            listing.append(PackageFiles.File(path: plan.name.path, size: entryBytes))
            if let kept { retained.keep(kept, at: plan.name.path) }
            progress?(written, declaredTotal)
        }
        listing.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return Extraction(files: files, byteCount: written, skipped: skipped, listing: PackageFiles(files: listing),
                          retained: retained)
    }

    /// Makes folders under `root` (by package-relative path), each once.
    private struct FolderMaker {
        let root: String
        var made: Set<String> = [""]

        mutating func make(_ path: String) throws {
            guard !made.contains(path) else { return }
            try FileManager.default.createDirectory(atPath: root + "/" + path, withIntermediateDirectories: true)
            var folder = Substring(path)
            while !folder.isEmpty, made.insert(String(folder)).inserted, let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
            }
        }
    }

    private struct WriteFailure: Error {
        let underlying: any Error
    }

    private enum Overflow: Error {
        case entry
        case total
    }

    private func issue(_ code: String, file: String?, _ message: IssueText, hint: IssueText, wording: String? = nil) -> PackageIssue {
        PackageIssue(.error, code: code, file: file, text: message, hint: hint, wording: wording)
    }

    private func refusal(_ problem: ArchiveEntryName.Problem, entry: String) -> PackageIssue {
        let outsideHint: IssueText = "Zip the course folder's contents again with an ordinary zip tool; entries must be relative paths inside the package"
        switch problem {
        case .absolute:
            return issue("archive.entry.outside", file: entry, "The entry '\(entry)' is an absolute path, which would be written outside the package", hint: outsideHint)
        case .driveLetter:
            return issue("archive.entry.outside", file: entry, "The entry '\(entry)' starts with a drive letter, which would be written outside the package", hint: outsideHint,
                         wording: "archive.entry.outside.drive")
        case .parentSegment:
            return issue("archive.entry.outside", file: entry, "The entry '\(entry)' contains '..', which would be written outside the package", hint: outsideHint,
                         wording: "archive.entry.outside.parent")
        case .controlCharacter:
            return issue("archive.entry.name", file: entry, "The entry name '\(entry.debugDescription.dropFirst().dropLast())' contains control characters",
                         hint: "Rename the file to use letters, digits, spaces, '-', '_' and '.' only")
        case .segmentTooLong(let start):
            return issue("archive.entry.name", file: entry, "The entry '\(entry)' has a name part longer than 255 bytes ('\(start)...')",
                         hint: "Shorten the file or folder name", wording: "archive.entry.name.long")
        case .invalidUTF8:
            return issue("archive.entry.name", file: entry, "The entry name '\(entry)' is marked as UTF-8 but is not valid UTF-8",
                         hint: "Zip the package again with a current zip tool", wording: "archive.entry.name.utf8")
        }
    }

    private func conflictIssue(_ conflict: PathSpellings.Conflict, entry: String) -> PackageIssue {
        switch conflict {
        case .differentCase(let first, let second):
            return issue("archive.entry.caseCollision", file: entry,
                         "The names '\(first)' and '\(second)' differ only in letter case (or in how accented letters are encoded); they would be one file on some systems and two on others",
                         hint: "Rename or remove one of them")
        case .duplicate(let path):
            return issue("archive.entry.duplicate", file: entry, "The entry '\(path)' appears twice in the zip",
                         hint: "Zip the package again so that each file appears once")
        case .fileAndFolder(let path):
            return issue("archive.entry.fileAndFolder", file: entry, "'\(path)' is both a file and a folder in the zip",
                         hint: "Rename the file or the folder")
        }
    }

    /// "2 GiB", "1.5 MiB", "300 bytes".
    static func describe(bytes: Int64) -> String {
        let units: [(Int64, String)] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where bytes >= size {
            let value = Double(bytes) / Double(size)
            let text = value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
            return "\(text) \(unit)"
        }
        return "\(bytes) bytes"
    }
}

private extension ZipCentralDirectory.Record {
    /// MS-DOS directory attribute or a Unix directory mode.
    var isFolderType: Bool {
        unixFileType == 0o040000 || (versionMadeBy >> 8 == 0 && externalAttributes & 0x10 != 0)
    }
}

/// Every path of a package and the folders it implies, compared without letter case (and without Unicode
/// normalisation differences), so that names differing only in case, duplicates and file/folder clashes are found.
struct PathSpellings {
    enum Conflict: Equatable {
        case differentCase(String, String)
        case duplicate(String)
        case fileAndFolder(String)
    }

    private var spelled: [String: (spelling: String, isFolder: Bool)] = [:]

    static func key(_ path: String) -> String {
        path.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// Records `path` (and its parent folders); returns the first conflict with what was recorded before.
    mutating func add(_ path: String, isFolder: Bool) -> Conflict? {
        let segments = path.split(separator: "/")
        for index in segments.indices {
            let prefix = segments[...index].joined(separator: "/")
            let folder = index < segments.count - 1 || isFolder
            let key = Self.key(prefix)
            if let known = spelled[key] {
                if !known.spelling.unicodeScalars.elementsEqual(prefix.unicodeScalars) {
                    return .differentCase(known.spelling, prefix)
                }
                if known.isFolder != folder { return .fileAndFolder(prefix) }
                if !folder { return .duplicate(prefix) }
            } else {
                spelled[key] = (prefix, folder)
            }
        }
        return nil
    }
}
