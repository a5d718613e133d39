import Fluent
import Vapor

/// Sends the academy's mails. Without SMTP configured (SMTP delivery is not built yet), every mail goes
/// to the log and to the outbox table, where operators can read it.
struct Mailer: Sendable {
    let database: any Database
    let logger: Logger

    func send(to recipient: String, subject: String, body: String) async throws {
        try await OutboxMail(recipient: recipient, subject: subject, body: body).save(on: database)
        logger.notice("Mail to \(recipient): \(subject)\n\(body)")
    }
}

extension Request {
    var mailer: Mailer { Mailer(database: db, logger: logger) }
}
