import Fluent
import Vapor

/// The signing key, read (or generated) on first use and kept while the application runs.
actor CredentialKeyring {
    private let pem: String?
    private let dataDirectory: String
    private let addresses: CredentialAddresses
    private let logger: Logger
    private var signer: CredentialSigner?

    init(settings: AcademySettings, logger: Logger) {
        pem = settings.credentialKeyPEM
        dataDirectory = settings.dataDirectory
        addresses = CredentialAddresses(site: ExportSite(baseURL: settings.baseURL, academyName: settings.academyName))
        self.logger = logger
    }

    func current() async throws -> CredentialSigner {
        if let signer { return signer }
        let (key, source) = try CredentialSigningKey.load(pem: pem, dataDirectory: dataDirectory)
        if case .generated(let path) = source {
            logger.notice("Generated the credential signing key at \(path); back it up with the database.")
        }
        let made = try await CredentialSigner(privateKey: key, addresses: addresses)
        signer = made
        return made
    }
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

    func credentialIssuance(on database: any Database) async throws -> CredentialIssuance {
        CredentialIssuance(database: database, signer: try await credentialKeyring.current(), addresses: credentialAddresses)
    }
}
