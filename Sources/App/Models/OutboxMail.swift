import Fluent
import Vapor

/// A mail the academy sent (or, without SMTP, would have sent): kept so operators can read it, and the
/// queue `OutboxDelivery` works through when SMTP is configured.
final class OutboxMail: Model, @unchecked Sendable {
    static let schema = "outbox_mails"

    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// Not before this moment; while an instance delivers the mail, the end of its lease.
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "claim") var claim: String?

    init() {}

    init(recipient: String, subject: String, body: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.attempts = 0
    }
}
