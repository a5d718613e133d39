import Foundation

/// A QR Code (ISO/IEC 18004) of a text in byte mode (UTF-8), in the smallest version (1 to 40) that holds
/// it at the chosen error-correction level, with the mask of least penalty. Certificates print one of
/// their verification URL.
struct QRCode: Sendable {
    enum ErrorCorrection: Sendable, CaseIterable {
        /// Recovers about 7 %, 15 %, 25 % and 30 % of damaged codewords.
        case low, medium, quartile, high
    }

    enum EncodingError: Error, Equatable, CustomStringConvertible {
        case textTooLong(byteCount: Int, maximumByteCount: Int, errorCorrection: ErrorCorrection)

        var description: String {
            switch self {
            case let .textTooLong(byteCount, maximum, level):
                "The text is \(byteCount) bytes in UTF-8, but a QR code at error correction \(level) holds at most "
                    + "\(maximum): shorten the text or choose a lower error-correction level."
            }
        }
    }

    /// Modules per side, without the quiet zone: 17 + 4 × version.
    let size: Int
    let version: Int
    let errorCorrection: ErrorCorrection
    let mask: Int
    /// Row by row, true for dark.
    private let modules: [Bool]

    init(text: String, errorCorrection: ErrorCorrection = .medium) throws {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection)
    }

    /// `mask` forces one of the eight masks (tests compare with other encoders); nil picks the best.
    init(bytes: [UInt8], errorCorrection: ErrorCorrection = .medium, mask forcedMask: Int? = nil) throws {
        precondition(forcedMask.map { (0..<8).contains($0) } ?? true, "a QR mask is 0 to 7")
        guard let version = (1...40).first(where: { Self.fits(bytes.count, version: $0, errorCorrection) }) else {
            throw EncodingError.textTooLong(byteCount: bytes.count,
                                            maximumByteCount: Self.byteCapacity(version: 40, errorCorrection),
                                            errorCorrection: errorCorrection)
        }
        let codewords = Self.codewords(for: bytes, version: version, errorCorrection)
        var grid = ModuleGrid(version: version)
        grid.place(codewords)

        var best: (mask: Int, penalty: Int, dark: [Bool])?
        for mask in forcedMask.map({ [$0] }) ?? Array(0..<8) {
            var candidate = grid
            candidate.applyMask(mask)
            candidate.drawFormat(Self.formatBits(errorCorrection, mask: mask))
            let penalty = forcedMask == nil ? candidate.penalty() : 0
            if best == nil || penalty < best!.penalty { best = (mask, penalty, candidate.dark) }
        }
        self.size = grid.size
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = best!.mask
        self.modules = best!.dark
    }

    /// Outside the symbol (the quiet zone) every module is light.
    func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// An SVG in module units (the viewBox), so it scales crisply to any print size; `moduleSize` only sets
    /// the default width and height in pixels. Dark modules are one path of horizontal runs on a white
    /// background that includes the quiet zone.
    func svg(moduleSize: Int = 4, quietZone: Int = 4, title: String) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size, isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" width="\(side * moduleSize)" height="\(side * moduleSize)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges"><title>\(Self.escapedXML(title))</title>\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    private static func escapedXML(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

// MARK: - Capacity and codewords

