import Foundation

/// Checks a parsed package against the files it actually holds: every relative launch file must be there
/// (an error otherwise), and the files the manifest lists should be (a warning otherwise, since players often
/// run without them). References and package paths are compared after turning backslashes into slashes,
/// percent-decoding and dropping `?query` and `#fragment`. A difference in letter case only is accepted with
/// a warning naming both spellings: it works on the academy's server only because the comparison forgives it.
public struct PackageReferenceCheck: Sendable {
    /// Severity for listed (non-launch) files that are absent.
    public var missingFileSeverity: PackageIssue.Severity

    private let present: Set<String>
    private let byFoldedCase: [String: String]

    /// `presentPaths` are the package's files relative to its root (the manifest's folder); folder entries
    /// (ending in "/") are ignored.
    public init(presentPaths: some Sequence<String>, missingFileSeverity: PackageIssue.Severity = .warning) {
        var present: Set<String> = []
        var folded: [String: String] = [:]
        for raw in presentPaths where !raw.hasSuffix("/") {
            guard let path = PackagePath.normalize(raw) else { continue }
            present.insert(path)
            folded[path.lowercased()] = folded[path.lowercased()] ?? path
        }
        self.present = present
        self.byFoldedCase = folded
        self.missingFileSeverity = missingFileSeverity
    }

    /// Adds an issue to `report` for every launch file, listed file and metadata file that is not present.
    /// `file` names the manifest in the issues.
    public func check(_ package: CoursePackage, file: String? = nil, report: inout PackageReport) {
        var checked: Set<String> = []
        for module in package.allModules {
            guard let launch = module.launch, !PackagePath.isAbsoluteURL(launch) else { continue }
            guard let candidates = Self.candidates(for: launch) else {
                report.error("launch.outside", file: file,
                             "The launch URL '\(launch)' of module '\(module.key)' points outside the package",
                             hint: "Give the launch page relative to the package root")
                continue
            }
            checked.formUnion(candidates)
            switch find(candidates) {
            case .exact:
                continue
            case .differentCase(let wanted, let actual):
                report.warning("launch.case", file: file,
                               "The launch file of module '\(module.key)' is spelled '\(wanted)' in the manifest but '\(actual)' in the package; it is served anyway",
                               hint: "Use the same letter case in the manifest and the file name: some servers tell them apart")
            case .missing:
                report.error("launch.missing", file: file,
                             "The launch file '\(candidates[0])' of module '\(module.key)' is not in the package",
                             hint: "Add the file to the package or correct the launch URL in the manifest")
            }
        }

        var listed: [String] = []
        var seen: Set<String> = []
        for path in package.files + package.allModules.flatMap(\.files) where seen.insert(path).inserted {
            listed.append(path)
        }
        var missing: [String] = []
        for path in listed where !checked.contains(path) {
            switch find([path]) {
            case .exact:
                continue
            case .differentCase(let wanted, let actual):
                report.warning("file.case", file: file,
                               "The file '\(wanted)' is spelled '\(actual)' in the package; it is served anyway",
                               hint: "Use the same letter case in the manifest and the file name")
            case .missing:
                missing.append(path)
            }
        }
        for path in missing {
            report.issues.append(PackageIssue(missingFileSeverity, code: "file.missing", file: file,
                                              text: "The file '\(path)' listed in the manifest is not in the package",
                                              hint: "Add the file, or remove its <file> entry from the manifest",
                                              wording: "file.missing.package"))
        }
        for path in package.metadataFiles ?? [] where find([path]) == .missing {
            report.warning("metadata.file.missing", file: file,
                           "The metadata file '\(path)' named by adlcp:location is not in the package",
                           hint: "Add '\(path)' to the package or remove the <adlcp:location>",
                           wording: "metadata.file.missing.check")
        }
    }

    /// Every file under `folder`, relative to it, with forward slashes; `__MACOSX` and `.DS_Store` left out.
    public static func paths(inFolder folder: URL) -> [String] {
        let root = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var result: [String] = []
        while let entry = enumerator.nextObject() as? String {
            let segments = entry.split(separator: "/")
            guard !ManifestDetector.isJunk(segments) else { continue }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + entry, isDirectory: &isFolder), !isFolder.boolValue {
                result.append(entry)
            }
        }
        return result
    }

    private enum Match: Equatable {
        case exact
        case differentCase(wanted: String, actual: String)
        case missing
    }

    /// The package paths a launch reference may mean: decoded, then as written (a file may really be named
    /// "a%20b.html"); a folder ("./", "lesson/") means its index page.
    private static func candidates(for launch: String) -> [String]? {
        guard let decoded = PackagePath.filePath(of: launch) else { return nil }
        let (rawPath, _) = PackagePath.splitSuffix(launch)
        var paths = [decoded]
        if let undecoded = PackagePath.normalize(rawPath), undecoded != decoded { paths.append(undecoded) }
        if decoded.isEmpty || decoded.hasSuffix("/") {
            paths = paths.flatMap { folder in ["index.html", "index.htm"].map { folder + $0 } }
        }
        return paths
    }

    private func find(_ candidates: [String]) -> Match {
        if candidates.contains(where: present.contains) { return .exact }
        for candidate in candidates {
            if let actual = byFoldedCase[candidate.lowercased()] { return .differentCase(wanted: candidate, actual: actual) }
        }
        return .missing
    }
}
