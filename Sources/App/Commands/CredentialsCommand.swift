import Fluent
import Vapor

/// `academy credentials keys|rotate-key|retire-key|verify`: the keys that sign the academy's credentials.
struct CredentialsCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["keys": ListSigningKeysCommand(), "rotate-key": RotateSigningKeyCommand(), "retire-key": RetireSigningKeyCommand(),
         "verify": VerifyCredentialCommand()]
    }
    var help: String { "Manages the credential signing keys (rotation, retirement) and checks signed credentials" }

    /// "YYYY-MM-DD" (the start of that day in Brussels) or a full ISO 8601 moment.
    static func moment(_ text: String, option: String) throws -> Date {
        if let date = CredentialDate.parse(text) { return date }
        if let day = CalendarDay(iso: text) { return day.start() }
        throw CommandFailure("\(option) '\(text)' is not a date: write YYYY-MM-DD or 2027-01-31T00:00:00Z")
    }

    static func audit(_ action: String, key: PublishedSigningKey, before: PublishedSigningKey.Summary?, on db: any Database) async throws {
        try await AuditTrail(database: db).record(actor: nil, action: action, subjectType: "credential-signing-key",
                                                  subjectID: key.thumbprint, before: before, after: key.summary, reason: "command line")
    }
}

extension PublishedSigningKey {
    /// What the audit trail keeps of a key (public data only).
    struct Summary: Encodable {
        let thumbprint: String
        let createdAt: Date
        let retireAfter: Date?
    }

    var summary: Summary { Summary(thumbprint: thumbprint, createdAt: createdAt, retireAfter: retireAfter) }
}

struct ListSigningKeysCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Lists the signing keys: current, earlier (published) and retired" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let current = try await app.credentialKeyring.current()
        let store = app.credentialKeyStore(on: app.db)
        try await store.register(current)
        let now = Date()
        for key in try await store.all() {
            let state = key.thumbprint == current.thumbprint ? "current"
                : key.isRetired(at: now) ? "retired since \(CredentialDate.string(key.retireAfter!))"
                : key.retireAfter.map { "published until \(CredentialDate.string($0))" } ?? "published"
            context.console.print("\(store.addresses.keyURL(thumbprint: key.thumbprint))\t\(state)\tsince \(CredentialDate.string(key.createdAt))")
        }
    }
}

struct RotateSigningKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "retire-previous-after", help: "Stop publishing the previous key from this date (YYYY-MM-DD); default: keep it")
        var retirePreviousAfter: String?
    }

    var help: String { "Makes a new ES256 key current; the previous one stays published so earlier credentials still verify" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let retire = try signature.retirePreviousAfter.map { try CredentialsCommand.moment($0, option: "--retire-previous-after") }
        let outcome = try await app.credentialKeyRotation(on: app.db).rotate(retirePreviousAfter: retire)
        try await CredentialsCommand.audit("credentials.key.rotated", key: outcome.previous, before: nil, on: app.db)
        context.console.print("Previous key: \(outcome.current.keyID.replacingOccurrences(of: outcome.current.thumbprint, with: outcome.previous.thumbprint))")
        context.console.print("Current key:  \(outcome.current.keyID)")
        if let pem = outcome.pemForEnvironment {
            context.console.print("The key comes from ACADEMY_CREDENTIAL_KEY: set it to this PEM on every instance and restart them:")
            context.console.print(pem)
        }
        if let kept = outcome.previousKeyFile {
            context.console.print("The previous private key was moved to \(kept); delete it (and its backups) if the key was compromised.")
        }
        context.console.print("Running servers pick up the new key file by themselves; the status list is signed with it from now on.")
    }
}

struct RetireSigningKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "key", help: "The key's kid (URL) or thumbprint, as `academy credentials keys` lists it")
        var key: String
        @Option(name: "after", help: "From when on (YYYY-MM-DD or ISO 8601; default now)")
        var after: String?
    }

    var help: String { "Stops publishing an earlier signing key; its credentials are reported as signed with a retired key" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let after = try signature.after.map { try CredentialsCommand.moment($0, option: "--after") } ?? Date()
        let store = app.credentialKeyStore(on: app.db)
        let before = try await store.key(named: signature.key)?.summary
        let key = try await store.retire(signature.key, after: after, current: try await app.credentialKeyring.current())
        try await CredentialsCommand.audit("credentials.key.retired", key: key, before: before, on: app.db)
        context.console.print("\(store.addresses.keyURL(thumbprint: key.thumbprint)) is retired from \(CredentialDate.string(after)).")
    }
}

struct VerifyCredentialCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "A file holding a signed credential (VC-JWT), or - for standard input")
        var file: String
    }

    var help: String { "Checks a signed credential's signature and says whether its key is current, earlier or retired" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let data = signature.file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: signature.file)
        guard let data else { throw CommandFailure("Cannot read \(signature.file)") }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let report = try await CredentialCheck(store: app.credentialKeyStore(on: app.db), current: try await app.credentialKeyring.current())
            .check(token)
        context.console.print(report.description)
        if !report.trusted { throw CommandFailure("Not trusted") }
    }
}

/// A signed credential checked against the academy's own keys, including retired ones.
struct CredentialCheck: Sendable {
    let store: CredentialKeyStore
    let current: CredentialSigner

    struct Report: CustomStringConvertible, Equatable {
        let kid: String?
        let standing: CredentialKeyStore.Standing
        /// nil when the signature could not be checked (no such key); otherwise what the verifier said.
        let signatureError: String?
        let signatureChecked: Bool

        var trusted: Bool {
            guard signatureChecked, signatureError == nil else { return false }
            switch standing {
            case .current, .previous: return true
            case .retired, .unknown: return false
            }
        }

        var description: String {
            let signature = !signatureChecked ? "signature not checked" : signatureError.map { "signature refused: \($0)" } ?? "signature valid"
            return "\(signature); \(standing) (\(kid ?? "no kid"))"
        }
    }

    func check(_ token: String, now: Date = Date()) async throws -> Report {
        let (kid, standing, key) = try await store.standing(of: token, current: current, now: now)
        guard let key else { return Report(kid: kid, standing: standing, signatureError: nil, signatureChecked: false) }
        let encoder = JSONEncoder()
        let jwks = String(decoding: try encoder.encode(JWKSet(keys: [key])), as: UTF8.self)
        do {
            _ = try await CredentialVerifier(jwks: jwks).verify(token)
            return Report(kid: kid, standing: standing, signatureError: nil, signatureChecked: true)
        } catch {
            return Report(kid: kid, standing: standing, signatureError: String(describing: error), signatureChecked: true)
        }
    }
}