extension QRCode {
    /// Error-correction codewords per block and number of blocks, versions 1 to 40 (ISO/IEC 18004, table 9).
    private static func blockStructure(version: Int, _ level: ErrorCorrection) -> (eccPerBlock: Int, blocks: Int) {
        let eccPerBlock: [Int]
        let blocks: [Int]
        switch level {
        case .low:
            eccPerBlock = [7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
                           28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]
            blocks = [1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
                      8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25]
        case .medium:
            eccPerBlock = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
                           26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28]
            blocks = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
                      17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49]
        case .quartile:
            eccPerBlock = [13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
                           28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]
            blocks = [1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
                      23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68]
        case .high:
            eccPerBlock = [17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
                           30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30]
            blocks = [1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
                      25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81]
        }
        return (eccPerBlock[version - 1], blocks[version - 1])
    }

    /// Modules left for data and error correction once the function patterns and the format and version
    /// areas are taken: finders with separators 3 × 64, format 31 (with the dark module), timing, the
    /// alignment patterns (25 each, 5 fewer where they cross a timing line) and version 2 × 18.
    static func dataModuleCount(version: Int) -> Int {
        let size = 17 + 4 * version
        var count = size * size - 3 * 64 - 31 - 2 * (size - 16)
        if version >= 2 {
            let positions = version / 7 + 2
            count -= 25 * (positions * positions - 3) - 10 * (positions - 2)
        }
        if version >= 7 { count -= 36 }
        return count
    }

    static func dataCodewordCount(version: Int, _ level: ErrorCorrection) -> Int {
        let (eccPerBlock, blocks) = blockStructure(version: version, level)
        return dataModuleCount(version: version) / 8 - eccPerBlock * blocks
    }

    /// The character count indicator of byte mode has 8 bits up to version 9, 16 from version 10.
    private static func countBits(version: Int) -> Int { version < 10 ? 8 : 16 }

    static func byteCapacity(version: Int, _ level: ErrorCorrection) -> Int {
        (dataCodewordCount(version: version, level) * 8 - 4 - countBits(version: version)) / 8
    }

    private static func fits(_ byteCount: Int, version: Int, _ level: ErrorCorrection) -> Bool {
        byteCount <= byteCapacity(version: version, level)
    }

    /// The final codeword sequence: the data padded to capacity, split into blocks, each block given its
    /// Reed–Solomon codewords, then data and ECC interleaved block by block.
    static func codewords(for bytes: [UInt8], version: Int, _ level: ErrorCorrection) -> [UInt8] {
        let capacity = dataCodewordCount(version: version, level)
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits(version: version))
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var padding: [UInt8] = [0xEC, 0x11]
        while data.count < capacity {
            data.append(padding[0])
            padding.reverse()
        }

        let (eccPerBlock, blockCount) = blockStructure(version: version, level)
        let total = dataModuleCount(version: version) / 8
        // The last (total mod blocks) blocks hold one data codeword more than the first ones.
        let longBlocks = total % blockCount
        let shortDataLength = total / blockCount - eccPerBlock
        let encoder = ReedSolomonEncoder(eccCount: eccPerBlock)
        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortDataLength + (index >= blockCount - longBlocks ? 1 : 0)
            let block = Array(data[offset..<offset + length])
            offset += length
            dataBlocks.append(block)
            eccBlocks.append(encoder.errorCorrection(for: block))
        }
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for i in 0...shortDataLength {
            for block in dataBlocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<eccPerBlock {
            for block in eccBlocks { result.append(block[i]) }
        }
        return result
    }

    /// 2 bits of level and 3 of mask, a BCH(15,5) remainder, xored with 101010000010010 so that the
    /// format is never all light.
    static func formatBits(_ level: ErrorCorrection, mask: Int) -> Int {
        let levelBits = switch level {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
        let data = levelBits << 3 | mask
        return (data << 10 | bchRemainder(data << 10, generator: 0x537)) ^ 0x5412
    }

    /// 6 bits of version and a BCH(18,6) remainder.
    static func versionBits(_ version: Int) -> Int {
        version << 12 | bchRemainder(version << 12, generator: 0x1F25)
    }

    private static func bchRemainder(_ value: Int, generator: Int) -> Int {
        let generatorDegree = Int.bitWidth - generator.leadingZeroBitCount - 1
        var remainder = value
        while remainder != 0, Int.bitWidth - remainder.leadingZeroBitCount - 1 >= generatorDegree {
            remainder ^= generator << (Int.bitWidth - remainder.leadingZeroBitCount - 1 - generatorDegree)
        }
        return remainder
    }
}

private struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count length: Int) {
        for shift in stride(from: length - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> shift) & 1 == 1 { bytes[count / 8] |= 0x80 >> (count % 8) }
            count += 1
        }
    }
}

// MARK: - Module grid

