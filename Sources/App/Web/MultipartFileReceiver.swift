import Foundation
import NIOCore
import NIOPosix

/// Reads a multipart/form-data body as it arrives and writes the one file part named `field` to disk, chunk
/// by chunk; other parts (small form fields) are skipped.
struct MultipartFileReceiver {
    enum Failure: Error {
        case noFile
        case tooLarge
        case malformed
    }

    struct Received {
        var fileName: String?
        var bytes: Int64
    }

    let boundary: String
    let field: String
    let maxBytes: Int64

    /// `body` is the request's body (`Request.Body`), or in tests any sequence of chunks.
    func receive<Body: AsyncSequence>(_ body: Body, to path: String, fileio: NonBlockingFileIO) async throws -> Received
        where Body.Element == ByteBuffer {
        var scanner = MultipartScanner(boundary: boundary)
        var taken = false
        var isFile = false
        var complete = false
        var fileName: String?
        var written: Int64 = 0
        var total: Int64 = 0
        try await fileio.withFileHandle(path: path, mode: .write, flags: .allowFileCreation(posixMode: 0o600)) { handle in
            for try await chunk in body {
                total += Int64(chunk.readableBytes)
                // Form fields besides the file are tiny; a body far beyond the file limit is refused early.
                guard total <= maxBytes + 1024 * 1024 else { throw Failure.tooLarge }
                var pending = ByteBuffer()
                try scanner.feed(chunk) { event in
                    switch event {
                    case .headers(let headers):
                        let disposition = headers.first { $0.name.lowercased() == "content-disposition" }?.value ?? ""
                        let parameters = Self.parameters(disposition)
                        isFile = !taken && parameters["name"] == field && parameters["filename"] != nil
                        if isFile {
                            taken = true
                            fileName = parameters["filename"]
                        }
                    case .body(var slice):
                        if isFile { pending.writeBuffer(&slice) }
                    case .partComplete:
                        if isFile { complete = true }
                        isFile = false
                    }
                }
                if pending.readableBytes > 0 {
                    written += Int64(pending.readableBytes)
                    guard written <= maxBytes else { throw Failure.tooLarge }
                    try await fileio.write(fileHandle: handle, buffer: pending)
                }
            }
        }
        guard taken else { throw Failure.noFile }
        guard complete else { throw Failure.malformed }
        guard written > 0 else { throw Failure.noFile }
        return Received(fileName: fileName, bytes: written)
    }

    /// `form-data; name="package"; filename="course.zip"` → ["name": "package", "filename": "course.zip"].
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop(while: { $0 == " " || $0 == "\t" })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let name = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = rest[rest.index(after: equals)...]
            if value.first == "\"" {
                value = value.dropFirst()
                var text = ""
                var escaped = false
                var end = value.endIndex
                for index in value.indices {
                    let character = value[index]
                    if escaped { text.append(character); escaped = false }
                    else if character == "\\" { escaped = true }
                    else if character == "\"" { end = index; break }
                    else { text.append(character) }
                }
                result[name] = text
                rest = end < value.endIndex ? value[value.index(after: end)...] : ""
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                result[name] = value[..<end].trimmingCharacters(in: .whitespaces)
                rest = value[end...]
            }
        }
        return result
    }
}

/// Splits a multipart body (RFC 7578) into headers and body slices as chunks arrive, whatever their size.
/// It searches for the delimiter with `memchr` and `memcmp` rather than byte by byte: MultipartKit's parser does the
/// latter and managed about 1.5 MB/s in a debug build, far too slow for uploads of a gigabyte.
struct MultipartScanner {
    enum Event {
        case headers([(name: String, value: String)])
        case body(ByteBuffer)
        case partComplete
    }

    private enum Phase {
        case preamble, afterDelimiter, headers, body, done
    }

    private let delimiter: [UInt8]
    private var phase = Phase.preamble
    /// Bytes not yet handed out: at most a delimiter's length in the body, a header block while it is incomplete.
    private var carry = ByteBuffer()
    /// A header block longer than this is not a form.
    private let maxHeaderBytes = 16 * 1024

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter has no line break in front of it.
        carry.writeString("\r\n")
    }

    mutating func feed(_ chunk: ByteBuffer, _ handle: (Event) throws -> Void) throws {
        var chunk = chunk
        carry.writeBuffer(&chunk)
        scanning: while true {
            switch phase {
            case .preamble:
                guard let index = Self.find(delimiter, in: carry) else {
                    carry.moveReaderIndex(forwardBy: max(0, carry.readableBytes - delimiter.count + 1))
                    break scanning
                }
                carry.moveReaderIndex(forwardBy: index + delimiter.count)
                phase = .afterDelimiter
            case .afterDelimiter:
                guard carry.readableBytes >= 2, let next = carry.readString(length: 2) else { break scanning }
                switch next {
                case "--": phase = .done
                case "\r\n": phase = .headers
                default: throw MultipartFileReceiver.Failure.malformed
                }
            case .headers:
                let block: String
                if carry.readableBytesView.starts(with: [13, 10]) {
                    block = ""
                    carry.moveReaderIndex(forwardBy: 2)
                } else if let index = Self.find(Array("\r\n\r\n".utf8), in: carry) {
                    block = carry.readString(length: index) ?? ""
                    carry.moveReaderIndex(forwardBy: 4)
                } else {
                    guard carry.readableBytes <= maxHeaderBytes else { throw MultipartFileReceiver.Failure.malformed }
                    break scanning
                }
                let headers = block.components(separatedBy: "\r\n").compactMap { line -> (name: String, value: String)? in
                    guard let colon = line.firstIndex(of: ":") else { return nil }
                    return (String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
                }
                try handle(.headers(headers))
                phase = .body
            case .body:
                if let index = Self.find(delimiter, in: carry) {
                    if index > 0, let slice = carry.readSlice(length: index) { try handle(.body(slice)) }
                    carry.moveReaderIndex(forwardBy: delimiter.count)
                    try handle(.partComplete)
                    phase = .afterDelimiter
                } else {
                    // The end may be the start of a delimiter: keep it for the next chunk.
                    let safe = carry.readableBytes - (delimiter.count - 1)
                    if safe > 0, let slice = carry.readSlice(length: safe) { try handle(.body(slice)) }
                    break scanning
                }
            case .done:
                carry.moveReaderIndex(forwardBy: carry.readableBytes)
                break scanning
            }
        }
        carry.discardReadBytes()
    }

    private static func find(_ needle: [UInt8], in buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { haystack -> Int? in
            guard let base = haystack.baseAddress, haystack.count >= needle.count else { return nil }
            return needle.withUnsafeBytes { pattern -> Int? in
                guard let first = needle.first, let patternBase = pattern.baseAddress else { return nil }
                var offset = 0
                while offset <= haystack.count - needle.count {
                    guard let candidate = memchr(base + offset, Int32(first), haystack.count - needle.count - offset + 1) else { return nil }
                    let index = base.distance(to: UnsafeRawPointer(candidate))
                    if memcmp(candidate, patternBase, needle.count) == 0 { return index }
                    offset = index + 1
                }
                return nil
            }
        }
    }
}
