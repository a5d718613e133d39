import Crypto
import Fluent
import Vapor

/// Loads the course folders under a directory (./courses: the sample courses a new academy starts with)
/// and publishes each. Loading the same folders again changes nothing.
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

    func load(on database: any Database) async throws -> Result {
        var result = Result()
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let folders = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: [.isDirectoryKey])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("course.xml").path) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        for folder in folders {
            var report = PackageReport()
            guard let package = CourseManifestParser().parse(folder: folder, report: &report), !report.hasErrors else {
                for issue in report.errors {
                    logger.error("\(folder.lastPathComponent)/\(issue.location ?? ""): \(issue.message)")
                }
                result.refused.append((folder.lastPathComponent, report))
                continue
            }
            let outcome = try await CourseVersionWriter(database: database)
                .write(package, contentHash: try Self.hash(folder: folder), publish: true)
            if outcome.created {
                result.loaded.append(outcome.slug)
            } else {
                result.unchanged.append(outcome.slug)
            }
        }
        return result
    }

    /// SHA-256 over every file's relative path and bytes, in path order.
    static func hash(folder: URL) throws -> String {
        var hasher = SHA256()
        let base = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return ""
        }
        var files: [URL] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url)
        }
        for file in files.sorted(by: { $0.path < $1.path }) {
            let relative = String(file.standardizedFileURL.path.dropFirst(base.count))
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: try Data(contentsOf: file))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
