import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers

/// Turns a course package (a zip or a folder) into a stored course version:
/// stage (unzip safely) → find and parse the manifest → check its references against the files present →
/// refuse with the full report on any error → in a dry run, say what would happen → otherwise hash the
/// content, write the version through `CourseVersionWriter` and store the files inside that transaction.
///
/// Imports are idempotent: identical content returns the existing version. Two imports of the same package
/// at once yield one version: the loser of the race fails on a unique constraint (course identifier, or
/// course and version number), re-reads and finds the winner's version by its content hash.
struct PackageImporter: Sendable {
    struct Options: Sendable {
        var dryRun = false
        /// Make the new (or identical) version the course's current one. Without it the version is a draft
        /// and a course's published version stays current.
        var publish = false
        /// How messages name the input ("course.zip"); defaults to its file name.
        var displayName: String?
        var progress: (@Sendable (ImportProgress) -> Void)?
        /// Who imports: owner of a course the package creates, refused a new version of a course they do not
        /// own (unless admin). Nil: the command line without `--owner`, which may do anything and owns nothing.
        var publisher: PackagePublisher?

        init(dryRun: Bool = false, publish: Bool = false, displayName: String? = nil,
             progress: (@Sendable (ImportProgress) -> Void)? = nil, publisher: PackagePublisher? = nil) {
            self.dryRun = dryRun
            self.publish = publish
            self.displayName = displayName
            self.progress = progress
            self.publisher = publisher
        }
    }

    let database: any Database
    let store: any ContentStore
    var limits: PackageArchive.Limits
    /// Zips are unpacked into a fresh folder under here, removed afterwards. Best on the same file system as
    /// the content store, which can then link the files instead of copying them.
    var stagingDirectory: URL
    var parser = PackageManifestParser()
    /// Attempts when concurrent imports collide on a unique constraint.
    var maxAttempts = 5

    init(database: any Database, store: any ContentStore, limits: PackageArchive.Limits = .init(),
         stagingDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("academy-staging", isDirectory: true)) {
        self.database = database
        self.store = store
        self.limits = limits
        self.stagingDirectory = stagingDirectory
    }

    /// Imports the zip file or folder at `url`. Refusals are outcomes (status `.refused`, the report says
    /// why); thrown errors are failures of the server itself (database, disk).
    func importPackage(at url: URL, options: Options = Options()) async throws -> ImportOutcome {
        let displayName = options.displayName ?? url.lastPathComponent
        let progress = options.progress
        var report = PackageReport()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            report.issues.append(PackageIssue(.error, code: "package.notFound", file: nil,
                                              text: "'\(url.path)' does not exist",
                                              hint: "Give the path of a package zip or of a course folder"))
            return .refused(report)
        }

        var staging: URL?
        defer {
            if let staging { try? FileManager.default.removeItem(at: staging) }
        }
        do {
            let packageFolder: URL
            // A zip's files are known from unpacking it, and its small files' bytes are kept for the hash; a folder
            // is listed (and every file read for the hash).
            var unpacked: PackageArchive.Extraction?
            if isFolder.boolValue {
                packageFolder = url
            } else {
                try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: true)
                let folder = stagingDirectory.appendingPathComponent(UUID().uuidString, isDirectory: true)
                staging = folder
                packageFolder = folder
                let archive = PackageArchive(url: url, limits: limits, displayName: displayName)
                let extraction = try await BlockingWork.run {
                    try archive.extract(into: folder) { done, total in progress?(.unpacking(bytes: done, of: total)) }
                }
                unpacked = extraction
                if !extraction.skipped.isEmpty {
                    let listed = extraction.skipped.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
                    report.warning("archive.clutter", file: nil,
                                   "\(extraction.skipped.count) entries left by the operating system or version control (\(listed)) were left out",
                                   hint: "Nothing to do; such files are never part of a course")
                }
            }

