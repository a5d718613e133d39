import Foundation

/// The central directory of a zip file, read straight from its bytes: what every entry claims (raw name
/// bytes, flags, method, sizes, file type) before anything is extracted. ZIPFoundation hides the
/// encryption flag and stops its entry listing at the first encrypted entry without saying so, so the
/// archive checks read the directory themselves and use ZIPFoundation only to inflate.
struct ZipCentralDirectory {
    struct Record: Sendable, Equatable {
        var nameBytes: [UInt8]
        var flags: UInt16
        var method: UInt16
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var versionMadeBy: UInt16
        var externalAttributes: UInt32
        /// The UTF-8 name from an Info-ZIP Unicode Path extra field (0x7075) whose checksum matches the raw name.
        var unicodeName: String?

        var isEncrypted: Bool { flags & 0x0001 != 0 || flags & 0x0040 != 0 }
        var declaresUTF8: Bool { flags & 0x0800 != 0 }

        /// Unix file type bits, when the entry was made on Unix or macOS.
        var unixFileType: UInt32? {
            let system = versionMadeBy >> 8
            guard system == 3 || system == 19 else { return nil }
            return (externalAttributes >> 16) & 0o170000
        }

        var isSymbolicLink: Bool { unixFileType == 0o120000 }
    }

    enum ReadError: Error, Equatable {
        case notZip
        case damaged(String)
        case tooManyEntries(declared: UInt64)
    }

    let records: [Record]
    /// How many entries the end-of-central-directory record announces.
    let declaredCount: UInt64

    /// Reads at most `maxEntries` records; a directory announcing more is refused before reading it.
    static func read(_ url: URL, maxEntries: Int) throws -> ZipCentralDirectory {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ReadError.notZip
        }
        defer { try? handle.close() }
        let fileSize = try handle.seekToEnd()
        guard fileSize >= 22 else { throw ReadError.notZip }

        // The end record sits in the last 22 bytes plus at most a 65,535-byte comment.
        let tailLength = min(fileSize, 22 + 65_535)
        try handle.seek(toOffset: fileSize - tailLength)
        let tail = [UInt8](try handle.read(upToCount: Int(tailLength)) ?? Data())
        guard let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { tail.uint32(at: $0) == 0x0605_4b50 }) else {
            throw ReadError.notZip
        }
        var count = UInt64(tail.uint16(at: eocd + 10))
        var directorySize = UInt64(tail.uint32(at: eocd + 12))
        var directoryOffset = UInt64(tail.uint32(at: eocd + 16))

        // ZIP64: a locator just before the end record points to the 64-bit end record.
        let eocdPosition = fileSize - tailLength + UInt64(eocd)
        if eocdPosition >= 20 {
            try handle.seek(toOffset: eocdPosition - 20)
            let locator = [UInt8](try handle.read(upToCount: 20) ?? Data())
            if locator.count == 20, locator.uint32(at: 0) == 0x0706_4b50 {
                let recordOffset = locator.uint64(at: 8)
                guard recordOffset < fileSize else { throw ReadError.damaged("the ZIP64 end record lies outside the file") }
                try handle.seek(toOffset: recordOffset)
                let record = [UInt8](try handle.read(upToCount: 56) ?? Data())
                guard record.count == 56, record.uint32(at: 0) == 0x0606_4b50 else {
                    throw ReadError.damaged("the ZIP64 end record is missing")
                }
                count = record.uint64(at: 32)
                directorySize = record.uint64(at: 40)
                directoryOffset = record.uint64(at: 48)
            }
        }
        guard count <= UInt64(maxEntries) else { throw ReadError.tooManyEntries(declared: count) }
        guard directoryOffset <= fileSize, directorySize <= fileSize - directoryOffset else {
            throw ReadError.damaged("the central directory lies outside the file")
        }

        try handle.seek(toOffset: directoryOffset)
        var records: [Record] = []
        records.reserveCapacity(Int(count))
        var remaining = directorySize
        for _ in 0..<count {
            guard remaining >= 46, let fixed = try handle.read(upToCount: 46).map({ [UInt8]($0) }), fixed.count == 46,
                  fixed.uint32(at: 0) == 0x0201_4b50 else {
                throw ReadError.damaged("entry \(records.count + 1) of the central directory is unreadable")
            }
            let nameLength = Int(fixed.uint16(at: 28))
            let extraLength = Int(fixed.uint16(at: 30))
            let commentLength = Int(fixed.uint16(at: 32))
            let variableLength = nameLength + extraLength + commentLength
            guard UInt64(46 + variableLength) <= remaining else {
                throw ReadError.damaged("entry \(records.count + 1) runs past the end of the central directory")
            }
            let variable = [UInt8](try handle.read(upToCount: variableLength) ?? Data())
            guard variable.count == variableLength else {
                throw ReadError.damaged("entry \(records.count + 1) of the central directory is cut short")
            }
            remaining -= UInt64(46 + variableLength)
            let name = Array(variable[0..<nameLength])
            let extra = Array(variable[nameLength..<(nameLength + extraLength)])
            var record = Record(nameBytes: name, flags: fixed.uint16(at: 8), method: fixed.uint16(at: 10),
                                compressedSize: UInt64(fixed.uint32(at: 20)), uncompressedSize: UInt64(fixed.uint32(at: 24)),
                                versionMadeBy: fixed.uint16(at: 4), externalAttributes: fixed.uint32(at: 38))
            Self.applyExtraFields(extra, to: &record)
            records.append(record)
        }
        return ZipCentralDirectory(records: records, declaredCount: count)
    }

    /// ZIP64 sizes (0x0001) replace the 32-bit ones that are 0xFFFFFFFF; an Info-ZIP Unicode Path (0x7075)
    /// gives the UTF-8 name when its CRC-32 matches the raw name.
    private static func applyExtraFields(_ extra: [UInt8], to record: inout Record) {
        var position = 0
        while position + 4 <= extra.count {
            let tag = extra.uint16(at: position)
            let size = Int(extra.uint16(at: position + 2))
            let start = position + 4
            guard start + size <= extra.count else { return }
            if tag == 0x0001 {
                var field = start
                if record.uncompressedSize == 0xFFFF_FFFF, field + 8 <= start + size {
                    record.uncompressedSize = extra.uint64(at: field)
                    field += 8
                }
                if record.compressedSize == 0xFFFF_FFFF, field + 8 <= start + size {
                    record.compressedSize = extra.uint64(at: field)
                }
            } else if tag == 0x7075, size > 5, extra[start] == 1 {
                let checksum = extra.uint32(at: start + 1)
                if checksum == ZipChecksum.checksum(record.nameBytes),
                   let name = String(validating: extra[(start + 5)..<(start + size)], as: UTF8.self) {
                    record.unicodeName = name
                }
            }
            position = start + size
        }
    }
}

/// The zip format's CRC-32 (polynomial 0xEDB88320), for the Unicode Path field's check of the raw name.
enum ZipChecksum {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}

private extension Array where Element == UInt8 {
    func uint16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func uint32(at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[offset + $1]) << (8 * UInt32($1)) }
    }

    func uint64(at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(self[offset + $1]) << (8 * UInt64($1)) }
    }
}
