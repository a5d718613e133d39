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

    /// Rotation: writes `key` as the new key file (0600, complete before it takes the old one's place) and keeps
    /// the old file beside it as `credential-signing-key-<suffix>.pem`. Returns that path.
    static func replace(at path: String, with key: ES256PrivateKey, keepingPreviousAs suffix: String) throws -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let fresh = folder.appendingPathComponent(".\(fileName).\(UUID().uuidString)").path
        let kept = folder.appendingPathComponent("credential-signing-key-\(suffix).pem").path
        do {
            try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: fresh), options: [.withoutOverwriting])
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fresh)
            if FileManager.default.fileExists(atPath: path) {
                if FileManager.default.fileExists(atPath: kept) { try FileManager.default.removeItem(atPath: kept) }
                try FileManager.default.moveItem(atPath: path, toPath: kept)
            }
            try FileManager.default.moveItem(atPath: fresh, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: fresh)
            throw Failure.cannotWrite(path, reason: String(describing: error))
        }
        return kept
    }

    /// What tells a running server that the key file changed (a rotation by another process).
    static func fileIdentity(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.stringValue ?? ""
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(inode)/\(modified)"
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
