import Fluent
import Vapor

/// `academy seed`: load the course folders again (idempotent: unchanged courses stay as they are).
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "directory", short: "d", help: "Folder with one sub-folder per course (default: ./courses or ACADEMY_COURSES_DIR)")
        var directory: String?
    }

    var help: String { "Loads the sample courses (each a folder with a course.xml) and publishes them; running it twice changes nothing" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let directory = signature.directory ?? app.academySettings.coursesDirectory
        let result = try await SampleCourseLoader(directory: directory, logger: app.logger).load(on: app.db)
        for slug in result.loaded { context.console.print("loaded     \(slug)") }
        for slug in result.unchanged { context.console.print("unchanged  \(slug)") }
        for refused in result.refused {
            context.console.error("refused    \(refused.folder)")
            for issue in refused.report.errors {
                context.console.error("  \(issue.location ?? refused.folder): \(issue.message)\(issue.hint.map { " (\($0))" } ?? "")")
            }
        }
        context.console.print(result.summary)
        if !result.refused.isEmpty { throw SeedFailure(count: result.refused.count) }
    }

    struct SeedFailure: Error, CustomStringConvertible {
        let count: Int
        var description: String { "\(count) course folder(s) were refused; see the errors above" }
    }
}
