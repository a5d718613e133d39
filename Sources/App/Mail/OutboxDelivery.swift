import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Works through the outbox: every mail not yet sent goes to the SMTP server. A failed delivery is tried
/// again later (1, 5 and 30 minutes, 2 hours, then every 6 hours, 10 attempts in all); a refusal for
/// good (a 5xx reply) is not retried. Several instances may deliver at once: each mail is claimed first.
struct OutboxDelivery: Sendable {
    static let maximumAttempts = 10
    static let lease: TimeInterval = 300

    let database: any Database
    let client: SMTPClient
    let from: MailAddress
    let logger: Logger

    struct Outcome: Equatable, Sendable {
        var sent = 0
        var failed = 0
    }

    static func delay(afterAttempt attempt: Int) -> TimeInterval {
        switch attempt {
        case ...1: return 60
        case 2: return 300
        case 3: return 1_800
        case 4: return 7_200
        default: return 21_600
        }
    }

    @discardableResult
    func deliverDue(now: Date = Date(), limit: Int = 20) async throws -> Outcome {
        let due = try await OutboxMail.query(on: database)
            .filter(\.$sentAt == nil)
            .filter(\.$attempts < Self.maximumAttempts)
            .group(.or) { $0.filter(\.$nextAttemptAt == nil).filter(\.$nextAttemptAt <= now) }
            .sort(\.$createdAt)
            .limit(limit)
            .all()
        var outcome = Outcome()
        for mail in due {
            guard let id = mail.id, try await claim(id, now: now) else { continue }
            if try await deliver(mail, id: id, now: now) { outcome.sent += 1 } else { outcome.failed += 1 }
        }
        return outcome
    }

    /// The claim succeeds for one instance only: the update's condition no longer holds for the others.
    private func claim(_ id: UUID, now: Date) async throws -> Bool {
        let token = UUID().uuidString
        try await OutboxMail.query(on: database)
            .filter(\.$id == id)
            .filter(\.$sentAt == nil)
            .group(.or) { $0.filter(\.$nextAttemptAt == nil).filter(\.$nextAttemptAt <= now) }
            .set(\.$claim, to: token)
            .set(\.$nextAttemptAt, to: now.addingTimeInterval(Self.lease))
            .update()
        return try await OutboxMail.find(id, on: database)?.claim == token
    }

    private func deliver(_ mail: OutboxMail, id: UUID, now: Date) async throws -> Bool {
        let attempt = mail.attempts + 1
        do {
            guard let recipient = MailAddress(mail.recipient) else {
                throw SMTPClient.Failure.malformedReply("no usable address: \(mail.recipient)")
            }
            let message = MailMessage(from: from, to: recipient, subject: mail.subject, body: mail.body,
                                      date: mail.createdAt ?? now, messageID: "\(id.uuidString.lowercased())@\(Self.domain(of: from))")
            try await client.send(message)
            try await OutboxMail.query(on: database).filter(\.$id == id)
                .set(\.$sentAt, to: Date()).set(\.$attempts, to: attempt).set(\.$lastError, to: nil)
                .set(\.$claim, to: nil).update()
            logger.info("Mail sent to \(mail.recipient): \(mail.subject)")
            return true
        } catch {
            let failure = (error as? SMTPClient.Failure)
            let permanent = failure?.isPermanent ?? false || MailAddress(mail.recipient) == nil
            let text = failure.map(\.description) ?? String(describing: error)
            try await OutboxMail.query(on: database).filter(\.$id == id)
                .set(\.$attempts, to: permanent ? Self.maximumAttempts : attempt)
                .set(\.$lastError, to: String(text.prefix(500)))
                .set(\.$nextAttemptAt, to: now.addingTimeInterval(Self.delay(afterAttempt: attempt)))
                .set(\.$claim, to: nil).update()
            logger.warning("Mail to \(mail.recipient) not delivered (attempt \(attempt)\(permanent ? ", given up" : "")): \(text)")
            return false
        }
    }

    static func domain(of address: MailAddress) -> String {
        address.address.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}

/// Delivers the outbox every 30 seconds while the academy serves, and at once when a mail is queued.
final class OutboxDeliveryLoop: LifecycleHandler, Sendable {
    private let wake = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func kick() {
        wake.continuation.yield()
    }

    func didBootAsync(_ app: Application) async throws {
        // Tests call `deliverDue` themselves, so that what they check does not race a background delivery.
        guard let delivery = app.outboxDelivery, app.environment != .testing else { return }
        let stream = wake.stream
        let ticker = wake.continuation
        task.withLockedValue {
            $0 = Task {
                let timer = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(30))
                        ticker.yield()
                    }
                }
                ticker.yield()
                for await _ in stream {
                    do { try await delivery.deliverDue() } catch {
                        app.logger.warning("Outbox delivery failed: \(String(reflecting: error))")
                    }
                }
                timer.cancel()
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        wake.continuation.finish()
        let running = task.withLockedValue { $0 }
        running?.cancel()
        await running?.value
    }
}

extension Application {
    private struct OutboxDeliveryKey: StorageKey {
        typealias Value = OutboxDelivery
    }

    private struct OutboxDeliveryLoopKey: StorageKey {
        typealias Value = OutboxDeliveryLoop
    }

    /// Set when ACADEMY_SMTP_URL is configured; without it mails stay in the outbox and the log.
    var outboxDelivery: OutboxDelivery? {
        get { storage[OutboxDeliveryKey.self] }
        set { storage[OutboxDeliveryKey.self] = newValue }
    }

    var outboxDeliveryLoop: OutboxDeliveryLoop? {
        get { storage[OutboxDeliveryLoopKey.self] }
        set { storage[OutboxDeliveryLoopKey.self] = newValue }
    }
}
