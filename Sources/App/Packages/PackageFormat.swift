import Foundation

/// The kinds of manifest a course package can carry, by file name.
public enum PackageFormat: String, Sendable, Codable, CaseIterable {
    /// course.xml, the academy's own manifest.
    case academy
    /// imsmanifest.xml: IMS Content Packaging, SCORM 1.2, SCORM 2004 (and Common Cartridge, which is refused).
    case imsManifest
    /// cmi5.xml
    case cmi5

    public var manifestFileName: String {
        switch self {
        case .academy: "course.xml"
        case .imsManifest: "imsmanifest.xml"
        case .cmi5: "cmi5.xml"
        }
    }

    /// Which manifest wins when a package holds several: the academy's own, then cmi5 (a package that carries
    /// both cmi5.xml and imsmanifest.xml was built for cmi5 with a SCORM fallback), then IMS.
    static let preference: [PackageFormat] = [.academy, .cmi5, .imsManifest]

    init?(manifestFileName name: String) {
        guard let format = Self.allCases.first(where: { $0.manifestFileName == name.lowercased() }) else { return nil }
        self = format
    }
}

/// How the standards are told apart: by the namespaces a manifest uses, never by `<schemaversion>` alone,
/// which real packages omit or get wrong. Matching is by distinctive fragments because the same namespace
/// appears under imsglobal.org, imsproject.org, with and without "www.", "http" or "https".
enum ManifestNamespace {
    static func isCommonCartridge(_ namespace: String) -> Bool {
        namespace.lowercased().contains("imsccv1p")
    }

    static func isCmi5CourseStructure(_ namespace: String) -> Bool {
        let lower = namespace.lowercased()
        return lower.contains("cmi5") && lower.contains("coursestructure")
    }

    /// The 1.0 namespace; earlier drafts used http://www.adlnet.gov/cmi5/CourseStructure.xsd.
    static func isCmi5Final(_ namespace: String) -> Bool {
        namespace.lowercased().contains("w3id.org/xapi/profiles/cmi5/v1/")
    }

    static func isSCORM12(_ namespace: String) -> Bool {
        namespace.lowercased().contains("adlcp_rootv1p2")
    }

    static func isSCORM2004(_ namespace: String) -> Bool {
        let lower = namespace.lowercased()
        return lower.contains("adlcp_v1p3") || lower.contains("adlseq_v1p3") || lower.contains("adlnav_v1p3")
            || lower.hasSuffix("/imsss") || lower.contains("imsss_v1p0")
    }

    /// Any ADL extension namespace (adlcp, adlseq, adlnav), whatever its version.
    static func isADL(_ namespace: String) -> Bool {
        let lower = namespace.lowercased()
        return lower.contains("adlnet.org/xsd/adl") || lower.contains("adlnet.gov/xsd/adl")
    }

    /// IMS CP version a content-packaging namespace stands for.
    static func contentPackagingVersion(_ namespace: String) -> String? {
        let lower = namespace.lowercased()
        if lower.contains("imscp_rootv1p1p2") { return "1.1.2" }
        if lower.contains("imscp_v1p1") { return "1.1.4" }
        return nil
    }
}

/// Where a package's manifest is.
public struct ManifestLocation: Sendable, Equatable, Codable {
    public var format: PackageFormat
    /// The manifest's path as the package spells it: "imsmanifest.xml", "My Course/imsmanifest.xml".
    public var path: String
    /// The folder every path in the manifest is relative to: "" or, when the package wraps everything in one
    /// folder, that folder with a trailing slash ("My Course/").
    public var root: String

    public init(format: PackageFormat, path: String, root: String) {
        self.format = format
        self.path = path
        self.root = root
    }
}

/// Chooses a package's manifest from the paths it holds: course.xml, cmi5.xml or imsmanifest.xml at the root,
/// or at the root of exactly one top-level folder (zips made by compressing the course folder). Never deeper,
/// and never "the first" manifest found: nested manifests belong to other packages.
public struct ManifestDetector: Sendable {
    public init() {}

