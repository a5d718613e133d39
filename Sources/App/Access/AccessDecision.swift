import Foundation

/// Which kind of key a rule named that the platform does not know.
public enum AccessKeyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case board
    case group
    case course
    case province
    case cluster
    case boardRole = "board-role"
    case profession
    case platformRole = "platform-role"
}

/// Why a rule denied, as a code with parameters. Top-level reasons in a decision must all be resolved;
/// `oneOf` holds alternatives of which one suffices (from an any-of), `allOf` a group inside such alternatives.
public indirect enum AccessReason: Sendable, Hashable {
    case notBoardMember(roles: [BoardRole] = [], boards: [String] = [], provinces: [Province] = [], clusters: [CareBoardCluster] = [])
    case missingProfession([ProfessionKey])
    case missingRegistrationNumber
    case missingPlatformRole([PlatformRole])
    case notYetOpen(from: CalendarDay)
    case closed(until: CalendarDay)
    /// The listed course slugs are not completed yet (only the missing ones).
    case prerequisiteMissing([String])
    case enrolmentKeyRequired
    /// The rule asks for an enrolment key but the course has none set: denied until an editor sets one.
    case enrolmentKeyNotConfigured
    case notInGroup([String])
    /// A `not` rule whose inner rule holds for this person.
    case excluded(AccessRule)
    case oneOf([AccessReason])
    case allOf([AccessReason])
    case unknownCondition(String)
    case unknownKey(AccessKeyKind, String)

    public var code: String {
        switch self {
        case .notBoardMember: "not-board-member"
        case .missingProfession: "missing-profession"
        case .missingRegistrationNumber: "missing-registration-number"
        case .missingPlatformRole: "missing-platform-role"
        case .notYetOpen: "not-yet-open"
        case .closed: "closed"
        case .prerequisiteMissing: "prerequisite-missing"
        case .enrolmentKeyRequired: "enrolment-key-required"
        case .enrolmentKeyNotConfigured: "enrolment-key-not-configured"
        case .notInGroup: "not-in-group"
        case .excluded: "excluded"
        case .oneOf: "one-of"
        case .allOf: "all-of"
        case .unknownCondition: "unknown-condition"
        case .unknownKey: "unknown-key"
        }
    }

    /// Whether the rule itself is broken (fail closed) rather than the person not meeting it.
    public var isRuleProblem: Bool {
        switch self {
        case .unknownCondition, .unknownKey, .enrolmentKeyNotConfigured: true
        default: false
        }
    }
}

/// `{"code":"not-board-member","provinces":["limburg"]}`: flat objects, so the API returns them as they are.
extension AccessReason: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AccessJSONKey.self)
        let code = try c.decode(String.self, forKey: "code")
        func list<T: Decodable>(_ name: AccessJSONKey) throws -> [T] { try c.decodeIfPresent([T].self, forKey: name) ?? [] }
        switch code {
        case "not-board-member":
            self = .notBoardMember(roles: try list("roles"), boards: try list("boards"),
                                   provinces: try list("provinces"), clusters: try list("clusters"))
        case "missing-profession": self = .missingProfession(try list("professions"))
        case "missing-registration-number": self = .missingRegistrationNumber
        case "missing-platform-role": self = .missingPlatformRole(try list("roles"))
        case "not-yet-open": self = .notYetOpen(from: try c.decode(CalendarDay.self, forKey: "from"))
        case "closed": self = .closed(until: try c.decode(CalendarDay.self, forKey: "until"))
        case "prerequisite-missing": self = .prerequisiteMissing(try list("courses"))
        case "enrolment-key-required": self = .enrolmentKeyRequired
        case "enrolment-key-not-configured": self = .enrolmentKeyNotConfigured
        case "not-in-group": self = .notInGroup(try list("groups"))
        case "excluded": self = .excluded(try c.decode(AccessRule.self, forKey: "rule"))
        case "one-of": self = .oneOf(try list("reasons"))
        case "all-of": self = .allOf(try list("reasons"))
        case "unknown-condition": self = .unknownCondition(try c.decode(String.self, forKey: "type"))
        case "unknown-key":
            self = .unknownKey(try c.decode(AccessKeyKind.self, forKey: "kind"), try c.decode(String.self, forKey: "key"))
        default:
            throw DecodingError.dataCorruptedError(forKey: "code", in: c, debugDescription: "Unknown reason code '\(code)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AccessJSONKey.self)
        try c.encode(code, forKey: "code")
        func list<T: Encodable>(_ values: [T], _ name: AccessJSONKey) throws {
            if !values.isEmpty { try c.encode(values, forKey: name) }
        }
        switch self {
        case .notBoardMember(let roles, let boards, let provinces, let clusters):
            try list(roles, "roles"); try list(boards, "boards"); try list(provinces, "provinces"); try list(clusters, "clusters")
        case .missingProfession(let keys): try c.encode(keys, forKey: "professions")
        case .missingPlatformRole(let roles): try c.encode(roles, forKey: "roles")
        case .notYetOpen(let from): try c.encode(from, forKey: "from")
        case .closed(let until): try c.encode(until, forKey: "until")
        case .prerequisiteMissing(let slugs): try c.encode(slugs, forKey: "courses")
        case .notInGroup(let groups): try c.encode(groups, forKey: "groups")
        case .excluded(let rule): try c.encode(rule, forKey: "rule")
        case .oneOf(let reasons), .allOf(let reasons): try c.encode(reasons, forKey: "reasons")
        case .unknownCondition(let type): try c.encode(type, forKey: "type")
        case .unknownKey(let kind, let key):
            try c.encode(kind, forKey: "kind")
            try c.encode(key, forKey: "key")
        case .missingRegistrationNumber, .enrolmentKeyRequired, .enrolmentKeyNotConfigured:
            break
        }
    }
}

/// The answer for one rule and one person: allowed or not, and why not.
public struct AccessDecision: Sendable, Hashable, Codable {
    public var allowed: Bool
    /// Empty when allowed. When the rule is broken, only the problems with the rule.
    public var reasons: [AccessReason]

    public init(allowed: Bool, reasons: [AccessReason] = []) {
        self.allowed = allowed
        self.reasons = reasons
    }

    public static let allow = AccessDecision(allowed: true)
    public static func deny(_ reasons: [AccessReason]) -> AccessDecision { .init(allowed: false, reasons: reasons) }

    /// The rule could not be applied as written (unknown condition or key, missing enrolment key setting).
    public var ruleIsBroken: Bool { reasons.contains { $0.isRuleProblem } }
}
