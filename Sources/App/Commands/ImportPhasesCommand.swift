import Fluent
import Foundation
import Vapor
import ZIPFoundation

/// `academy import-benchmark phases`: where an import's time goes, measured in one process on the generated
/// benchmark package (benchmarks/import.sh). Each repetition generates and zips a fresh package, then times every
/// step the importer takes, separately, against a bare XMLParser(stream:) pass over the same manifest in the same
/// process. Ratios to that pass are what compare across debug and release builds and across machines; absolute
/// times do not. The database step runs in a transaction that is rolled back, so nothing stays behind unless
/// `--with-import` also runs whole imports (each with its own identifier, published).
struct ImportPhasesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "chapters", help: "Folders of items (default 50)")
        var chapters: Int?
        @Option(name: "items-per-chapter", help: "Items per folder (default 100)")
        var itemsPerChapter: Int?
        @Option(name: "repeat", help: "Repetitions; the table gives the fastest and the median (default 3)")
        var repetitions: Int?
        @Option(name: "work", help: "Folder for the generated packages and the content store (default: a temporary one, removed)")
        var work: String?
        @Flag(name: "with-import", help: "Also time whole in-process imports (zip to published course), which stay in the database")
        var withImport: Bool
    }

    var help: String { "Times each step of an import of the generated package against a bare XML parse, in one process" }

    func run(using context: CommandContext, signature: Signature) async throws {
        var package = BenchmarkPackage()
        package.chapters = signature.chapters ?? package.chapters
        package.itemsPerChapter = signature.itemsPerChapter ?? package.itemsPerChapter
        let repetitions = max(1, signature.repetitions ?? 3)
        let manager = FileManager.default
        let ownWork = signature.work == nil
        let work = signature.work.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? manager.temporaryDirectory.appendingPathComponent("academy-import-phases-\(UUID().uuidString)", isDirectory: true)
        try manager.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if ownWork { try? manager.removeItem(at: work) } }

        var timings = ImportPhaseTimings()
        var manifestBytes = 0
        let run = String(UUID().uuidString.prefix(8)).lowercased()
        for repetition in 1...repetitions {
            package.identifier = "benchmark.phases.\(run).\(repetition)"
            let round = work.appendingPathComponent("round-\(repetition)", isDirectory: true)
            defer { try? manager.removeItem(at: round) }
            let source = round.appendingPathComponent("package", isDirectory: true)
            let zip = round.appendingPathComponent("package.zip")
            manifestBytes = try package.write(to: source)
            try manager.zipItem(at: source, to: zip, shouldKeepParent: false)
            try await measure(package: source, zip: zip, round: round, into: &timings,
                              app: context.application, withImport: signature.withImport)
        }
        let database = switch context.application.academySettings.database {
        case .postgres: "PostgreSQL"
        case .sqlite, .sqliteInMemory: "SQLite"
        }
        context.console.print("\(package.items) items and resources, manifest \(manifestBytes) bytes, \(repetitions) repetitions, \(Self.buildKind) build, \(database)")
        for line in timings.table() { context.console.print(line) }
    }

    private func measure(package source: URL, zip: URL, round: URL, into timings: inout ImportPhaseTimings,
                         app: Application, withImport: Bool) async throws {
        let manifest = source.appendingPathComponent("imsmanifest.xml")
        try timings.time("bare XMLParser(stream:) pass", baseline: true) {
            guard BareXMLPass.run(file: manifest) != nil else { throw CommandFailure("the generated manifest did not parse") }
        }
        let tree = try timings.time("ManifestXMLReader tree") { try ManifestXMLReader().read(contentsOf: manifest) }
        _ = try timings.time("IMS model from the tree") {
            var report = PackageReport()
            guard IMSManifestParser().parse(tree, report: &report) != nil else { throw CommandFailure("\(report.errors)") }
        }
        let parsed = try timings.time("whole manifest parse (find, read, tree, model)", inImport: true) {
            var report = PackageReport()
            guard let parsed = PackageManifestParser().parse(folder: source, report: &report) else {
                throw CommandFailure("\(report.errors)")
            }
            return parsed
        }

        let staged = round.appendingPathComponent("staged", isDirectory: true)
        let extraction = try timings.time("unzip (checked, to staging)", inImport: true) {
            try PackageArchive(url: zip).extract(into: staged)
        }
        // A folder import lists the folder; a zip import knows its files from unpacking.
        let listed = try timings.time("list the files (folder imports only)") { try PackageFiles.list(root: staged) }
        guard listed == extraction.listing else { throw CommandFailure("unpacking and listing found different files") }
        try timings.time("reference check", inImport: true) {
            var report = PackageReport()
            PackageReferenceCheck(presentPaths: listed.paths).check(parsed.package, file: parsed.location.path, report: &report)
            guard !report.hasErrors else { throw CommandFailure("\(report.errors)") }
        }
        let paths = listed.paths
        let reread = try timings.time("content hash, every file read (folder imports)") {
            try ContentHash.compute(root: staged, files: paths)
        }
        let hash = try timings.time("content hash, small files kept from unzipping", inImport: true) {
            try ContentHash.compute(root: staged, files: paths, retained: extraction.retained)
        }
        guard hash == reread else { throw CommandFailure("the hash of the kept files differs from the one read back") }

        let store = FileContentStore(root: round.appendingPathComponent("content", isDirectory: true))
        try await timings.timeAwaiting("store the files (links)", inImport: true) {
            try await store.store(paths, from: staged, courseID: UUID(), version: 1, sourceIsPrivate: true)
        }
        let database = app.db
        try await timings.timeAwaiting("database write (rolled back)", inImport: true) {
            do {
                try await database.transaction { db in
                    _ = try await CourseVersionWriter(database: db).write(parsed.package, contentHash: hash, publish: true)
                    throw RolledBack()
                }
            } catch is RolledBack {}
        }
        if withImport {
            try await timings.timeAwaiting("whole import in process (zip to published course)", wholeImport: true) {
                let outcome = try await app.importPackage(at: zip, options: .init(publish: true))
                guard outcome.status == .created else { throw CommandFailure("the import did not create a version: \(outcome.report.errors)") }
            }
        }
    }

    private struct RolledBack: Error {}

    static var buildKind: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }
}

