import Foundation

/// Everything an operator configures through the environment, read once at start.
public struct AcademySettings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteInMemory
        case postgres(url: String)
    }

    public var database: DatabaseChoice
    /// Where the embedded database and stored content live.
    public var dataDirectory: String
    /// The sample courses loaded into a new academy.
    public var coursesDirectory: String
    /// Public address, used in mails and to decide whether cookies are Secure.
    public var baseURL: String
    /// Load ./courses on first start when the catalogue is empty.
    public var seedOnFirstStart: Bool
    public var academyName: String
    /// The care board register (code,name,zone,province) loaded into a new academy and by `academy seed`.
    public var careBoardsFile: String = "seed/care-boards.csv"
    /// The academy's organiser number at each accreditation body ("riziv-inami" → "…"), put on every
    /// accreditation record. From ACADEMY_ORGANISER_NUMBERS="riziv-inami=12345,apb=678".
    public var organiserNumbers: [String: String] = [:]
    /// Trainers and admins must sign in with a second factor. ACADEMY_STAFF_TWO_FACTOR=off turns it off
    /// (a local trial); it is on everywhere else.
    public var staffTwoFactor: Bool = true
    /// Uploaded packages checked but neither published nor saved are removed after this many seconds
    /// (ACADEMY_UPLOAD_MAX_AGE_HOURS, default 24).
    public var uploadMaxAge: TimeInterval = 24 * 3600
    /// The P-256 private key (PEM) that signs Open Badges and CLR credentials, from ACADEMY_CREDENTIAL_KEY;
    /// without it a key is generated once and kept in the data directory.
    public var credentialKeyPEM: String? = nil
    /// The mail server (ACADEMY_SMTP_URL, see `SMTPSettings`); without one, mails stay in the outbox and the log.
    public var smtpURL: String?
    /// Certificate authorities (PEM) to trust besides the system's, for a mail server with a private CA.
    public var smtpTrustedCertificatesFile: String?
    /// The sender of the academy's mails (ACADEMY_MAIL_FROM).
    public var mailFrom: String = "VIVEL Academy <academy@localhost>"

    public var secureCookies: Bool { baseURL.lowercased().hasPrefix("https://") }

    public static func fromEnvironment(_ environment: [String: String], workingDirectory: String) -> AcademySettings {
        func value(_ key: String) -> String? {
            guard let value = environment[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        let dataDirectory = value("ACADEMY_DATA_DIR") ?? workingDirectory + "data"
        let database: DatabaseChoice
        if let url = value("DATABASE_URL") {
            database = url == "sqlite::memory:" ? .sqliteInMemory : .postgres(url: url)
        } else {
            database = .sqlite(path: dataDirectory + "/academy.sqlite")
        }
        return AcademySettings(
            database: database,
            dataDirectory: dataDirectory,
            coursesDirectory: value("ACADEMY_COURSES_DIR") ?? workingDirectory + "courses",
            baseURL: value("ACADEMY_BASE_URL") ?? "http://localhost:8080",
            seedOnFirstStart: value("ACADEMY_SEED") != "false",
            academyName: value("ACADEMY_NAME") ?? "VIVEL Academy",
            careBoardsFile: value("ACADEMY_CARE_BOARDS_FILE") ?? workingDirectory + "seed/care-boards.csv",
            organiserNumbers: parseOrganiserNumbers(value("ACADEMY_ORGANISER_NUMBERS") ?? ""),
            staffTwoFactor: value("ACADEMY_STAFF_TWO_FACTOR") != "off",
            uploadMaxAge: value("ACADEMY_UPLOAD_MAX_AGE_HOURS").flatMap(Double.init).map { max(0, $0) * 3600 } ?? 24 * 3600,
            credentialKeyPEM: value("ACADEMY_CREDENTIAL_KEY"),
            smtpURL: value("ACADEMY_SMTP_URL"),
            smtpTrustedCertificatesFile: value("ACADEMY_SMTP_CA_FILE"),
            mailFrom: value("ACADEMY_MAIL_FROM") ?? "VIVEL Academy <academy@localhost>"
        )
    }

    static func parseOrganiserNumbers(_ text: String) -> [String: String] {
        var numbers: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty { numbers[parts[0]] = parts[1] }
        }
        return numbers
    }
}
