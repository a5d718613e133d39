import Fluent
import Vapor

/// The signing key, read (or generated) on first use and kept while the application runs; read again when the
/// key file changes (`academy credentials rotate-key` run by another process).
actor CredentialKeyring {
    private let pem: String?
    private let dataDirectory: String
    private let addresses: CredentialAddresses
    private let logger: Logger
    private var signer: CredentialSigner?
    private var loadedFile: (path: String, identity: String?)?

    init(settings: AcademySettings, logger: Logger) {
        pem = settings.credentialKeyPEM
        dataDirectory = settings.dataDirectory
        addresses = CredentialAddresses(site: ExportSite(baseURL: settings.baseURL, academyName: settings.academyName))
        self.logger = logger
    }

    func current() async throws -> CredentialSigner {
        if let signer, loadedFile.map({ CredentialSigningKey.fileIdentity($0.path) == $0.identity }) ?? true { return signer }
        let (key, source) = try CredentialSigningKey.load(pem: pem, dataDirectory: dataDirectory)
        switch source {
        case .environment:
            loadedFile = nil
        case .file(let path):
            loadedFile = (path, CredentialSigningKey.fileIdentity(path))
        case .generated(let path):
            loadedFile = (path, CredentialSigningKey.fileIdentity(path))
            logger.notice("Generated the credential signing key at \(path); back it up with the database.")
        }
        let made = try await CredentialSigner(privateKey: key, addresses: addresses)
        signer = made
        return made
    }

    var settings: (pem: String?, dataDirectory: String) { (pem, dataDirectory) }
}

extension Application {
    private struct CredentialKeyringKey: StorageKey, LockKey {
        typealias Value = CredentialKeyring
    }

    var credentialKeyring: CredentialKeyring {
        locks.lock(for: CredentialKeyringKey.self).withLock {
            if let existing = storage[CredentialKeyringKey.self] { return existing }
            let keyring = CredentialKeyring(settings: academySettings, logger: logger)
            storage[CredentialKeyringKey.self] = keyring
            return keyring
        }
    }

    var credentialAddresses: CredentialAddresses {
        CredentialAddresses(site: ExportSite(baseURL: academySettings.baseURL, academyName: academySettings.academyName))
    }

    func credentialKeyStore(on database: any Database) -> CredentialKeyStore {
        CredentialKeyStore(database: database, addresses: credentialAddresses)
    }

    func credentialKeyRotation(on database: any Database) -> CredentialKeyRotation {
        CredentialKeyRotation(store: credentialKeyStore(on: database), dataDirectory: academySettings.dataDirectory,
                              environmentPEM: academySettings.credentialKeyPEM)
    }

    func credentialIssuance(on database: any Database) async throws -> CredentialIssuance {
        CredentialIssuance(database: database, signer: try await credentialKeyring.current(), addresses: credentialAddresses)
    }
}
