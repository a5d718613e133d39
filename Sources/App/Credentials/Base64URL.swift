import Foundation

/// RFC 4648 base64url without padding, as JOSE and multibase ("u") use it.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        ExportCursor.base64URL(Array(bytes))
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var base64 = String(text).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
