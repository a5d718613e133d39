import Foundation

/// Who may see, enrol in or open something: a tree of all-of / any-of / not over conditions.
/// Rules name boards, groups and courses by stable keys, never by row ids. The JSON and XML forms are
/// described in docs/access-rules.md.
public indirect enum AccessRule: Sendable, Hashable {
    case allOf([AccessRule])
    case anyOf([AccessRule])
    case not(AccessRule)
    case condition(AccessCondition)
}

/// One test about a person (or the date). Lists inside a condition are alternatives ("any of"), except
/// `completed`, where every course listed must have been completed.
public enum AccessCondition: Sendable, Hashable {
    /// A membership valid today that matches every filter given (an empty filter matches anything).
    case boardMember(BoardMembershipCondition)
    /// The person's profession is one of these.
    case profession([ProfessionKey])
    /// The person's profile has a professional (RIZIV/INAMI) registration number.
    case hasRegistrationNumber
    /// The person holds one of these roles on the platform.
    case platformRole([PlatformRole])
    /// Today (in Brussels) lies in [from, until], both days included; either end may be open.
    case date(from: CalendarDay?, until: CalendarDay?)
    /// Every one of these courses (by slug) has been completed.
    case completed(courses: [String])
    /// The person has given the course's enrolment key.
    case enrolmentKey
    /// The person belongs to one of these groups (cohorts), by group key.
    case inGroup([String])
    /// A condition type this version does not know. It always denies, whatever surrounds it.
    case unknown(type: String)

    public static let knownTypes = ["board-member", "profession", "has-registration-number", "platform-role",
                                    "date", "completed", "enrolment-key", "in-group"]

    /// The condition's name in JSON and XML ("board-member").
    public var type: String {
        switch self {
        case .boardMember: "board-member"
        case .profession: "profession"
        case .hasRegistrationNumber: "has-registration-number"
        case .platformRole: "platform-role"
        case .date: "date"
        case .completed: "completed"
        case .enrolmentKey: "enrolment-key"
        case .inGroup: "in-group"
        case .unknown(let type): type
        }
    }
}

/// Filters on a care board membership. Empty lists do not filter.
public struct BoardMembershipCondition: Sendable, Hashable, Codable {
    public var roles: [BoardRole]
    /// Board codes.
    public var boards: [String]
    public var provinces: [Province]
    public var clusters: [CareBoardCluster]

    public init(roles: [BoardRole] = [], boards: [String] = [], provinces: [Province] = [], clusters: [CareBoardCluster] = []) {
        self.roles = roles
        self.boards = boards
        self.provinces = provinces
        self.clusters = clusters
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AccessJSONKey.self)
        try container.refuseFields(except: ["roles", "boards", "provinces", "clusters"], in: "board-member")
        roles = try container.nonEmptyList(BoardRole.self, "roles") ?? []
        boards = try container.nonEmptyList(String.self, "boards") ?? []
        provinces = try container.nonEmptyList(Province.self, "provinces") ?? []
        clusters = try container.nonEmptyList(CareBoardCluster.self, "clusters") ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AccessJSONKey.self)
        if !roles.isEmpty { try container.encode(roles, forKey: "roles") }
        if !boards.isEmpty { try container.encode(boards, forKey: "boards") }
        if !provinces.isEmpty { try container.encode(provinces, forKey: "provinces") }
        if !clusters.isEmpty { try container.encode(clusters, forKey: "clusters") }
    }
}

// MARK: - Building rules in code

