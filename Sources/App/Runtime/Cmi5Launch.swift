import Crypto
import Foundation

/// The LMS side of a cmi5 launch (cmi5 sections 8, 9 and 10), free of storage: the ids the academy generates,
/// the launch URL, the LMS.LaunchData document and the statements the LMS itself records.
struct Cmi5Launch: Sendable {
    /// The academy's base URL without a trailing slash ("https://academy.vivel.be").
    let baseURL: String

    init(baseURL: String) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }

    var endpoint: String { baseURL + "/xapi/" }

    /// The learner as cmi5 8.1.3 asks: an Agent with an account on this academy, no name or e-mail (no PII).
    func actor(userID: UUID) -> JSONValue {
        .object(["objectType": .string("Agent"),
                 "account": .object(["homePage": .string(baseURL), "name": .string(userID.uuidString.lowercased())])])
    }

    // MARK: Activity ids the LMS generates (8.1.5, 9.4): stable per course and AU, never the publisher's ids.

    func courseActivityID(courseID: UUID) -> String {
        "\(baseURL)/cmi5/courses/\(courseID.uuidString.lowercased())"
    }

    func auActivityID(courseID: UUID, publisherID: String) -> String {
        "\(courseActivityID(courseID: courseID))/aus/\(Self.digest(publisherID))"
    }

    func blockActivityID(courseID: UUID, publisherID: String) -> String {
        "\(courseActivityID(courseID: courseID))/blocks/\(Self.digest(publisherID))"
    }

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: The launch URL (8.1)

    /// `auURL` with the five launch parameters appended, each value URL-encoded; a query string the AU's URL
    /// already has is kept, a fragment stays at the end.
    static func launchURL(auURL: String, endpoint: String, fetch: String, actor: JSONValue, registration: UUID,
                          activityID: String) -> String {
        var base = auURL
        var fragment = ""
        if let hash = base.firstIndex(of: "#") {
            fragment = String(base[hash...])
            base = String(base[..<hash])
        }
        let parameters = [("endpoint", endpoint), ("fetch", fetch), ("actor", actor.canonicalText),
                          ("registration", registration.uuidString.lowercased()), ("activityId", activityID)]
            .map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
        let separator = base.contains("?") ? (base.hasSuffix("?") || base.hasSuffix("&") ? "" : "&") : "?"
        return base + separator + parameters + fragment
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, as a query value needs.
    static func encode(_ value: String) -> String {
        var allowed = CharacterSet()
        allowed.insert(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    // MARK: LMS.LaunchData (10)

    func contextTemplate(publisherID: String, sessionID: UUID) -> JSONValue {
        // The cmi5 category is not in the template: "cmi5 allowed" statements built from it must not carry it (7.1.3).
        .object([
            "contextActivities": .object(["grouping": .array([.object(["objectType": .string("Activity"), "id": .string(publisherID)])])]),
            "extensions": .object([Cmi5Vocabulary.sessionID: .string(sessionID.uuidString.lowercased())]),
        ])
    }

    func launchData(au: Cmi5AUData, publisherID: String, sessionID: UUID, returnURL: String,
                    mode: Cmi5LaunchMode = .normal) -> JSONValue {
        var document: [String: JSONValue] = [
            "contextTemplate": contextTemplate(publisherID: publisherID, sessionID: sessionID),
            "launchMode": .string(mode.rawValue),
            "moveOn": .string(au.moveOn),
            "returnURL": .string(returnURL),
        ]
        if let parameters = au.launchParameters { document["launchParameters"] = .string(parameters) }
        if let mastery = au.masteryScore { document["masteryScore"] = .number(mastery) }
        if let key = au.entitlementKey { document["entitlementKey"] = .object(["courseStructure": .string(key)]) }
        return .object(document)
    }

    // MARK: Statements the LMS records

    struct Target: Sendable {
        var activityID: String
        var publisherID: String
        var title: [String: String]
        /// The activity type of a course or block object; the AU's own type from the course structure.
        var type: String?
    }

    func statement(id: UUID = UUID(), verb: Cmi5Vocabulary.Verb, actor: JSONValue, object: Target, registration: UUID,
                   sessionID: UUID, extensions: [String: JSONValue] = [:], result: JSONValue? = nil,
                   timestamp: Date) -> JSONValue {
        var definition: [String: JSONValue] = [:]
        if !object.title.isEmpty { definition["name"] = .object(object.title.mapValues { .string($0) }) }
        if let type = object.type { definition["type"] = .string(type) }
        var objectValue: [String: JSONValue] = ["objectType": .string("Activity"), "id": .string(object.activityID)]
        if !definition.isEmpty { objectValue["definition"] = .object(definition) }
        var contextExtensions = extensions
        contextExtensions[Cmi5Vocabulary.sessionID] = .string(sessionID.uuidString.lowercased())
        var statement: [String: JSONValue] = [
            "id": .string(id.uuidString.lowercased()),
            "actor": actor,
            "verb": .object(["id": .string(verb.rawValue), "display": .object(["en-US": .string(verb.name)])]),
            "object": .object(objectValue),
            "context": .object([
                "registration": .string(registration.uuidString.lowercased()),
                "contextActivities": .object([
                    "grouping": .array([.object(["objectType": .string("Activity"), "id": .string(object.publisherID)])]),
                    "category": .array([.object(["objectType": .string("Activity"), "id": .string(Cmi5Vocabulary.cmi5Category)])]),
                ]),
                "extensions": .object(contextExtensions),
            ]),
            "timestamp": .string(XAPITime.format(timestamp)),
        ]
        if let result { statement["result"] = result }
        return .object(statement)
    }

    /// The context extensions of "launched" (9.6.3.2 to 9.6.3.7).
    static func launchedExtensions(au: Cmi5AUData, launchURL: String, mode: Cmi5LaunchMode = .normal) -> [String: JSONValue] {
        var extensions: [String: JSONValue] = [
            Cmi5Vocabulary.launchMode: .string(mode.rawValue),
            Cmi5Vocabulary.launchURL: .string(launchURL),
            Cmi5Vocabulary.moveOn: .string(au.moveOn),
        ]
        if let mastery = au.masteryScore { extensions[Cmi5Vocabulary.masteryScore] = .number(mastery) }
        if let parameters = au.launchParameters { extensions[Cmi5Vocabulary.launchParameters] = .string(parameters) }
        return extensions
    }
}

/// xAPI timestamps and durations.
enum XAPITime {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// An ISO 8601 duration in seconds, to the hundredth ("PT1H2M3.45S").
    static func duration(_ seconds: TimeInterval) -> String {
        let hundredths = Int((max(0, seconds) * 100).rounded())
        let hours = hundredths / 360_000, minutes = hundredths / 6_000 % 60, rest = Double(hundredths % 6_000) / 100
        var text = "PT"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        text += rest == rest.rounded() ? "\(Int(rest))S" : String(format: "%.2fS", rest)
        return text
    }
}