    /// `paths` are the package's entries ("a/b.html"; folders may end in "/"), at least the root level and the
    /// level below it. Entries under `__MACOSX/` and `.DS_Store` files are ignored.
    public func locate(paths: some Sequence<String>, report: inout PackageReport) -> ManifestLocation? {
        var atRoot: [PackageFormat: String] = [:]
        var inFolders: [String: [PackageFormat: String]] = [:]
        var deeper: [String] = []
        var topLevel: Set<Substring> = []
        for raw in paths {
            let path = raw.replacingOccurrences(of: "\\", with: "/")
            let segments = path.split(separator: "/", omittingEmptySubsequences: true)
            guard let name = segments.last, !Self.isJunk(segments) else { continue }
            topLevel.insert(segments[0])
            guard let format = PackageFormat(manifestFileName: String(name)) else { continue }
            switch segments.count {
            case 1: atRoot[format] = atRoot[format] ?? raw
            case 2: inFolders[String(segments[0]), default: [:]][format] = inFolders[String(segments[0])]?[format] ?? raw
            default: deeper.append(raw)
            }
        }
        if !atRoot.isEmpty {
            return choose(atRoot, root: "", report: &report)
        }
        let folders = inFolders.keys.sorted()
        if folders.count == 1, let folder = folders.first, let found = inFolders[folder] {
            let outside = topLevel.subtracting([Substring(folder)]).sorted()
            if !outside.isEmpty {
                let listed = outside.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
                report.warning("package.reroot.outside", file: nil,
                               "The manifest is in the folder '\(folder)/', which is read as the package; \(outside.count) other top-level entries (\(listed)) are ignored",
                               hint: "Zip the course folder's contents, or only the course folder")
            }
            return choose(found, root: folder + "/", report: &report)
        }
        if folders.count > 1 {
            let listed = folders.map { "'\($0)/'" }.joined(separator: ", ")
            report.error("package.manifest.ambiguous", file: nil,
                         "The package has no manifest at its root, and several top-level folders hold one: \(listed)",
                         hint: "Put one course in a package, with its manifest at the root of the zip")
            return nil
        }
        let names = PackageFormat.preference.map(\.manifestFileName).joined(separator: ", ")
        if deeper.isEmpty {
            report.error("package.manifest.missing", file: nil,
                         "The package has no manifest: none of \(names) is at its root",
                         hint: "Export the course from the authoring tool as a SCORM, cmi5 or IMS package, or add course.xml")
        } else {
            let listed = deeper.sorted().prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            report.error("package.manifest.nested", file: nil,
                         "The package has no manifest at its root or in a single top-level folder; manifests deeper down (\(listed)) belong to other packages and are not read",
                         hint: "Zip the folder that holds the manifest itself, so that the manifest is at the root of the zip")
        }
        return nil
    }

    /// Looks at an unpacked package folder: its root and the level below.
    public func locate(folder: URL, report: inout PackageReport) -> ManifestLocation? {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: folder.path) else {
            report.error("package.unreadable", file: nil, "The package folder '\(folder.path)' cannot be read")
            return nil
        }
        var paths: [String] = []
        for entry in entries {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder.appendingPathComponent(entry).path, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                let inner = (try? manager.contentsOfDirectory(atPath: folder.appendingPathComponent(entry).path)) ?? []
                paths.append(contentsOf: inner.map { "\(entry)/\($0)" })
            } else {
                paths.append(entry)
            }
        }
        return locate(paths: paths, report: &report)
    }

    private func choose(_ found: [PackageFormat: String], root: String, report: inout PackageReport) -> ManifestLocation? {
        guard let format = PackageFormat.preference.first(where: { found[$0] != nil }), let path = found[format] else { return nil }
        let ignored = PackageFormat.preference.filter { $0 != format && found[$0] != nil }.compactMap { found[$0] }
        if !ignored.isEmpty {
            report.warning("package.manifest.several", file: path,
                           "The package holds \(([path] + ignored).map { "'\($0)'" }.joined(separator: " and ")); '\(path)' is read and the other ignored",
                           hint: "Remove the manifest that does not describe the course")
        }
        if path != root + format.manifestFileName {
            report.warning("package.manifest.case", file: path,
                           "The manifest is named '\(path)' rather than '\(root + format.manifestFileName)'; it is read anyway",
                           hint: "Rename it to '\(format.manifestFileName)'; some players look for that exact name")
        }
        return ManifestLocation(format: format, path: path, root: root)
    }

    static func isJunk(_ segments: [Substring]) -> Bool {
        segments.first == "__MACOSX" || segments.last == ".DS_Store" || segments.last?.hasPrefix("._") == true
    }
}
