import Foundation
import ZIPFoundation

/// GZIP members (RFC 1952) around zlib's raw DEFLATE, which ZIPFoundation already links: the status list's
/// bitstring must travel GZIP-compressed, and verifiers (and our tests) must read it back.
enum Gzip {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case notGzip
        case unsupportedMethod(UInt8)
        case truncated
        case checksumMismatch

        var description: String {
            switch self {
            case .notGzip: "The data does not start with the GZIP magic bytes 1f 8b."
            case .unsupportedMethod(let method): "GZIP compression method \(method) is not DEFLATE (8)."
            case .truncated: "The GZIP data ends before its trailer."
            case .checksumMismatch: "The GZIP data's CRC-32 or length does not match its content."
            }
        }
    }

    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = Data(bytes)
        var deflated = Data()
        let checksum = try Data.compress(size: Int64(input.count), bufferSize: 64 * 1024, provider: { position, size in
            input.subdata(in: Int(position)..<Int(position) + size)
        }, consumer: { deflated.append($0) })
        // Magic, DEFLATE, no flags, no modification time, no extra flags, "unknown" operating system: the same
        // bitstring always compresses to the same bytes.
        var output: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]
        output.append(contentsOf: deflated)
        output.append(contentsOf: littleEndian(checksum))
        output.append(contentsOf: littleEndian(UInt32(truncatingIfNeeded: bytes.count)))
        return output
    }

    static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        guard bytes.count >= 18, bytes[0] == 0x1F, bytes[1] == 0x8B else { throw Failure.notGzip }
        guard bytes[2] == 8 else { throw Failure.unsupportedMethod(bytes[2]) }
        let flags = bytes[3]
        var offset = 10
        func skipZeroTerminated() throws {
            while offset < bytes.count, bytes[offset] != 0 { offset += 1 }
            guard offset < bytes.count else { throw Failure.truncated }
            offset += 1
        }
        if flags & 0x04 != 0 {  // FEXTRA
            guard offset + 2 <= bytes.count else { throw Failure.truncated }
            offset += 2 + Int(bytes[offset]) + Int(bytes[offset + 1]) << 8
        }
        if flags & 0x08 != 0 { try skipZeroTerminated() }  // FNAME
        if flags & 0x10 != 0 { try skipZeroTerminated() }  // FCOMMENT
        if flags & 0x02 != 0 { offset += 2 }  // FHCRC
        guard offset + 8 <= bytes.count else { throw Failure.truncated }
        let body = Data(bytes[offset..<(bytes.count - 8)])
        var output = Data()
        // zlib's inflate loop asks again until the stream ends: running out of input must throw, not spin.
        let checksum = try Data.decompress(size: Int64(body.count), bufferSize: 64 * 1024, skipCRC32: false, provider: { position, size in
            let start = Int(position)
            guard start < body.count else { throw Failure.truncated }
            return body.subdata(in: start..<min(body.count, start + size))
        }, consumer: { output.append($0) })
        let trailer = Array(bytes.suffix(8))
        guard Array(littleEndian(checksum)) == Array(trailer[0..<4]),
              Array(littleEndian(UInt32(truncatingIfNeeded: output.count))) == Array(trailer[4..<8]) else {
            throw Failure.checksumMismatch
        }
        return [UInt8](output)
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24 & 0xFF)]
    }
}
