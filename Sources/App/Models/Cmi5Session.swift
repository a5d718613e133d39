import Fluent
import Foundation

/// The cmi5 registration of one enrolment (cmi5 8.1.4): one per learner and course, shared by all its AUs.
final class Cmi5Registration: Model, @unchecked Sendable {
    static let schema = "cmi5_registrations"

    /// The registration UUID the AUs receive.
    @ID(key: .id) var id: UUID?
    @Parent(key: "enrolment_id") var enrolment: Enrolment
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(enrolmentID: UUID, now: Date) {
        self.id = UUID()
        self.$enrolment.id = enrolmentID
        self.createdAt = now
    }
}

/// One launch of one AU (a cmi5 session): its one-time fetch URL, the auth token the AU got for it (hashes
/// only), and where the session stands.
final class Cmi5Session: Model, @unchecked Sendable {
    static let schema = "cmi5_sessions"

    /// The session id (cmi5 9.6.3.1).
    @ID(key: .id) var id: UUID?
    @Parent(key: "registration_id") var registration: Cmi5Registration
    @Parent(key: "enrolment_id") var enrolment: Enrolment
    @Field(key: "module_key") var moduleKey: String
    /// The LMS-generated activity id of the AU.
    @Field(key: "activity_id") var activityID: String
    /// The launch actor, as JSON.
    @Field(key: "actor") var actor: String
    @Field(key: "fetch_token_hash") var fetchTokenHash: String
    @OptionalField(key: "fetched_at") var fetchedAt: Date?
    @OptionalField(key: "auth_token_hash") var authTokenHash: String?
    /// `Cmi5SessionState` as JSON.
    @Field(key: "state") var state: String
    @Field(key: "launched_at") var launchedAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "terminated_at") var terminatedAt: Date?
    @OptionalField(key: "abandoned_at") var abandonedAt: Date?

    init() {}

    var sessionState: Cmi5SessionState {
        get { (try? JSONDecoder().decode(Cmi5SessionState.self, from: Data(state.utf8))) ?? Cmi5SessionState() }
        set { state = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("{}".utf8), as: UTF8.self) }
    }

    var actorValue: JSONValue { JSONValue.parse(Data(actor.utf8)) ?? .null }
}

/// A stored xAPI statement, as the AU sent it or the academy made it.
final class XAPIStatementRecord: Model, @unchecked Sendable {
    static let schema = "xapi_statements"

    /// The statement id.
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "registration_id") var registrationID: UUID?
    @OptionalField(key: "session_id") var sessionID: UUID?
    @Field(key: "verb_id") var verbID: String
    @Field(key: "object_id") var objectID: String
    @Field(key: "agent_key") var agentKey: String
    /// The statement, canonical JSON (sorted keys), without `stored`.
    @Field(key: "body") var body: String
    /// "au" or "lms".
    @Field(key: "origin") var origin: String
    @Field(key: "stored_at") var storedAt: Date

    init() {}
}

/// An xAPI state document (the State API): LMS.LaunchData and the AU's own.
final class XAPIStateDocument: Model, @unchecked Sendable {
    static let schema = "xapi_states"

    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: String
    @Field(key: "agent_key") var agentKey: String
    /// The registration, or "" when the request named none.
    @Field(key: "registration") var registration: String
    @Field(key: "state_id") var stateID: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "content") var content: Data
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}