            progress?(.checking)
            let allFiles = try unpacked?.listing ?? PackageFiles.list(root: packageFolder)
            guard let parsed = parser.parse(folder: packageFolder, report: &report), !report.hasErrors else {
                return .refused(report)
            }
            let root = packageFolder.appendingPathComponent(parsed.location.root, isDirectory: true)
            let files = allFiles.files.compactMap { file -> PackageFiles.File? in
                guard file.path.hasPrefix(parsed.location.root) else { return nil }
                return PackageFiles.File(path: String(file.path.dropFirst(parsed.location.root.count)), size: file.size)
            }
            // course.xml's own parser has checked its files against the folder already.
            if parsed.package.standard != .academy {
                PackageReferenceCheck(presentPaths: files.map(\.path)).check(parsed.package, file: parsed.location.path, report: &report)
            }
            guard !report.hasErrors else { return .refused(report) }
            if let publisher = options.publisher,
               let refusal = try await publisher.refusal(packageIdentifier: parsed.package.identifier,
                                                         file: parsed.location.path, on: database) {
                report.issues.append(refusal)
                return .refused(report)
            }

            let byteCount = files.reduce(Int64(0)) { $0 + $1.size }
            let paths = files.map(\.path)
            let retained = unpacked?.retained
            let hash = try await BlockingWork.run {
                try ContentHash.compute(root: root, files: paths, retained: retained, retainedPrefix: parsed.location.root) { done in
                    progress?(.hashing(bytes: done, of: byteCount))
                }
            }
            var outcome = ImportOutcome(status: .dryRun, report: report, package: parsed.package, contentHash: hash,
                                        fileCount: files.count, byteCount: byteCount)
            if options.dryRun {
                outcome.plan = try await plan(for: parsed.package, contentHash: hash)
                outcome.slug = outcome.plan?.slug
                outcome.versionNumber = outcome.plan?.number
                if case .identical = outcome.plan {
                    outcome.published = try await isCurrent(identifier: parsed.package.identifier, number: outcome.versionNumber)
                }
                return outcome
            }
            progress?(.storing(files: files.count))
            return try await write(parsed.package, contentHash: hash, files: paths, root: root,
                                   sourceIsPrivate: !isFolder.boolValue, publish: options.publish,
                                   publisher: options.publisher, manifestPath: parsed.location.path, outcome: outcome)
        } catch let issue as PackageIssue {
            report.issues.append(issue)
            return .refused(report)
        }
    }

    /// What importing would do, read without writing.
    func plan(for package: CoursePackage, contentHash: String) async throws -> ImportOutcome.Plan {
        guard let course = try await Course.query(on: database).filter(\.$packageIdentifier == package.identifier).first(),
              let courseID = course.id else {
            return .newCourse(slug: try await CourseVersionWriter.freeSlug(for: package, on: database))
        }
        if let same = try await CourseVersion.query(on: database).filter(\.$course.$id == courseID)
            .filter(\.$contentHash == contentHash).first() {
            return .identical(slug: course.slug, number: same.number)
        }
        let last = try await CourseVersion.query(on: database).filter(\.$course.$id == courseID)
            .sort(\.$number, .descending).first()?.number ?? 0
        return .newVersion(slug: course.slug, number: last + 1)
    }

    private func isCurrent(identifier: String, number: Int?) async throws -> Bool {
        guard let course = try await Course.query(on: database).filter(\.$packageIdentifier == identifier)
            .with(\.$currentVersion).first() else { return false }
        return course.status == .published && course.currentVersion?.number == number
    }

    private func write(_ package: CoursePackage, contentHash: String, files: [String], root: URL, sourceIsPrivate: Bool,
                       publish: Bool, publisher: PackagePublisher?, manifestPath: String,
                       outcome: ImportOutcome) async throws -> ImportOutcome {
        // One writer per package in this process; other processes meet the database's locks.
        try await ProcessLocks.writes.withLock("import:\(package.identifier)") {
            try await self.writeOnce(package, contentHash: contentHash, files: files, root: root, sourceIsPrivate: sourceIsPrivate,
                                     publish: publish, publisher: publisher, manifestPath: manifestPath, outcome: outcome)
        }
    }

    private func writeOnce(_ package: CoursePackage, contentHash: String, files: [String], root: URL, sourceIsPrivate: Bool,
                           publish: Bool, publisher: PackagePublisher?, manifestPath: String,
                           outcome: ImportOutcome) async throws -> ImportOutcome {
        let store = self.store
        var attempt = 0
        while true {
            attempt += 1
            let stored = NIOLockedValueBox<(UUID, Int)?>(nil)
            do {
                let written = try await database.transaction { db in
                    // Again inside the transaction: another trainer's import may have made the course meanwhile.
                    if let publisher, let refusal = try await publisher.refusal(packageIdentifier: package.identifier,
                                                                                file: manifestPath, on: db) {
                        throw refusal
                    }
                    let written = try await CourseVersionWriter(database: db).write(package, contentHash: contentHash, publish: publish,
                                                                                    importedBy: publisher?.userID)
                    if written.courseCreated, let publisher {
                        try await CourseOwnership(database: db).addOwner(courseID: written.courseID, userID: publisher.userID)
                    }
                    if written.created {
                        // Still inside the transaction: if storing fails, the rows roll back too.
                        do {
                            try await store.store(files, from: root, courseID: written.courseID, version: written.versionNumber,
                                                  sourceIsPrivate: sourceIsPrivate)
                        } catch {
                            try? await store.remove(courseID: written.courseID, version: written.versionNumber)
                            throw error
                        }
                        stored.withLockedValue { $0 = (written.courseID, written.versionNumber) }
                    }
                    return written
                }
                // An identical version whose files are absent (loaded before the content store existed, or
                // removed after a lost commit acknowledgement) gets them now.
                if !written.created {
                    let present = try await store.contains(courseID: written.courseID, version: written.versionNumber)
                    if !present {
                        try await store.store(files, from: root, courseID: written.courseID, version: written.versionNumber,
                                              sourceIsPrivate: sourceIsPrivate)
                    }
                }
                var result = outcome
                result.status = written.created ? .created : .unchanged
                result.courseID = written.courseID
                result.slug = written.slug
                result.versionNumber = written.versionNumber
                result.plan = written.created
                    ? (written.versionNumber == 1 ? .newCourse(slug: written.slug) : .newVersion(slug: written.slug, number: written.versionNumber))
                    : .identical(slug: written.slug, number: written.versionNumber)
                result.published = try await isCurrent(identifier: package.identifier, number: written.versionNumber)
                return result
            } catch {
                if let written = stored.withLockedValue({ $0 }) {
                    // The commit failed after the files were stored.
                    try? await store.remove(courseID: written.0, version: written.1)
                }
                guard attempt < maxAttempts, Self.isLostRace(error) else { throw error }
                try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...50_000_000) * UInt64(attempt))
            }
        }
    }

    /// A unique constraint broken by a concurrent import, or SQLite's writer lock taken by one.
    static func isLostRace(_ error: any Error) -> Bool {
        if let error = error as? any DatabaseError, error.isConstraintFailure { return true }
        if let error = error as? SQLiteError {
            switch error.reason {
            case .busy, .locked, .busyInSnapshot, .busyTimeout, .busyInRecovery: return true
            default: return false
            }
        }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            return state == "40001" || state == "40P01"
        }
        return false
    }
}

