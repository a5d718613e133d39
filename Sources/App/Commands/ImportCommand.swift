import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// `academy import PATH [--dry-run] [--publish] [--owner EMAIL] [--language nl|fr|en]`: imports a package zip or a
/// course folder. The report goes to standard error (one line per issue), the course's slug and version number to
/// standard output, so scripts can use them; a refused package ends with a non-zero exit status. Findings are in
/// English unless --language or the environment's LANG (nl_BE.UTF-8, fr_BE.UTF-8) asks for Dutch or French; the
/// summary lines stay English.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "path", help: "A package zip (SCORM 1.2/2004, cmi5, IMS CP or course.xml) or a course folder")
        var path: String
        @Flag(name: "dry-run", help: "Check the package and say what importing would do; write nothing")
        var dryRun: Bool
        @Flag(name: "publish", help: "Make the imported version the course's current one (default: a draft)")
        var publish: Bool
        @Option(name: "owner", help: "E-mail address of the trainer who owns a course this package creates (recorded as the importer too)")
        var owner: String?
        @Option(name: "language", help: "Language of the findings: nl, fr or en (default: from LANG, else en)")
        var language: String?
    }

    var help: String { "Imports a course package (zip or folder) as a new course or a new version of one" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let language = try Self.language(option: signature.language, environment: ProcessInfo.processInfo.environment)
        try await Self.run(path: signature.path, dryRun: signature.dryRun, publish: signature.publish,
                           owner: signature.owner, language: language, app: context.application, output: .standard)
    }

    /// --language if given; else LC_ALL, LC_MESSAGES or LANG when they name Dutch or French; else English.
    static func language(option: String?, environment: [String: String]) throws -> Language {
        if let option {
            guard let language = Language(rawValue: option.lowercased()) else {
                throw CommandFailure("--language: '\(option)' is not nl, fr or en")
            }
            return language
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            let code = value.prefix { $0.isLetter }.lowercased()
            return code == "nl" || code == "fr" ? Language(rawValue: code)! : .en
        }
        return .en
    }

    /// Where the command writes; tests capture both streams.
    struct Output: Sendable {
        var standard: @Sendable (String) -> Void
        var error: @Sendable (String) -> Void
        /// Progress is shown on a terminal only, never in a log or a pipe.
        var showsProgress: Bool

        static var standard: Output {
            Output(standard: { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }, error: { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }, showsProgress: isatty(STDERR_FILENO) != 0)
        }
    }

    /// `owner`: an e-mail address; that trainer (or admin) owns a course the import creates. The command line
    /// keeps the operator's rights: it may add a version to any course, whoever owns it.
    static func run(path: String, dryRun: Bool, publish: Bool, owner: String? = nil, language: Language = .en,
                    app: Application, output: Output) async throws {
        var publisher: PackagePublisher?
        if let owner {
            let email = owner.trimmingCharacters(in: .whitespaces).lowercased()
            guard let user = try await User.query(on: app.db).filter(\.$email == email).first() else {
                throw CommandFailure("--owner: nobody has the e-mail address '\(email)'; create the account first with `academy user create --role trainer`")
            }
            guard user.role != .learner else {
                throw CommandFailure("--owner: \(email) is a learner; only trainers and admins own courses")
            }
            publisher = PackagePublisher(userID: try user.requireID(), isAdmin: user.role == .admin, bypassesOwnership: true)
        }
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
            .standardizedFileURL
        let progress = output.showsProgress ? ProgressLine() : nil
        let options = PackageImporter.Options(dryRun: dryRun, publish: publish, displayName: url.lastPathComponent,
                                              progress: progress.map { line in { @Sendable (step: ImportProgress) in line.show(step) } },
                                              publisher: publisher)
        let outcome: ImportOutcome
        do {
            outcome = try await app.importPackage(at: url, options: options)
        } catch {
            progress?.clear()
            throw error
        }
        progress?.clear()
        for issue in outcome.report.issues {
            output.error(describe(issue, input: url.lastPathComponent, language: language))
        }
        guard outcome.status != .refused else {
            let count = outcome.report.errors.count
            output.error("refused: '\(url.lastPathComponent)' has \(count) error\(count == 1 ? "" : "s"); nothing was imported")
            throw CommandFailure("The package was refused; see the errors above")
        }
        output.error(summary(outcome))
        if let slug = outcome.slug, let number = outcome.versionNumber {
            output.standard("\(slug) \(number)")
        }
    }

    /// "error imsmanifest.xml:12:5: The launch file ... (Add the file ...)"; issues about the package as a
    /// whole are placed at the input's name.
    static func describe(_ issue: PackageIssue, input: String, language: Language = .en) -> String {
        let location = issue.location ?? input
        let hint = issue.localizedHint(language)
        return "\(issue.severity.rawValue) \(location): \(issue.localizedMessage(language))\(hint.map { " (\($0))" } ?? "")"
    }

    static func summary(_ outcome: ImportOutcome) -> String {
        let state = outcome.published ? "published" : "draft"
        let size = "\(outcome.fileCount) files, \(PackageArchive.describe(bytes: outcome.byteCount))"
        switch (outcome.status, outcome.plan) {
        case (.dryRun, .newCourse(let slug)?):
            return "dry run: would create the course '\(slug)' (version 1, \(size)); nothing was written"
        case (.dryRun, .newVersion(let slug, let number)?):
            return "dry run: would add version \(number) to '\(slug)' (\(size)); nothing was written"
        case (.dryRun, .identical(let slug, let number)?):
            return "dry run: identical to version \(number) of '\(slug)' (\(state)); importing would change nothing"
        case (.created, .newCourse(let slug)?):
            return "created the course '\(slug)', version 1 (\(state), \(size))"
        case (.created, _):
            return "created version \(outcome.versionNumber ?? 0) of '\(outcome.slug ?? "")' (\(state), \(size))"
        case (.unchanged, _):
            return "unchanged: identical to version \(outcome.versionNumber ?? 0) of '\(outcome.slug ?? "")' (\(state))"
        default:
            return outcome.status.rawValue
        }
    }
}

/// One rewritten line on standard error: "unpacking 45% (450 MiB of 1 GiB)", at most five times a second.
final class ProgressLine: Sendable {
    private let lastShown = NIOLockedValueBox<(Date, Bool)>((.distantPast, false))

    func show(_ progress: ImportProgress) {
        let text: String
        switch progress {
        case .unpacking(let done, let total): text = "unpacking \(Self.percent(done, total))"
        case .checking: text = "checking the manifest and files"
        case .hashing(let done, let total): text = "comparing with stored versions \(Self.percent(done, total))"
        case .storing(let files): text = "storing \(files) files"
        }
        let due = lastShown.withLockedValue { state -> Bool in
            let now = Date()
            guard now.timeIntervalSince(state.0) >= 0.2 else { return false }
            state = (now, true)
            return true
        }
        if due { rawWrite("\r\u{1B}[K" + text) }
    }

    func clear() {
        let shown = lastShown.withLockedValue { $0.1 }
        if shown { rawWrite("\r\u{1B}[K") }
    }

    private func rawWrite(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func percent(_ done: Int64, _ total: Int64) -> String {
        guard total > 0 else { return "" }
        return "\(min(100, done * 100 / total))% (\(PackageArchive.describe(bytes: done)) of \(PackageArchive.describe(bytes: total)))"
    }
}
