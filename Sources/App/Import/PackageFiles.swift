import Foundation

/// The files of an unpacked package under its root folder: relative paths with "/" separators, sorted by
/// their UTF-8 bytes, with `PackageClutter` left out. Symbolic links
/// and other special files are refused (a link could pull a server file into public content), and so are
/// names differing only in letter case, as in zips.
struct PackageFiles: Sendable, Equatable {
    struct File: Sendable, Equatable {
        var path: String
        var size: Int64
    }

    var files: [File]

    var paths: [String] { files.map(\.path) }
    var byteCount: Int64 { files.reduce(0) { $0 + $1.size } }

    /// Lists `root`; `shownRoot` prefixes paths in messages (the re-rooting folder, e.g. "My Course/").
    static func list(root: URL, shownRoot: String = "") throws -> PackageFiles {
        let manager = FileManager.default
        var files: [File] = []
        var spellings = PathSpellings()
        var pending: [String] = [""]
        while let folder = pending.popLast() {
            let absoluteFolder = folder.isEmpty ? root.path : root.path + "/" + folder
            for name in try manager.contentsOfDirectory(atPath: absoluteFolder) {
                let path = folder.isEmpty ? name : folder + "/" + name
                guard !PackageClutter.contains(path.split(separator: "/")) else { continue }
                // lstat does not follow links. (FileManager's attributesOfItem also looks up the owner's and
                // group's names, which cost more than the rest of the listing for thousands of files.)
                var status = stat()
                guard lstat(root.path + "/" + path, &status) == 0 else {
                    throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: root.path + "/" + path,
                                                                  NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
                }
                let shown = shownRoot + path
                switch status.st_mode & S_IFMT {
                case S_IFDIR:
                    pending.append(path)
                case S_IFREG:
                    if let conflict = spellings.add(path, isFolder: false) {
                        throw conflictIssue(conflict, shownRoot: shownRoot)
                    }
                    files.append(File(path: path, size: Int64(status.st_size)))
                case S_IFLNK:
                    throw PackageIssue(.error, code: "package.symlink", file: shown,
                                       text: "'\(shown)' is a symbolic link; links are not accepted in packages",
                                       hint: "Replace the link by the file it points to")
                default:
                    throw PackageIssue(.error, code: "package.specialFile", file: shown,
                                       text: "'\(shown)' is not an ordinary file or folder",
                                       hint: "Remove it from the package")
                }
            }
        }
        files.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return PackageFiles(files: files)
    }

    private static func conflictIssue(_ conflict: PathSpellings.Conflict, shownRoot: String) -> PackageIssue {
        switch conflict {
        case .differentCase(let first, let second):
            return PackageIssue(.error, code: "package.caseCollision", file: shownRoot + second,
                                text: "The names '\(shownRoot + first)' and '\(shownRoot + second)' differ only in letter case (or in how accented letters are encoded); they would be one file on some systems and two on others",
                                hint: "Rename or remove one of them")
        case .duplicate(let path), .fileAndFolder(let path):
            return PackageIssue(.error, code: "package.caseCollision", file: shownRoot + path,
                                text: "'\(shownRoot + path)' appears twice in the package", hint: "Remove one of them",
                                wording: "package.caseCollision.duplicate")
        }
    }
}