/// Where an import stands, for a progress display.
enum ImportProgress: Sendable, Equatable {
    case unpacking(bytes: Int64, of: Int64)
    case checking
    case hashing(bytes: Int64, of: Int64)
    case storing(files: Int)
}

/// What an import did, or in a dry run would do, with the full report.
struct ImportOutcome: Sendable {
    enum Status: String, Sendable, Equatable {
        /// The package has errors; nothing was written.
        case refused
        /// Checked only; `plan` says what importing would do.
        case dryRun = "dry-run"
        /// A new version (of a new or existing course) was stored.
        case created
        /// The same content was stored already; nothing changed (apart from publishing, if asked).
        case unchanged
    }

    enum Plan: Sendable, Equatable {
        case newCourse(slug: String)
        case newVersion(slug: String, number: Int)
        case identical(slug: String, number: Int)

        var slug: String {
            switch self {
            case .newCourse(let slug), .newVersion(let slug, _), .identical(let slug, _): slug
            }
        }

        var number: Int {
            switch self {
            case .newCourse: 1
            case .newVersion(_, let number), .identical(_, let number): number
            }
        }
    }

    var status: Status
    var report: PackageReport
    var plan: Plan?
    var package: CoursePackage?
    var courseID: UUID?
    var slug: String?
    var versionNumber: Int?
    /// Whether the version is the course's current published one.
    var published = false
    var contentHash: String?
    var fileCount = 0
    var byteCount: Int64 = 0

    static func refused(_ report: PackageReport) -> ImportOutcome {
        ImportOutcome(status: .refused, report: report)
    }
}
