@testable import App
import Foundation
import Testing

/// The QR encoder against published vectors of ISO/IEC 18004 and against whole symbols made by Debian's
/// qrencode 4.1.1 for the same text, level and mask (fixtures in Fixtures/QRCode, made once). When zbarimg is
/// installed, the symbols are also read back by a real decoder.
@Suite struct QRCodeTests {
    static let verifyURL = "https://academy.vivel.be/verify/7K3QD-M9XW2"

    @Test func reedSolomonMatchesPublishedExamples() {
        // Version 1-M, 10 ECC codewords: "01234567" in numeric mode (ISO/IEC 18004, annex I) and
        // "HELLO WORLD" in alphanumeric mode, the usual tutorial example.
        let encoder = ReedSolomonEncoder(eccCount: 10)
        let numeric: [UInt8] = [16, 32, 12, 86, 97, 128, 236, 17, 236, 17, 236, 17, 236, 17, 236, 17]
        let alphanumeric: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]

        #expect(encoder.errorCorrection(for: numeric) == [165, 36, 212, 193, 237, 54, 199, 135, 44, 85])
        #expect(encoder.errorCorrection(for: alphanumeric) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test func formatBitsMatchTheStandardTable() {
        let table: [QRCode.ErrorCorrection: [String]] = [
            .low: ["111011111000100", "111001011110011", "111110110101010", "111100010011101",
                   "110011000101111", "110001100011000", "110110001000001", "110100101110110"],
            .medium: ["101010000010010", "101000100100101", "101111001111100", "101101101001011",
                      "100010111111001", "100000011001110", "100111110010111", "100101010100000"],
            .quartile: ["011010101011111", "011000001101000", "011111100110001", "011101000000110",
                        "010010010110100", "010000110000011", "010111011011010", "010101111101101"],
            .high: ["001011010001001", "001001110111110", "001110011100111", "001100111010000",
                    "000011101100010", "000001001010101", "000110100001100", "000100000111011"],
        ]
        for (level, expected) in table {
            for mask in 0..<8 {
                #expect(QRCode.formatBits(level, mask: mask) == Int(expected[mask], radix: 2), "\(level) mask \(mask)")
            }
        }
    }

    @Test func versionBitsMatchTheStandardTable() {
        #expect(QRCode.versionBits(7) == 0b000111_110010010100)
        #expect(QRCode.versionBits(10) == 0b001010_010011010011)
        #expect(QRCode.versionBits(40) == 0b101000_110001101001)
    }

    @Test func dataModuleCountAgreesWithTheDrawnFunctionPatterns() {
        for version in 1...40 {
            #expect(QRCode.dataModuleCount(version: version) == QRCode.ModuleGrid(version: version).unreservedCount,
                    "version \(version)")
        }
    }

    @Test func byteCapacitiesMatchTheStandardTable() {
        let expected: [(version: Int, QRCode.ErrorCorrection, bytes: Int)] = [
            (1, .low, 17), (1, .medium, 14), (1, .quartile, 11), (1, .high, 7),
            (7, .medium, 122), (10, .low, 271), (10, .medium, 213), (10, .quartile, 151), (10, .high, 119),
            (40, .low, 2953), (40, .medium, 2331), (40, .quartile, 1663), (40, .high, 1273),
        ]
        for (version, level, bytes) in expected {
            #expect(QRCode.byteCapacity(version: version, level) == bytes, "version \(version) \(level)")
        }
    }

    @Test func choosesTheSmallestVersionThatHoldsTheText() throws {
        #expect(try QRCode(text: String(repeating: "a", count: 14)).version == 1)
        #expect(try QRCode(text: String(repeating: "a", count: 15)).version == 2)
        #expect(try QRCode(text: String(repeating: "a", count: 15), errorCorrection: .low).version == 1)
        #expect(try QRCode(text: "é").version == 1)
        let certificate = try QRCode(text: Self.verifyURL)
        #expect(certificate.version == 4)
        #expect(certificate.size == 33)
        let longest = try QRCode(text: String(repeating: "x", count: 2331))
        #expect(longest.version == 40)
        #expect(longest.size == 177)
    }

    @Test func tooLongTextThrowsWithTheLimit() {
        #expect(throws: QRCode.EncodingError.textTooLong(byteCount: 2332, maximumByteCount: 2331, errorCorrection: .medium)) {
            try QRCode(text: String(repeating: "x", count: 2332))
        }
        // Bytes count, not characters: 1,000 × "é" is 2,000 bytes.
        #expect(throws: QRCode.EncodingError.textTooLong(byteCount: 2000, maximumByteCount: 1273, errorCorrection: .high)) {
            try QRCode(text: String(repeating: "é", count: 1000), errorCorrection: .high)
        }
        let message = QRCode.EncodingError.textTooLong(byteCount: 2000, maximumByteCount: 1273, errorCorrection: .high).description
        #expect(message.contains("2000") && message.contains("1273") && message.contains("shorten"))
    }

    @Test func drawsFinderTimingAndDarkModule() throws {
        let code = try QRCode(text: Self.verifyURL)
        let finderRows = ["#######", "#.....#", "#.###.#", "#.###.#", "#.###.#", "#.....#", "#######"]
        for (ox, oy) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
            let drawn = (0..<7).map { y in String((0..<7).map { code.isDark(x: ox + $0, y: oy + y) ? "#" : "." }) }
            #expect(drawn == finderRows, "finder at \(ox),\(oy)")
        }
        for i in 8..<(code.size - 8) {
            #expect(code.isDark(x: i, y: 6) == (i % 2 == 0))
            #expect(code.isDark(x: 6, y: i) == (i % 2 == 0))
        }
        #expect(code.isDark(x: 8, y: code.size - 8))
        #expect(!code.isDark(x: -1, y: 0) && !code.isDark(x: 0, y: code.size))
    }

    struct Fixture {
        let name: String
        let text: String
        let level: QRCode.ErrorCorrection
        let mask: Int
        let rows: [String]

        init(_ name: String) throws {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../Fixtures/QRCode/\(name).txt").standardizedFileURL
            let content = try String(contentsOf: url, encoding: .utf8)
            let parts = content.components(separatedBy: "\n\n")
            var header: [String: String] = [:]
            for line in parts[0].split(separator: "\n") {
                let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                header[pair[0]] = pair[1]
            }
            self.name = name
            text = try #require(header["text"])
            level = try #require(["L": .low, "M": .medium, "Q": .quartile, "H": .high][header["level"] ?? ""])
            mask = try #require(header["mask"].flatMap { Int($0) })
            rows = parts[1].split(separator: "\n").map(String.init)
        }
    }

    /// Between them the fixtures hold every mask, levels L to H, versions 1 to 11 (7 and up carry version
    /// information, 10 and up a 16-bit length) and a text beyond ASCII.
    @Test(arguments: ["verify-url-M", "verify-url-H", "long-url-M", "unicode-Q", "hello-world-L", "version-11-L",
                      "mask-0-M", "mask-1-M", "mask-5-L", "mask-6-L", "mask-7-L"])
    func matchesQrencodeModuleForModule(_ name: String) throws {
        let fixture = try Fixture(name)

        let code = try QRCode(bytes: Array(fixture.text.utf8), errorCorrection: fixture.level, mask: fixture.mask)

        let drawn = (0..<code.size).map { y in String((0..<code.size).map { code.isDark(x: $0, y: y) ? "#" : "." }) }
        #expect(drawn.count == fixture.rows.count)
        let differing = zip(drawn, fixture.rows).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differing.isEmpty, "rows \(differing) differ from qrencode's")
    }

    @Test func svgIsOneAccessibleScalablePathOfTheDarkModules() throws {
        let code = try QRCode(text: Self.verifyURL)

        let svg = code.svg(moduleSize: 3, quietZone: 4, title: "Verify <certificate> & \"more\"")

        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""))
        #expect(svg.contains("<title>Verify &lt;certificate&gt; &amp; &quot;more&quot;</title>"))
        #expect(svg.contains("viewBox=\"0 0 41 41\"") && svg.contains("width=\"123\" height=\"123\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        // Every run is "M x y h n v1 h-n z": the runs must cover exactly the dark modules.
        let path = try #require(svg.range(of: "d=\"").map { svg[$0.upperBound...].prefix { $0 != "\"" } })
        var covered = Set<[Int]>()
        for run in path.split(separator: "z") {
            let numbers = run.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            for x in numbers[0]..<(numbers[0] + numbers[2]) { covered.insert([x - 4, numbers[1] - 4]) }
        }
        let dark = Set((0..<code.size).flatMap { y in (0..<code.size).filter { code.isDark(x: $0, y: y) }.map { [$0, y] } })
        #expect(covered == dark)
    }

    @Test func automaticMaskIsValidAndFixedMaskIsHonoured() throws {
        let automatic = try QRCode(text: Self.verifyURL)
        #expect((0..<8).contains(automatic.mask))
        for mask in 0..<8 {
            #expect(try QRCode(bytes: Array(Self.verifyURL.utf8), mask: mask).mask == mask)
        }
    }

    static let zbarimg = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: zbarimg != nil, "zbarimg (Debian zbar-tools) is not installed"),
          arguments: QRCode.ErrorCorrection.allCases)
    func zbarimgReadsBackTheText(_ level: QRCode.ErrorCorrection) throws {
        let texts = [Self.verifyURL, "https://academy.vivel.be/verify/" + String(repeating: "Q7", count: 44),
                     "Getuigschrift Wondzorg — Zoë Dupré ✓", String(repeating: "0123456789", count: 30)]
        for text in texts {
            let code = try QRCode(text: text, errorCorrection: level)

            #expect(try Self.decodeWithZbarimg(code) == text, "version \(code.version) \(level) mask \(code.mask)")
        }
    }

    @Test(.enabled(if: zbarimg != nil, "zbarimg (Debian zbar-tools) is not installed"), arguments: 0..<8)
    func zbarimgReadsEveryMask(_ mask: Int) throws {
        let code = try QRCode(bytes: Array(Self.verifyURL.utf8), errorCorrection: .quartile, mask: mask)

        #expect(try Self.decodeWithZbarimg(code) == Self.verifyURL)
    }

    /// Renders the symbol with its quiet zone as a plain PBM (zbarimg reads it through ImageMagick) and
    /// returns what zbarimg decodes.
    static func decodeWithZbarimg(_ code: QRCode, scale: Int = 3) throws -> String {
        let side = (code.size + 8) * scale
        var pbm = "P1\n\(side) \(side)\n"
        for py in 0..<side {
            pbm += String((0..<side).map { px in code.isDark(x: px / scale - 4, y: py / scale - 4) ? "1" : "0" }) + "\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qrcode-\(UUID().uuidString).pbm")
        try pbm.write(to: file, atomically: true, encoding: .ascii)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(zbarimg))
        process.arguments = ["-q", "--raw", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
