import Foundation
@testable import App

/// The package fixtures under Tests/AppTests/Fixtures/packages and small helpers to parse them.
enum PackageFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/packages")

    static func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

    /// Parses a fixture manifest with whichever parser its root element calls for.
    static func parse(_ path: String, report: inout PackageReport) throws -> CoursePackage? {
        PackageManifestParser().parse(try data(path), file: path, report: &report)
    }

    /// Parses manifest text given inline in a test.
    static func parse(xml: String, file: String = "imsmanifest.xml", report: inout PackageReport) -> CoursePackage? {
        PackageManifestParser().parse(Data(xml.utf8), file: file, report: &report)
    }

    /// A minimal SCORM 1.2 manifest around the given organizations and resources.
    static func scorm12(_ body: String, identifier: String = "test.scorm12") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="\(identifier)" version="1"
            xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
            xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
          <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
        \(body)
        </manifest>
        """
    }
}

extension PackageReport {
    var issueCodes: [String] { issues.map(\.code) }
    func issues(withCode code: String) -> [PackageIssue] { issues.filter { $0.code == code } }
}

extension CoursePackage {
    func module(keyed key: String) -> PackageModule? { allModules.first { $0.key == key } }
}
