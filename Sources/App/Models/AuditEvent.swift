import Fluent
import Foundation

/// One change to rights, records or content, as the audit log shows it: who did what to which thing, when,
/// why, and the thing before and after (JSON). Append-only; general enough for every area of the academy.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    /// `nil` for the system (commands, background work) or once the person was deleted; `actorName` stays.
    @OptionalParent(key: "actor_id") var actor: User?
    /// The actor's name and e-mail as they were at the time.
    @Field(key: "actor_name") var actorName: String
    /// What happened, as "subject.verb": "module-attempt.reset", "user.role-changed".
    @Field(key: "action") var action: String
    /// The kind of thing changed ("module-attempt", "user", "course") and its id as text.
    @Field(key: "subject_type") var subjectType: String
    @Field(key: "subject_id") var subjectID: String
    @OptionalField(key: "before_json") var beforeJSON: String?
    @OptionalField(key: "after_json") var afterJSON: String?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
