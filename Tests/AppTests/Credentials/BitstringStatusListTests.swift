@testable import App
import Foundation
import Testing

/// The revocation status list: bit order, GZIP and multibase encoding, the 16 KB minimum.
@Suite struct BitstringStatusListTests {
    @Test func indexZeroIsTheLeftMostBitOfTheFirstByte() throws {
        let list = try BitstringStatusList(setting: [0, 9, 131_071])

        #expect(list.bytes[0] == 0b1000_0000 && list.bytes[1] == 0b0100_0000 && list.bytes.last == 0b0000_0001)
        #expect(list.isSet(0) && list.isSet(9) && list.isSet(131_071) && !list.isSet(1) && !list.isSet(8))
        #expect(list.length == BitstringStatusList.minimumLength && !list.isSet(131_072))
        #expect(throws: BitstringStatusList.Failure.negativeIndex(-1)) { try BitstringStatusList(setting: [-1]) }
    }

    @Test func theListIsAtLeast16KBAndGrowsInWholeBlocks() throws {
        var list = BitstringStatusList()
        list.set(200_000)

        #expect(BitstringStatusList().bytes.count == 16_384)
        #expect(list.length == 2 * BitstringStatusList.minimumLength && list.isSet(200_000))
    }

    @Test func theEncodedListIsMultibaseBase64URLOfGzipAndReadsBack() throws {
        let list = try BitstringStatusList(setting: [3, 4_242])
        let encoded = try list.encodedList()
        let gzip = try #require(Base64URL.decode(encoded.dropFirst()))

        #expect(encoded.hasPrefix("uH4sI"), "multibase 'u' and the GZIP magic 1f 8b 08")
        #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
        #expect(encoded.count < 400, "16 KB of nearly all zeros compresses to a few hundred bytes, not \(encoded.count)")
        #expect(Array(gzip.prefix(3)) == [0x1F, 0x8B, 8])
        #expect(try BitstringStatusList(encodedList: encoded) == list)
        #expect(throws: BitstringStatusList.Failure.notMultibaseBase64URL) { try BitstringStatusList(encodedList: "z" + encoded.dropFirst()) }
    }

    /// Our GZIP read by another implementation: Python's gzip module, when python3 is there.
    @Test func pythonsGzipReadsTheSameBits() throws {
        let encoded = try BitstringStatusList(setting: [5]).encodedList()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import base64, gzip, sys
            text = sys.argv[1][1:]
            data = gzip.decompress(base64.urlsafe_b64decode(text + '=' * (-len(text) % 4)))
            print(len(data), data[0])
            """, encoded]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus != 127 else { return }

        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "16384 4", "bit 5 is 0b00000100 in the first byte")
    }

    @Test func gzipRefusesDamagedData() throws {
        var compressed = try Gzip.compress(Array("status".utf8))
        let intact = try Gzip.decompress(compressed)
        compressed[compressed.count - 6] ^= 0xFF

        #expect(intact == Array("status".utf8))
        #expect(throws: Gzip.Failure.checksumMismatch) { try Gzip.decompress(compressed) }
        #expect(throws: Gzip.Failure.notGzip) { try Gzip.decompress(Array("not gzip at all, clearly".utf8)) }
        #expect(throws: (any Error).self) { try Gzip.decompress(Array(compressed.prefix(14)) + [0, 0, 0, 0, 0, 0, 0, 0]) }
    }
}

@Suite struct CredentialSigningKeyTests {
    static func folder() -> String { NSTemporaryDirectory() + "credential-key-\(UUID().uuidString)" }

    @Test func aKeyIsGeneratedOnceAndKeptPrivateInTheDataDirectory() throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let first = try CredentialSigningKey.load(pem: nil, dataDirectory: directory)
        let second = try CredentialSigningKey.load(pem: nil, dataDirectory: directory)
        let path = directory + "/" + CredentialSigningKey.fileName
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int

        #expect(first.source == .generated(path) && second.source == .file(path))
        #expect(first.key == second.key)
        #expect(permissions == 0o600)
    }

    @Test func aKeyFromTheEnvironmentWinsAndAnUnreadableOneIsExplained() throws {
        let directory = Self.folder(), elsewhere = Self.folder()
        defer { for path in [directory, elsewhere] { try? FileManager.default.removeItem(atPath: path) } }
        let pem = try CredentialSigningKey.load(pem: nil, dataDirectory: elsewhere).key.pemRepresentation

        let fromEnvironment = try CredentialSigningKey.load(pem: pem.replacingOccurrences(of: "\n", with: "\\n"), dataDirectory: directory)

        #expect(fromEnvironment.source == .environment && fromEnvironment.key.pemRepresentation == pem)
        #expect(!FileManager.default.fileExists(atPath: directory + "/" + CredentialSigningKey.fileName))
        #expect(throws: CredentialSigningKey.Failure.self) { try CredentialSigningKey.load(pem: "not a key", dataDirectory: directory) }
    }
}
