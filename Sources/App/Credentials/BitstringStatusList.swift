import Foundation

/// The W3C Bitstring Status List v1.0: one bit per issued credential, set when the credential no longer
/// stands. Index 0 is the left-most (most significant) bit of the first byte. The list is at least
/// 131,072 bits (16 KB) so that a set bit does not single out a person, and grows in steps of that size.
struct BitstringStatusList: Sendable, Equatable {
    static let minimumLength = 131_072

    enum Failure: Error, Equatable, CustomStringConvertible {
        case notMultibaseBase64URL
        case tooShort(Int)
        case negativeIndex(Int)

        var description: String {
            switch self {
            case .notMultibaseBase64URL: "encodedList must be multibase base64url: a 'u' followed by base64url without padding."
            case .tooShort(let bits): "The status list has \(bits) bits; at least \(BitstringStatusList.minimumLength) are required."
            case .negativeIndex(let index): "A status list index cannot be negative (\(index))."
            }
        }
    }

    private(set) var bytes: [UInt8]

    var length: Int { bytes.count * 8 }

    /// An empty list long enough for `length` bits, rounded up to whole blocks of `minimumLength`.
    init(length: Int = minimumLength) {
        let blocks = max(1, (length + Self.minimumLength - 1) / Self.minimumLength)
        bytes = [UInt8](repeating: 0, count: blocks * Self.minimumLength / 8)
    }

    /// A list with exactly these bits set.
    init(setting indexes: some Sequence<Int>) throws {
        let indexes = Array(indexes)
        if let negative = indexes.first(where: { $0 < 0 }) { throw Failure.negativeIndex(negative) }
        self.init(length: (indexes.max() ?? 0) + 1)
        for index in indexes { set(index) }
    }

    mutating func set(_ index: Int) {
        precondition(index >= 0, "status list indexes are never negative")
        if index >= length {
            let grown = BitstringStatusList(length: index + 1)
            bytes += [UInt8](repeating: 0, count: grown.bytes.count - bytes.count)
        }
        bytes[index / 8] |= 0x80 >> UInt8(index % 8)
    }

    func isSet(_ index: Int) -> Bool {
        guard index >= 0, index < length else { return false }
        return bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// What `encodedList` holds: multibase ("u") base64url of the GZIP-compressed bitstring.
    func encodedList() throws -> String {
        "u" + Base64URL.encode(try Gzip.compress(bytes))
    }

    init(encodedList: String) throws {
        guard encodedList.hasPrefix("u"), let compressed = Base64URL.decode(encodedList.dropFirst()) else {
            throw Failure.notMultibaseBase64URL
        }
        let bytes = try Gzip.decompress(compressed)
        guard bytes.count * 8 >= Self.minimumLength else { throw Failure.tooShort(bytes.count * 8) }
        self.bytes = bytes
    }
}
