import Crypto
import Foundation

/// SHA-256 over a package's files in path order: for each, its relative path, a zero byte, its length as
/// eight big-endian bytes, then its bytes. The separators keep "a" + "bc" apart from "ab" + "c". Files are
/// read in chunks, never whole; small files kept while they were unpacked (`RetainedFiles`) are not read again.
enum ContentHash {
    /// `retained` holds files by their path under the unpacked folder; `retainedPrefix` is the part of that path
    /// before `root` (the folder the manifest was found in, "" or "My Course/").
    static func compute(root: URL, files: [String], retained: RetainedFiles? = nil, retainedPrefix: String = "",
                        progress: ((Int64) -> Void)? = nil) throws -> String {
        var hasher = SHA256()
        var done: Int64 = 0
        for path in files.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            if let bytes = retained?.contents[retainedPrefix + path] {
                update(&hasher, path: path, length: UInt64(bytes.count))
                hasher.update(data: bytes)
                done += Int64(bytes.count)
                progress?(done)
                continue
            }
            let handle = try FileHandle(forReadingFrom: root.appendingPathComponent(path))
            defer { try? handle.close() }
            let length = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            update(&hasher, path: path, length: length)
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

    private static func update(_ hasher: inout SHA256, path: String, length: UInt64) {
        hasher.update(data: Data(path.utf8))
        hasher.update(data: Data([0]))
        withUnsafeBytes(of: length.bigEndian) { hasher.update(bufferPointer: $0) }
    }

    /// The bytes of small files, kept while a zip is unpacked so that hashing does not open and read thousands of
    /// small files again (the import benchmark's 5,000 pages). Bounded: files above `fileLimit`, and any beyond
    /// `totalLimit` in all, are read back from disk instead.
    struct RetainedFiles: Sendable, Equatable {
        var fileLimit: Int64 = 64 * 1024
        var totalLimit: Int64 = 8 << 20
        private(set) var contents: [String: Data] = [:]
        private(set) var byteCount: Int64 = 0

        /// Whether a file of `size` bytes is kept.
        func accepts(size: Int64) -> Bool {
            size <= fileLimit && byteCount + size <= totalLimit
        }

        mutating func keep(_ bytes: Data, at path: String) {
            guard accepts(size: Int64(bytes.count)) else { return }
            contents[path] = bytes
            byteCount += Int64(bytes.count)
        }
    }
}
