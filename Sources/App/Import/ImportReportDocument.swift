import Foundation

/// An import's outcome as the API answers it (JSON): status, where the package went or would go, and every
/// error and warning with file, line, column, message and hint. `message` and `hint` stay in English for
/// the tools that read them; `localizedMessage` and `localizedHint` are in `language`.
struct ImportReportDocument: Codable, Sendable, Equatable {
    struct Issue: Codable, Sendable, Equatable {
        var code: String
        var file: String?
        var line: Int?
        var column: Int?
        var message: String
        var hint: String?
        var localizedMessage: String
        var localizedHint: String?
        /// The values in the message and hint, for clients that word findings themselves by `code`.
        var arguments: [IssueArgument]
        var hintArguments: [IssueArgument]
        var wording: String?
    }

    struct Plan: Codable, Sendable, Equatable {
        /// "new-course", "new-version" or "identical".
        var action: String
        var slug: String
        var version: Int
    }

    /// "refused", "dry-run", "created" or "unchanged".
    var status: String
    /// The language of `localizedMessage` and `localizedHint`: "nl", "fr" or "en".
    var language: String
    var slug: String?
    var version: Int?
    /// Whether the version is the course's current published one.
    var published: Bool
    var plan: Plan?
    var contentHash: String?
    var files: Int
    var bytes: Int64
    var errors: [Issue]
    var warnings: [Issue]

    init(_ outcome: ImportOutcome, language: Language = .en) {
        let issue = { (issue: PackageIssue) in
            Issue(code: issue.code, file: issue.file, line: issue.line, column: issue.column, message: issue.message, hint: issue.hint,
                  localizedMessage: issue.localizedMessage(language), localizedHint: issue.localizedHint(language),
                  arguments: issue.arguments, hintArguments: issue.hintArguments, wording: issue.wording)
        }
        status = outcome.status.rawValue
        self.language = language.rawValue
        slug = outcome.slug
        version = outcome.versionNumber
        published = outcome.published
        plan = outcome.plan.map { plan in
            switch plan {
            case .newCourse(let slug): Plan(action: "new-course", slug: slug, version: 1)
            case .newVersion(let slug, let number): Plan(action: "new-version", slug: slug, version: number)
            case .identical(let slug, let number): Plan(action: "identical", slug: slug, version: number)
            }
        }
        contentHash = outcome.contentHash
        files = outcome.fileCount
        bytes = outcome.byteCount
        errors = outcome.report.errors.map(issue)
        warnings = outcome.report.warnings.map(issue)
    }
}
