import Foundation

/// What operating systems, zip tools and version control leave in a package, which the academy neither
/// stores nor hashes: the manifest detector's list (`__MACOSX/`, `.DS_Store`, `._name`), Windows'
/// `Thumbs.db` and `desktop.ini`, and `.git`, `.svn` and `.hg` folders (a course folder may be a checkout).
enum PackageClutter {
    static func contains(_ segments: [Substring]) -> Bool {
        guard let last = segments.last else { return false }
        return ManifestDetector.isJunk(segments) || last == "Thumbs.db" || last == "desktop.ini"
            || segments.contains { $0 == ".git" || $0 == ".svn" || $0 == ".hg" }
    }
}