extension QRCode {
    /// Centre coordinates of alignment patterns per version (ISO/IEC 18004, annex E); each pattern sits on
    /// every pair of them except the three that would overlap a finder.
    static func alignmentCentres(version: Int) -> [Int] {
        let table: [[Int]] = [
            [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
            [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74],
            [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90], [6, 28, 50, 72, 94],
            [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110],
            [6, 30, 58, 86, 114], [6, 34, 62, 90, 118], [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126],
            [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138],
            [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146], [6, 30, 54, 78, 102, 126, 150],
            [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158], [6, 32, 58, 84, 110, 136, 162],
            [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
        ]
        return table[version - 1]
    }

    struct ModuleGrid {
        let size: Int
        var dark: [Bool]
        /// Function patterns and the format and version areas: neither data nor masked.
        private(set) var reserved: [Bool]

        init(version: Int) {
            size = 17 + 4 * version
            dark = Array(repeating: false, count: size * size)
            reserved = Array(repeating: false, count: size * size)

            for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                // The finder (7 × 7) and its light separator: a 9 × 9 square clipped by the edges.
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                        let ring = max(abs(dx), abs(dy))
                        set(x + dx, y + dy, dark: ring != 2 && ring != 4)
                    }
                }
            }
            for i in 8..<(size - 8) {
                set(i, 6, dark: i % 2 == 0)
                set(6, i, dark: i % 2 == 0)
            }
            let centres = QRCode.alignmentCentres(version: version)
            for cy in centres {
                for cx in centres where !Self.overlapsFinder(cx, cy, centres) {
                    for dy in -2...2 {
                        for dx in -2...2 { set(cx + dx, cy + dy, dark: max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            // Format areas are reserved now and drawn per mask; the lone dark module is always there.
            for i in 0..<9 {
                reserved[8 * size + i] = true
                reserved[i * size + 8] = true
            }
            for i in 0..<8 {
                reserved[8 * size + size - 1 - i] = true
                reserved[(size - 1 - i) * size + 8] = true
            }
            set(8, size - 8, dark: true)
            if version >= 7 {
                let bits = QRCode.versionBits(version)
                for i in 0..<18 {
                    let on = (bits >> i) & 1 == 1
                    set(i / 3, size - 11 + i % 3, dark: on)
                    set(size - 11 + i % 3, i / 3, dark: on)
                }
            }
        }

        private static func overlapsFinder(_ x: Int, _ y: Int, _ centres: [Int]) -> Bool {
            let first = centres.first, last = centres.last
            return (x == first && y == first) || (x == first && y == last) || (x == last && y == first)
        }

        private mutating func set(_ x: Int, _ y: Int, dark isDark: Bool) {
            dark[y * size + x] = isDark
            reserved[y * size + x] = true
        }

        var unreservedCount: Int { reserved.lazy.filter { !$0 }.count }

        /// Codeword bits, most significant first, in two-module columns from the bottom right, upwards
        /// then downwards, skipping the vertical timing column. Remainder bits stay light.
        mutating func place(_ codewords: [UInt8]) {
            var bitIndex = 0
            var right = size - 1
            var upwards = true
            while right > 0 {
                if right == 6 { right = 5 }
                for step in 0..<size {
                    let y = upwards ? size - 1 - step : step
                    for x in [right, right - 1] where !reserved[y * size + x] {
                        if bitIndex < codewords.count * 8 {
                            dark[y * size + x] = (codewords[bitIndex / 8] >> (7 - bitIndex % 8)) & 1 == 1
                        }
                        bitIndex += 1
                    }
                }
                upwards.toggle()
                right -= 2
            }
        }

        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !reserved[y * size + x] {
                    let flip = switch mask {
                    case 0: (y + x) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (y + x) % 3 == 0
                    case 4: (y / 2 + x / 3) % 2 == 0
                    case 5: (y * x) % 2 + (y * x) % 3 == 0
                    case 6: ((y * x) % 2 + (y * x) % 3) % 2 == 0
                    default: ((y + x) % 2 + (y * x) % 3) % 2 == 0
                    }
                    if flip { dark[y * size + x].toggle() }
                }
            }
        }

        /// Bit 0 of the format is the least significant; the two copies run around the top-left finder and
        /// split between the bottom-left and top-right finders.
        mutating func drawFormat(_ bits: Int) {
            for i in 0..<15 {
                let on = (bits >> i) & 1 == 1
                let (x1, y1) = i < 6 ? (8, i) : i < 8 ? (8, i + 1) : i == 8 ? (7, 8) : (14 - i, 8)
                dark[y1 * size + x1] = on
                let (x2, y2) = i < 8 ? (size - 1 - i, 8) : (8, size - 15 + i)
                dark[y2 * size + x2] = on
            }
        }

        /// The four penalty rules of ISO/IEC 18004 (7.8.3): runs of five or more in a line, 2 × 2 blocks
        /// of one colour, finder-like 1:1:3:1:1 patterns with four light modules beside them, and the
        /// share of dark modules away from half.
        func penalty() -> Int {
            var score = 0
            for line in 0..<size {
                var row: [Bool] = []
                var column: [Bool] = []
                for i in 0..<size {
                    row.append(dark[line * size + i])
                    column.append(dark[i * size + line])
                }
                score += Self.linePenalty(row) + Self.linePenalty(column)
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let colour = dark[y * size + x]
                    if dark[y * size + x + 1] == colour, dark[(y + 1) * size + x] == colour,
                       dark[(y + 1) * size + x + 1] == colour {
                        score += 3
                    }
                }
            }
            let darkCount = dark.lazy.filter { $0 }.count
            let deviation = abs(darkCount * 100 / (size * size) - 50)
            score += deviation / 5 * 10
            return score
        }

        private static let finderLike: [Bool] = [true, false, true, true, true, false, true]

        private static func linePenalty(_ line: [Bool]) -> Int {
            var score = 0
            var runStart = 0
            for i in 1...line.count where i == line.count || line[i] != line[runStart] {
                let length = i - runStart
                if length >= 5 { score += 3 + length - 5 }
                runStart = i
            }
            let light = [Bool](repeating: false, count: 4)
            for start in 0...(line.count - 11) {
                let window = Array(line[start..<start + 11])
                if window == light + finderLike || window == finderLike + light { score += 40 }
            }
            return score
        }
    }
}
