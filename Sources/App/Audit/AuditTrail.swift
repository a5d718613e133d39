import Fluent
import Foundation

/// Writes audit events. Call it inside the transaction that makes the change, so that a change is never
/// without its event nor an event without its change.
struct AuditTrail: Sendable {
    let database: any Database

    /// `before` and `after` are stored as JSON with sorted keys and ISO 8601 dates; `nil` for "did not exist".
    @discardableResult
    func record(actor: User?, action: String, subjectType: String, subjectID: String,
                before: (some Encodable)?, after: (some Encodable)?, reason: String?, at now: Date = Date()) async throws -> AuditEvent {
        let event = AuditEvent()
        event.$actor.id = actor?.id
        event.actorName = actor.map { "\($0.name) <\($0.email)>" } ?? "system"
        event.action = action
        event.subjectType = subjectType
        event.subjectID = subjectID
        event.beforeJSON = try before.map { try Self.json($0) }
        event.afterJSON = try after.map { try Self.json($0) }
        event.reason = reason
        event.createdAt = now
        try await event.create(on: database)
        return event
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The events about one subject, newest first.
    func events(subjectType: String, subjectID: String) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: database).filter(\.$subjectType == subjectType).filter(\.$subjectID == subjectID)
            .sort(\.$createdAt, .descending).all()
    }
}
