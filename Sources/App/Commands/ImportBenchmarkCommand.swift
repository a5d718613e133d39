import Foundation
import Vapor

/// `academy import-benchmark generate|parse|phases` (for benchmarks/import.sh): writes the generated package,
/// times a bare XMLParser(stream:) pass over a file as the import's baseline, and times each step of an import
/// against that pass in one process (`ImportPhasesCommand`).
struct ImportBenchmarkCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["generate": GenerateBenchmarkPackageCommand(), "parse": BareParseCommand(), "phases": ImportPhasesCommand()]
    }
    var help: String { "Benchmark helpers: generate a large package, time a bare XML parse, time an import's phases" }
}

struct GenerateBenchmarkPackageCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "out", help: "The folder to write the package into (made if absent)")
        var out: String?
        @Option(name: "chapters", help: "Folders of items (default 50)")
        var chapters: Int?
        @Option(name: "items-per-chapter", help: "Items, each with its own resource, per folder (default 100)")
        var itemsPerChapter: Int?
        @Option(name: "media-mb", help: "Megabytes of incompressible media files to add (default 0)")
        var mediaMB: Int?
        @Option(name: "identifier", help: "The manifest identifier (default benchmark.large)")
        var identifier: String?
    }

    var help: String { "Writes a generated SCORM 2004 package folder" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let out = signature.out else { throw CommandFailure("--out is missing") }
        var package = BenchmarkPackage()
        package.chapters = signature.chapters ?? package.chapters
        package.itemsPerChapter = signature.itemsPerChapter ?? package.itemsPerChapter
        package.mediaBytes = Int64(signature.mediaMB ?? 0) * 1024 * 1024
        package.identifier = signature.identifier ?? package.identifier
        let size = try package.write(to: URL(fileURLWithPath: out, isDirectory: true))
        context.console.print("\(package.items) items, \(package.items) resources, manifest \(size) bytes")
    }
}

struct BareParseCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "An XML file")
        var file: String
    }

    var help: String { "Times one bare XMLParser(stream:) pass over a file" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        guard let elements = BareXMLPass.run(file: URL(fileURLWithPath: signature.file)) else {
            throw CommandFailure("'\(signature.file)' did not parse")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        context.console.print("\(elements) elements in \(String(format: "%.4f", seconds)) s")
    }
}
