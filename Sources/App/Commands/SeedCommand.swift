import Fluent
import Vapor

/// `academy seed`: load the care board register and the course folders again (idempotent: unchanged
/// boards and courses stay as they are).
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "directory", short: "d", help: "Folder with one sub-folder per course (default: ./courses or ACADEMY_COURSES_DIR)")
        var directory: String?
        @Option(name: "care-boards", help: "Care board register, CSV code,name,zone,province (default: ./seed/care-boards.csv or ACADEMY_CARE_BOARDS_FILE)")
        var careBoards: String?
    }

    var help: String { "Loads the care board register and the sample courses (each a folder with a course.xml) and publishes them; running it twice changes nothing" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        do {
            let boards = try await CareBoardLoader(file: signature.careBoards ?? app.academySettings.careBoardsFile).load(on: app.db)
            await app.accessDirectory.invalidate()
            context.console.print("care boards: \(boards.summary)")
        } catch let refused as CareBoardRegister.Refused {
            throw CommandFailure(refused.description)
        }
        let directory = signature.directory ?? app.academySettings.coursesDirectory
        let result = try await SampleCourseLoader(directory: directory, logger: app.logger).load(into: app)
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