/// The times of the import's steps over several repetitions, and the table that compares them with the bare parse.
struct ImportPhaseTimings {
    struct Phase {
        var name: String
        var seconds: [Double] = []
        var baseline = false
        var inImport = false
        var wholeImport = false
    }

    private(set) var phases: [Phase] = []

    @discardableResult
    mutating func time<T>(_ name: String, baseline: Bool = false, inImport: Bool = false, wholeImport: Bool = false,
                          _ work: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try work()
        record(name, clock.now - start, baseline: baseline, inImport: inImport, wholeImport: wholeImport)
        return result
    }

    @discardableResult
    mutating func timeAwaiting<T>(_ name: String, baseline: Bool = false, inImport: Bool = false, wholeImport: Bool = false,
                                  _ work: () async throws -> T) async rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await work()
        record(name, clock.now - start, baseline: baseline, inImport: inImport, wholeImport: wholeImport)
        return result
    }

    private mutating func record(_ name: String, _ duration: Duration, baseline: Bool, inImport: Bool, wholeImport: Bool) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if let index = phases.firstIndex(where: { $0.name == name }) {
            phases[index].seconds.append(seconds)
        } else {
            phases.append(Phase(name: name, seconds: [seconds], baseline: baseline, inImport: inImport, wholeImport: wholeImport))
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// One line per phase: fastest and median in milliseconds, and the fastest over the fastest bare parse; then
    /// the sum of the steps an import runs.
    func table() -> [String] {
        let bare = phases.first(where: \.baseline)?.seconds.min() ?? 0
        func row(_ name: String, _ fastest: Double, _ median: Double, mark: String = " ") -> String {
            let ratio = bare > 0 ? String(format: "%6.1fx", fastest / bare) : "     -"
            return "\(mark) " + name.padding(toLength: 52, withPad: " ", startingAt: 0)
                + String(format: "%9.1f ms %9.1f ms ", fastest * 1000, median * 1000) + ratio
        }
        var lines = ["  " + "phase".padding(toLength: 52, withPad: " ", startingAt: 0) + "  fastest      median  / bare"]
        for phase in phases {
            lines.append(row(phase.name, phase.seconds.min() ?? 0, Self.median(phase.seconds), mark: phase.inImport ? "*" : " "))
        }
        let steps = phases.filter(\.inImport)
        let rounds = steps.map(\.seconds.count).min() ?? 0
        if rounds > 0 {
            let sums = (0..<rounds).map { round in steps.reduce(0) { $0 + $1.seconds[round] } }
            lines.append(row("sum of the import's steps (*)", sums.min() ?? 0, Self.median(sums)))
        }
        return lines
    }
}