extension AccessRule {
    public static func boardMember(roles: [BoardRole] = [], boards: [String] = [], provinces: [Province] = [],
                                   clusters: [CareBoardCluster] = []) -> AccessRule {
        .condition(.boardMember(.init(roles: roles, boards: boards, provinces: provinces, clusters: clusters)))
    }
    public static func profession(_ keys: ProfessionKey...) -> AccessRule { .condition(.profession(keys)) }
    public static let hasRegistrationNumber = AccessRule.condition(.hasRegistrationNumber)
    public static func platformRole(_ roles: PlatformRole...) -> AccessRule { .condition(.platformRole(roles)) }
    public static func date(from: CalendarDay? = nil, until: CalendarDay? = nil) -> AccessRule {
        .condition(.date(from: from, until: until))
    }
    public static func completed(_ slugs: String...) -> AccessRule { .condition(.completed(courses: slugs)) }
    public static let enrolmentKey = AccessRule.condition(.enrolmentKey)
    public static func inGroup(_ keys: String...) -> AccessRule { .condition(.inGroup(keys)) }

    /// Every condition in the tree, depth-first.
    public var conditions: [AccessCondition] {
        switch self {
        case .allOf(let rules), .anyOf(let rules): rules.flatMap(\.conditions)
        case .not(let rule): rule.conditions
        case .condition(let condition): [condition]
        }
    }
}

// MARK: - JSON

/// The JSON form: every node is an object with exactly one member, named like the XML element:
/// `{"all-of":[...]}`, `{"any-of":[...]}`, `{"not":{...}}`, `{"board-member":{"provinces":["limburg"]}}`,
/// `{"enrolment-key":{}}`. An unknown member name reads as `.unknown(type:)`; anything else malformed
/// (two members, unknown fields inside a known condition, empty lists, bad dates) fails to decode.
extension AccessRule: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AccessJSONKey.self)
        let key = try container.onlyKey()
        switch key.stringValue {
        case "all-of": self = .allOf(try container.decode([AccessRule].self, forKey: key))
        case "any-of": self = .anyOf(try container.decode([AccessRule].self, forKey: key))
        case "not": self = .not(try container.decode(AccessRule.self, forKey: key))
        default: self = .condition(try AccessCondition(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AccessJSONKey.self)
        switch self {
        case .allOf(let rules): try container.encode(rules, forKey: "all-of")
        case .anyOf(let rules): try container.encode(rules, forKey: "any-of")
        case .not(let rule): try container.encode(rule, forKey: "not")
        case .condition(let condition): try condition.encode(to: encoder)
        }
    }

    /// Compact JSON with sorted keys, so that equal rules give equal text.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and arrays cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    public init(jsonString: String) throws {
        self = try JSONDecoder().decode(AccessRule.self, from: Data(jsonString.utf8))
    }

    /// Reads stored rule text; text that cannot be read becomes a rule that denies everyone
    /// (`.unknown(type: "unreadable-rule")`), so a damaged rule never opens a course.
    public static func failClosed(jsonString: String) -> AccessRule {
        (try? AccessRule(jsonString: jsonString)) ?? .condition(.unknown(type: AccessCondition.unreadableRuleType))
    }
}

