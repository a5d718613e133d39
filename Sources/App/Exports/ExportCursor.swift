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
        "v1." + Self.base64URL(Array("\(xid).\(seq)".utf8))
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// RFC 4648 base64url without padding; written out by hand because it runs once per exported record.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)], alphabet[Int(value & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let value = UInt32(bytes[index]) << 16
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)]]
        } else if rest == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)]]
        }
        return String(decoding: output, as: UTF8.self)
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
