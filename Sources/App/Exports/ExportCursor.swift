import Foundation

/// A position in the export order of accreditation records, handed to partners as an opaque string. It says
/// "everything up to here was delivered"; the next poll starts after it.
struct ExportCursor: Sendable, Comparable, CustomStringConvertible {
    /// PostgreSQL's inserting transaction id (0 on SQLite) and the record's sequence number.
    let xid: Int64
    let seq: Int64

    static let start = ExportCursor(xid: 0, seq: 0)

    init(xid: Int64, seq: Int64) {
        self.xid = xid
        self.seq = seq
    }

    static func < (lhs: ExportCursor, rhs: ExportCursor) -> Bool {
        (lhs.xid, lhs.seq) < (rhs.xid, rhs.seq)
    }

    /// "v1." and base64url of "xid.seq": opaque to partners, stable across releases by its version prefix.
    var description: String {
        withText { String(decoding: $0, as: UTF8.self) }
    }

    /// The description's bytes, made on the stack: an export writes one per record, and building a String
    /// through interpolation and arrays cost several allocations each time.
    func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { plain in
            var count = Self.writeDecimal(xid, into: plain, at: 0)
            plain[count] = UInt8(ascii: ".")
            count = Self.writeDecimal(seq, into: plain, at: count + 1)
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 3 + 64) { text in
                text[0] = UInt8(ascii: "v"); text[1] = UInt8(ascii: "1"); text[2] = UInt8(ascii: ".")
                let length = Self.base64URL(UnsafeBufferPointer(rebasing: plain[..<count]), into: text, at: 3)
                return try body(UnsafeBufferPointer(rebasing: text[..<length]))
            }
        }
    }

    /// Writes `value` in decimal at `position`; returns the position after it (at most 20 bytes).
    private static func writeDecimal(_ value: Int64, into buffer: UnsafeMutableBufferPointer<UInt8>, at position: Int) -> Int {
        var position = position
        if value < 0 { buffer[position] = UInt8(ascii: "-"); position += 1 }
        var magnitude = value.magnitude
        var digits = 0
        repeat { digits += 1; magnitude /= 10 } while magnitude > 0
        magnitude = value.magnitude
        for index in stride(from: position + digits - 1, through: position, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        }
        return position + digits
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// RFC 4648 base64url without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: (bytes.count * 4 + 2) / 3 + 1) { text in
                String(decoding: UnsafeBufferPointer(rebasing: text[..<base64URL(bytes, into: text, at: 0)]), as: UTF8.self)
            }
        }
    }

    /// Writes base64url of `bytes` at `position` (room for 4/3 of them is needed); returns the position after it.
    static func base64URL(_ bytes: UnsafeBufferPointer<UInt8>, into text: UnsafeMutableBufferPointer<UInt8>, at position: Int) -> Int {
        var out = position
        func put(_ value: UInt32, _ shift: UInt32) {
            text[out] = alphabet[Int(value >> shift & 63)]
            out += 1
        }
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            put(value, 18); put(value, 12); put(value, 6); put(value, 0)
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let value = UInt32(bytes[index]) << 16
            put(value, 18); put(value, 12)
        case 2:
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            put(value, 18); put(value, 12); put(value, 6)
        default: break
        }
        return out
    }

    init?(_ text: String) {
        guard text.hasPrefix("v1.") else { return nil }
        var base64 = String(text.dropFirst(3)).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else { return nil }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let xid = Int64(parts[0]), let seq = Int64(parts[1]), xid >= 0, seq >= 0 else { return nil }
        self.init(xid: xid, seq: seq)
    }
}

/// Which records a partner may receive: those of its accreditation bodies and those of its courses.
struct RecordScope: Sendable, Equatable {
    var bodies: Set<String>
    var courseIDs: Set<UUID>

    func contains(body: String, courseID: UUID) -> Bool {
        bodies.contains(body) || courseIDs.contains(courseID)
    }

    var isEmpty: Bool { bodies.isEmpty && courseIDs.isEmpty }
}
