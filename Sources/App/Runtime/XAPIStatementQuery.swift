import Foundation

/// The parameters of an xAPI 1.0.3 statement query (GET /xapi/statements without statementId, xAPI
/// 1.0.3 part 3 §2.1.3), read and checked without storage. The endpoint is scoped to one launch, so the
/// agent and registration parameters may only name that launch's learner and registration.
///
/// Pages are keyed, not counted: `more` names the last statement of the page, and the next page starts
/// after that statement's stored time and id as the database holds them (no rounding of times in a
/// link), so statements stored while a client pages through never make it skip or repeat one.
struct XAPIStatementQuery: Sendable, Equatable {
    struct Invalid: Error, Equatable {
        let message: String
    }

    static let maxLimit = 100

    var verb: String?
    var activity: String?
    var registration: UUID?
    /// The agent parameter as given (JSON), checked by the caller against the launch's actor.
    var agent: String?
    /// Statements stored strictly after this time.
    var since: Date?
    /// Statements stored at or before this time.
    var until: Date?
    var limit = maxLimit
    var ascending = false
    /// The last statement of the previous page.
    var after: UUID?

    /// Reads the query string's parameters; `nil` values are absent parameters.
    init(_ parameter: (String) -> String?) throws {
        verb = try Self.iri(parameter("verb"), "verb")
        activity = try Self.iri(parameter("activity"), "activity")
        if let text = parameter("registration") {
            guard let value = UUID(uuidString: text) else {
                throw Invalid(message: "The registration parameter \(text) is not a UUID.")
            }
            registration = value
        }
        agent = parameter("agent")
        since = try Self.timestamp(parameter("since"), "since")
        until = try Self.timestamp(parameter("until"), "until")
        if let text = parameter("limit") {
            guard let value = Int(text), value >= 0 else {
                throw Invalid(message: "The limit parameter \(text) is not a whole number of 0 or more (0 means the server's maximum, \(Self.maxLimit)).")
            }
            limit = value == 0 ? Self.maxLimit : min(value, Self.maxLimit)
        }
        ascending = try Self.flag(parameter("ascending"), "ascending")
        for unsupported in ["related_activities", "related_agents", "attachments"] where try Self.flag(parameter(unsupported), unsupported) {
            throw Invalid(message: "\(unsupported)=true is not supported by this endpoint, which keeps the statements of one cmi5 launch; leave it out or send false.")
        }
        if let format = parameter("format"), !["exact", "ids", "canonical"].contains(format) {
            throw Invalid(message: "The format parameter \(format) is not one of exact, ids or canonical.")
        }
        if let since, let until, since >= until {
            throw Invalid(message: "since (\(XAPITime.format(since))) is not before until (\(XAPITime.format(until))): no statement can match.")
        }
        if let cursor = parameter("after") {
            guard let id = UUID(uuidString: cursor) else {
                throw Invalid(message: "The after parameter is not a statement id; follow the \"more\" link of the previous answer as it is.")
            }
            after = id
        }
    }

    /// The query string of the next page: the same filters, starting after `last`.
    func more(after last: UUID) -> String {
        var items: [(String, String)] = []
        if let verb { items.append(("verb", verb)) }
        if let activity { items.append(("activity", activity)) }
        if let registration { items.append(("registration", registration.uuidString.lowercased())) }
        if let agent { items.append(("agent", agent)) }
        if let since { items.append(("since", XAPITime.format(since))) }
        if let until { items.append(("until", XAPITime.format(until))) }
        items.append(("limit", String(limit)))
        if ascending { items.append(("ascending", "true")) }
        items.append(("after", last.uuidString.lowercased()))
        return items.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    private static func iri(_ text: String?, _ name: String) throws -> String? {
        guard let text else { return nil }
        guard let scheme = text.split(separator: ":", maxSplits: 1).first, scheme.count < text.count,
              scheme.first?.isLetter == true, !text.contains(" ") else {
            throw Invalid(message: "The \(name) parameter \(text) is not an IRI (such as http://adlnet.gov/expapi/verbs/completed).")
        }
        return text
    }

    private static func timestamp(_ text: String?, _ name: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = XAPITime.parse(text) else {
            throw Invalid(message: "The \(name) parameter \(text) is not an ISO 8601 timestamp with a time zone (such as 2026-11-23T10:00:00Z).")
        }
        return date
    }

    private static func flag(_ text: String?, _ name: String) throws -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        case let other?: throw Invalid(message: "The \(name) parameter is \(other); send true or false.")
        }
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