extension AccessCondition: Codable {
    /// The type given to stored rule text that could not be read at all.
    public static let unreadableRuleType = "unreadable-rule"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AccessJSONKey.self)
        let key = try container.onlyKey()
        let type = key.stringValue
        func fields() throws -> KeyedDecodingContainer<AccessJSONKey> {
            try container.nestedContainer(keyedBy: AccessJSONKey.self, forKey: key)
        }
        switch type {
        case "board-member":
            self = .boardMember(try container.decode(BoardMembershipCondition.self, forKey: key))
        case "profession":
            let body = try fields()
            try body.refuseFields(except: ["in"], in: type)
            self = .profession(try body.requiredList(ProfessionKey.self, "in", in: type))
        case "has-registration-number":
            try fields().refuseFields(except: [], in: type)
            self = .hasRegistrationNumber
        case "platform-role":
            let body = try fields()
            try body.refuseFields(except: ["in"], in: type)
            self = .platformRole(try body.requiredList(PlatformRole.self, "in", in: type))
        case "date":
            let body = try fields()
            try body.refuseFields(except: ["from", "until"], in: type)
            let from = try body.decodeIfPresent(CalendarDay.self, forKey: "from")
            let until = try body.decodeIfPresent(CalendarDay.self, forKey: "until")
            guard from != nil || until != nil else {
                throw DecodingError.dataCorrupted(.init(codingPath: body.codingPath, debugDescription: "date needs 'from', 'until' or both"))
            }
            if let from, let until, from > until {
                throw DecodingError.dataCorrupted(.init(codingPath: body.codingPath, debugDescription: "date 'from' \(from) is after 'until' \(until)"))
            }
            self = .date(from: from, until: until)
        case "completed":
            let body = try fields()
            try body.refuseFields(except: ["courses"], in: type)
            self = .completed(courses: try body.requiredList(String.self, "courses", in: type))
        case "enrolment-key":
            try fields().refuseFields(except: [], in: type)
            self = .enrolmentKey
        case "in-group":
            let body = try fields()
            try body.refuseFields(except: ["groups"], in: type)
            self = .inGroup(try body.requiredList(String.self, "groups", in: type))
        default:
            self = .unknown(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AccessJSONKey.self)
        let key = AccessJSONKey(type)
        switch self {
        case .boardMember(let filter):
            try container.encode(filter, forKey: key)
        case .profession(let keys):
            var body = container.nestedContainer(keyedBy: AccessJSONKey.self, forKey: key)
            try body.encode(keys, forKey: "in")
        case .platformRole(let roles):
            var body = container.nestedContainer(keyedBy: AccessJSONKey.self, forKey: key)
            try body.encode(roles, forKey: "in")
        case .date(let from, let until):
            var body = container.nestedContainer(keyedBy: AccessJSONKey.self, forKey: key)
            try body.encodeIfPresent(from, forKey: "from")
            try body.encodeIfPresent(until, forKey: "until")
        case .completed(let courses):
            var body = container.nestedContainer(keyedBy: AccessJSONKey.self, forKey: key)
            try body.encode(courses, forKey: "courses")
        case .inGroup(let groups):
            var body = container.nestedContainer(keyedBy: AccessJSONKey.self, forKey: key)
            try body.encode(groups, forKey: "groups")
        case .hasRegistrationNumber, .enrolmentKey, .unknown:
            // An unknown condition keeps only its name: it denies whatever its body said.
            _ = container.nestedContainer(keyedBy: AccessJSONKey.self, forKey: key)
        }
    }
}

struct AccessJSONKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init(stringLiteral value: String) { stringValue = value }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where K == AccessJSONKey {
    func onlyKey() throws -> AccessJSONKey {
        guard allKeys.count == 1, let key = allKeys.first else {
            let names = allKeys.map(\.stringValue).sorted().joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath,
                debugDescription: "A rule node is an object with exactly one member (all-of, any-of, not or a condition); found [\(names)]"))
        }
        return key
    }

    /// A misspelt field must not silently widen a rule, so unknown fields are refused.
    func refuseFields(except allowed: Set<String>, in type: String) throws {
        for key in allKeys where !allowed.contains(key.stringValue) {
            let valid = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [key],
                debugDescription: "'\(type)' has no field '\(key.stringValue)' (valid: \(valid))"))
        }
    }

    func nonEmptyList<T: Decodable>(_ type: T.Type, _ name: String) throws -> [T]? {
        guard let list = try decodeIfPresent([T].self, forKey: AccessJSONKey(name)) else { return nil }
        guard !list.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath + [AccessJSONKey(name)],
                debugDescription: "'\(name)' is empty; leave it out instead"))
        }
        return list
    }

    func requiredList<T: Decodable>(_ type: T.Type, _ name: String, in condition: String) throws -> [T] {
        guard let list = try nonEmptyList(type, name) else {
            throw DecodingError.keyNotFound(AccessJSONKey(name), .init(codingPath: codingPath,
                debugDescription: "'\(condition)' needs '\(name)'"))
        }
        return list
    }
}
