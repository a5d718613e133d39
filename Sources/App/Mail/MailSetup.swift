import Vapor

/// Turns on SMTP delivery when ACADEMY_SMTP_URL is set; a setting that cannot work stops the start with
/// the reason, rather than losing mails later.
enum MailSetup {
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    static func use(_ settings: AcademySettings, on app: Application) throws {
        guard let url = settings.smtpURL else { return }
        let smtp: SMTPSettings
        do {
            smtp = try SMTPSettings(url: url, trustedCertificatesFile: settings.smtpTrustedCertificatesFile)
        } catch {
            throw Refused(description: error.description)
        }
        guard let from = MailAddress(settings.mailFrom) else {
            throw Refused(description: "ACADEMY_MAIL_FROM (\(settings.mailFrom)) is not an address; write it as \"VIVEL Academy <academy@vivel.be>\"")
        }
        app.outboxDelivery = OutboxDelivery(database: app.db, client: SMTPClient(settings: smtp, eventLoopGroup: app.eventLoopGroup),
                                            from: from, logger: app.logger)
        let loop = OutboxDeliveryLoop()
        app.outboxDeliveryLoop = loop
        app.lifecycle.use(loop)
    }
}
