import Crypto
import Foundation

/// SHA-256 over a package's files in path order: for each, its relative path, a zero byte, its length as
/// eight big-endian bytes, then its bytes. The separators keep "a" + "bc" apart from "ab" + "c". Files are
/// read in chunks, never whole.
enum ContentHash {
    static func compute(root: URL, files: [String], progress: ((Int64) -> Void)? = nil) throws -> String {
        var hasher = SHA256()
        var done: Int64 = 0
        for path in files.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let handle = try FileHandle(forReadingFrom: root.appendingPathComponent(path))
            defer { try? handle.close() }
            let length = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            hasher.update(data: Data(path.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: withUnsafeBytes(of: length.bigEndian) { Data($0) })
            var read: UInt64 = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                read += UInt64(chunk.count)
                done += Int64(chunk.count)
                progress?(done)
            }
            guard read == length else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "\(path) changed while it was read"])
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
