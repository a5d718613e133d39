import Foundation

/// A package's manifest, read: the course and where in the package its manifest was found.
public struct ParsedPackage: Sendable, Equatable {
    public var package: CoursePackage
    public var location: ManifestLocation

    public init(package: CoursePackage, location: ManifestLocation) {
        self.package = package
        self.location = location
    }
}

/// Reads whichever manifest a package carries: course.xml (or the academy's namespace) through
/// `CourseManifestParser`, a `<courseStructure>` as cmi5, a `<manifest>` as IMS CP / SCORM (Common Cartridge
/// refused). Apart from course.xml the kind is decided by the root element and its namespace, not the file
/// name, so a cmi5 structure saved as "example cmi5.xml" is read when it is given explicitly.
public struct PackageManifestParser: Sendable {
    public var metadataLoader: IMSManifestParser.MetadataLoader?
    public var xmlReader: ManifestXMLReader
    /// Reads course.xml; configure it (e.g. its access vocabulary) before parsing.
    public var courseManifestParser: CourseManifestParser

    public init(metadataLoader: IMSManifestParser.MetadataLoader? = nil, xmlReader: ManifestXMLReader = ManifestXMLReader(),
                courseManifestParser: CourseManifestParser = CourseManifestParser()) {
        self.metadataLoader = metadataLoader
        self.xmlReader = xmlReader
        self.courseManifestParser = courseManifestParser
    }

    /// Parses manifest bytes; `file` is the manifest's package-relative path, used in the report and to
    /// recognise course.xml. Returns `nil` when the report gained an error.
    public func parse(_ data: Data, file: String, report: inout PackageReport) -> CoursePackage? {
        guard let root = xmlReader.read(data, file: file, report: &report) else { return nil }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        if name.lowercased() == PackageFormat.academy.manifestFileName || root.namespace == CourseManifestParser.namespace {
            return courseManifestParser.parse(root, file: file, report: &report)
        }
        switch root.name {
        case "courseStructure":
            return Cmi5ManifestParser(xmlReader: xmlReader).parse(root, file: file, report: &report)
        case "manifest":
            return IMSManifestParser(metadataLoader: metadataLoader, xmlReader: xmlReader).parse(root, file: file, report: &report)
        default:
            report.error("manifest.root.unknown", file: file, at: root,
                         "The manifest's root element <\(root.name)> is neither an IMS <manifest> nor a cmi5 <courseStructure>",
                         hint: "Export the course as SCORM, cmi5 or IMS Content Packaging")
            return nil
        }
    }

    /// Finds the manifest of an unpacked package (at the root or in its one top-level folder), parses it and
    /// reads separate metadata files from the folder unless a `metadataLoader` was given. Paths in the result
    /// are relative to `location.root`.
    public func parse(folder: URL, report: inout PackageReport) -> ParsedPackage? {
        guard let location = ManifestDetector().locate(folder: folder, report: &report) else { return nil }
        if location.format == .academy {
            // The academy's parser also checks the files course.xml names against the folder.
            let packageRoot = folder.appendingPathComponent(location.root)
            guard let package = courseManifestParser.parse(folder: packageRoot, report: &report) else { return nil }
            return ParsedPackage(package: package, location: location)
        }
        let manifestURL = folder.appendingPathComponent(location.path)
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: manifestURL.path)[.size] as? Int) ?? 0
            guard size <= xmlReader.limits.maxBytes else {
                report.error("xml.tooLarge", file: location.path,
                             "The manifest is \(size) bytes; the limit is \(xmlReader.limits.maxBytes) bytes",
                             wording: "xml.tooLarge.size")
                return nil
            }
            data = try Data(contentsOf: manifestURL)
        } catch {
            report.error("package.manifest.unreadable", file: location.path, "The manifest cannot be read: \(error.localizedDescription)")
            return nil
        }
        var parser = self
        if parser.metadataLoader == nil {
            let packageRoot = folder.appendingPathComponent(location.root).standardizedFileURL
            parser.metadataLoader = { path in
                let url = packageRoot.appendingPathComponent(path).standardizedFileURL
                guard url.path.hasPrefix(packageRoot.path + "/"), FileManager.default.fileExists(atPath: url.path) else { return nil }
                return try Data(contentsOf: url)
            }
        }
        guard let package = parser.parse(data, file: location.path, report: &report) else { return nil }
        return ParsedPackage(package: package, location: location)
    }
}

extension ManifestXMLReader {
    /// Reads XML, turning a failure into an error in `report` with the file, line and column.
    func read(_ data: Data, file: String, report: inout PackageReport) -> ManifestElement? {
        do {
            return try read(data)
        } catch let error as ManifestXMLError {
            let hint: IssueText? = switch error.kind {
            case .empty: "Export the package again; the manifest file is empty"
            case .notWellFormed: "Open the file in an XML editor or validator and correct it at the position given"
            case .doctypeRefused: "Remove the <!DOCTYPE ...> declaration"
            case .tooDeep, .tooManyElements, .tooLarge: "Split the course into smaller packages"
            }
            var message: IssueText = "\(error.text)"
            var wording = "xml.\(error.kind.rawValue)"
            if error.kind == .notWellFormed, !Self.containsElement(data) {
                message = "The manifest is not well-formed XML: it has no root element (only an XML declaration, comments or white space)"
                wording = "xml.notWellFormed.noRoot"
            }
            report.issues.append(PackageIssue(.error, code: "xml.\(error.kind.rawValue)", file: file, line: error.line,
                                              column: error.column, text: message, hint: hint, wording: wording))
            return nil
        } catch {
            report.error("xml.unreadable", file: file, "The manifest cannot be read as XML: \(error)", wording: "xml.unreadable.manifest")
            return nil
        }
    }

    /// Whether the bytes hold an element start tag ("<" then a name character) anywhere.
    static func containsElement(_ data: Data) -> Bool {
        var previousWasOpen = false
        for byte in data {
            if previousWasOpen, byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
                || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) {
                return true
            }
            previousWasOpen = byte == UInt8(ascii: "<")
        }
        return false
    }
}
