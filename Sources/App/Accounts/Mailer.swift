import Fluent
import Vapor

/// Sends the academy's mails through the outbox: every mail is written there first, then delivered by
/// `OutboxDelivery` when SMTP is configured (ACADEMY_SMTP_URL). Without SMTP the mail stays in the outbox
/// and goes to the log, where operators (and a newcomer trying the academy) can read it.
struct Mailer: Sendable {
    let database: any Database
    let logger: Logger
    var deliveryLoop: OutboxDeliveryLoop?

    func send(to recipient: String, subject: String, body: String) async throws {
        try await OutboxMail(recipient: recipient, subject: subject, body: body).save(on: database)
        if let deliveryLoop {
            // The body may carry a sign-in link: it stays out of the log once mail really leaves.
            logger.info("Mail to \(recipient) queued: \(subject)")
            deliveryLoop.kick()
        } else {
            logger.notice("Mail to \(recipient): \(subject)\n\(body)")
        }
    }
}

extension Request {
    var mailer: Mailer { Mailer(database: db, logger: logger, deliveryLoop: application.outboxDeliveryLoop) }
}

extension Application {
    var mailer: Mailer { Mailer(database: db, logger: logger, deliveryLoop: outboxDeliveryLoop) }
}
