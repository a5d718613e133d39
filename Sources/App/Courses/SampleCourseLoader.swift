import Fluent
import Vapor

/// Loads the course folders under a directory (./courses: the sample courses a new academy starts with)
/// through the package importer, so their pages are stored and served like any imported course, and
/// publishes each. Loading the same folders again changes nothing.
struct SampleCourseLoader {
    struct Result: Sendable {
        var loaded: [String] = []
        var unchanged: [String] = []
        var refused: [(folder: String, report: PackageReport)] = []

        var summary: String {
            "\(loaded.count) loaded, \(unchanged.count) unchanged, \(refused.count) refused"
        }
    }

    let directory: String
    let logger: Logger

    func load(into app: Application) async throws -> Result {
        var result = Result()
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let folders = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("course.xml").path) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        for folder in folders {
            let outcome = try await app.importPackage(at: folder, options: .init(publish: true))
            switch outcome.status {
            case .created:
                result.loaded.append(outcome.slug ?? folder.lastPathComponent)
            case .unchanged, .dryRun:
                result.unchanged.append(outcome.slug ?? folder.lastPathComponent)
            case .refused:
                for issue in outcome.report.errors {
                    logger.error("\(folder.lastPathComponent)/\(issue.location ?? ""): \(issue.message)")
                }
                result.refused.append((folder.lastPathComponent, outcome.report))
            }
        }
        return result
    }
}
