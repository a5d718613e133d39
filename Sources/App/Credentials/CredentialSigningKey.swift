import Foundation
import JWTKit

/// The academy's P-256 signing key: from ACADEMY_CREDENTIAL_KEY (a PEM private key) when set, else from a
/// file in the data directory, generated there on first use and kept (0600). Losing that file means every
/// credential issued so far can no longer be verified: back it up with the database.
enum CredentialSigningKey {
    static let fileName = "credential-signing-key.pem"

    enum Source: Sendable, Equatable {
        case environment
        case file(String)
        case generated(String)
    }

    enum Failure: Error, CustomStringConvertible {
        case unreadablePEM(origin: String, reason: String)
        case cannotWrite(String, reason: String)

        var description: String {
            switch self {
            case .unreadablePEM(let origin, let reason):
                "\(origin) is not a P-256 private key in PEM form (\(reason)). Create one with "
                    + "`openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt`."
            case .cannotWrite(let path, let reason):
                "The credential signing key could not be written to \(path) (\(reason)). Make the data directory "
                    + "writable or set ACADEMY_CREDENTIAL_KEY."
            }
        }
    }

    static func load(pem: String?, dataDirectory: String) throws -> (key: ES256PrivateKey, source: Source) {
        if let pem, !pem.isEmpty {
            // Container environments often carry the PEM on one line with literal "\n".
            let text = pem.contains("\n") ? pem : pem.replacingOccurrences(of: "\\n", with: "\n")
            do {
                return (try ES256PrivateKey(pem: text), .environment)
            } catch {
                throw Failure.unreadablePEM(origin: "ACADEMY_CREDENTIAL_KEY", reason: String(describing: error))
            }
        }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path
        if let existing = try read(path) { return (existing, .file(path)) }
        let key = ES256PrivateKey()
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            // Without overwriting: a second process that starts at the same moment keeps the first one's key.
            try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: path), options: [.withoutOverwriting])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            if let existing = try read(path) { return (existing, .file(path)) }
            throw Failure.cannotWrite(path, reason: String(describing: error))
        }
        return (key, .generated(path))
    }

    private static func read(_ path: String) throws -> ES256PrivateKey? {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        do {
            return try ES256PrivateKey(pem: String(decoding: data, as: UTF8.self))
        } catch {
            throw Failure.unreadablePEM(origin: path, reason: String(describing: error))
        }
    }
}
