import Foundation

/// The access-rule editor as a form that needs no JavaScript. The tree travels as fields named by each
/// node's position ("1" is the root group, "1.2" its second part, "1.2.1" the first part of that), e.g.
/// `1.kind=any-of`, `1.2.kind=board-member`, `1.2.provinces=limburg`. Every button posts the whole tree
/// with an `action` (add a part under a group, remove a node, preview, save); the server rebuilds the tree,
/// applies the action and renders the form again, so nothing is lost between steps.
public struct AccessRuleForm: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case allOf = "all-of"
        case anyOf = "any-of"
        case not
        case boardMember = "board-member"
        case profession
        case hasRegistrationNumber = "has-registration-number"
        case platformRole = "platform-role"
        case date
        case completed
        case enrolmentKey = "enrolment-key"
        case inGroup = "in-group"
        /// A condition type this version does not know (kept so that it can be seen and removed).
        case unknown

        public var isGroup: Bool { self == .allOf || self == .anyOf || self == .not }
        public static let groupKinds: [Kind] = [.allOf, .anyOf, .not]
        public static let conditionKinds: [Kind] = [.boardMember, .profession, .hasRegistrationNumber, .platformRole,
                                                    .date, .completed, .enrolmentKey, .inGroup]
    }

    public struct Node: Sendable, Equatable {
        public var kind: Kind
        public var unknownType = ""
        public var roles: [String] = []
        public var boards: [String] = []
        public var provinces: [String] = []
        public var clusters: [String] = []
        public var professions: [String] = []
        public var platformRoles: [String] = []
        public var from = ""
        public var until = ""
        public var courses: [String] = []
        public var groups: [String] = []
        public var children: [Node] = []

        public init(kind: Kind) {
            self.kind = kind
        }
    }

    /// What is wrong with one node: a message key (`settings.access.error.<code>`) and its arguments.
    public struct Problem: Sendable, Equatable {
        /// The node's position ("1.2").
        public var path: String
        public var code: String
        public var arguments: [String]

        public init(_ path: String, _ code: String, _ arguments: [String] = []) {
            self.path = path
            self.code = code
            self.arguments = arguments
        }
    }

    public enum Action: Sendable, Equatable {
        /// Re-render with what was posted (also what an unknown action does).
        case refresh
        case preview
        case save
        case add(path: String, kind: Kind)
        case remove(path: String)
    }

    /// Posted trees larger than this are cut: no real rule comes near.
    public static let maximumNodes = 200
    public static let maximumDepth = 8

    /// Always a group; an empty root means "no rule".
    public var root: Node
    public var whenDenied: AccessPolicy.WhenDenied

    public init(root: Node = Node(kind: .allOf), whenDenied: AccessPolicy.WhenDenied = .showLocked) {
        self.root = root.kind.isGroup ? root : Self.wrapped(root)
        self.whenDenied = whenDenied
    }

    // MARK: From a rule

    public init(rule: AccessRule?, whenDenied: AccessPolicy.WhenDenied) {
        let node = rule.map(Self.node) ?? Node(kind: .allOf)
        self.init(root: node, whenDenied: whenDenied)
    }

    static func wrapped(_ node: Node) -> Node {
        var group = Node(kind: .allOf)
        group.children = [node]
        return group
    }

    static func node(_ rule: AccessRule) -> Node {
        switch rule {
        case .allOf(let rules):
            var node = Node(kind: .allOf)
            node.children = rules.map(Self.node)
            return node
        case .anyOf(let rules):
            var node = Node(kind: .anyOf)
            node.children = rules.map(Self.node)
            return node
        case .not(let inner):
            var node = Node(kind: .not)
            node.children = [Self.node(inner)]
            return node
        case .condition(let condition):
            return node(condition)
        }
    }

    static func node(_ condition: AccessCondition) -> Node {
        switch condition {
        case .boardMember(let filter):
            var node = Node(kind: .boardMember)
            node.roles = filter.roles.map(\.rawValue)
            node.boards = filter.boards
            node.provinces = filter.provinces.map(\.rawValue)
            node.clusters = filter.clusters.map(\.rawValue)
            return node
        case .profession(let keys):
            var node = Node(kind: .profession)
            node.professions = keys.map(\.rawValue)
            return node
        case .hasRegistrationNumber:
            return Node(kind: .hasRegistrationNumber)
        case .platformRole(let roles):
            var node = Node(kind: .platformRole)
            node.platformRoles = roles.map(\.rawValue)
            return node
        case .date(let from, let until):
            var node = Node(kind: .date)
            node.from = from?.iso ?? ""
            node.until = until?.iso ?? ""
            return node
        case .completed(let courses):
            var node = Node(kind: .completed)
            node.courses = courses
            return node
        case .enrolmentKey:
            return Node(kind: .enrolmentKey)
        case .inGroup(let groups):
            var node = Node(kind: .inGroup)
            node.groups = groups
            return node
        case .unknown(let type):
            var node = Node(kind: .unknown)
            node.unknownType = type
            return node
        }
    }

    // MARK: From posted fields

    /// Rebuilds the tree from posted fields (name, value) in any order; repeated names are lists.
    /// Nodes whose parent is missing, and anything beyond `maximumNodes` or `maximumDepth`, are dropped.
    public init(fields: [(String, String)]) {
        var values: [[Int]: [String: [String]]] = [:]
        var whenDenied = AccessPolicy.WhenDenied.showLocked
        for (name, value) in fields {
            if name == "when-denied" {
                whenDenied = AccessPolicy.WhenDenied(rawValue: value) ?? .showLocked
                continue
            }
            guard let dot = name.lastIndex(of: "."),
                  let path = Self.path(String(name[..<dot])), path.count <= Self.maximumDepth else { continue }
            let field = String(name[name.index(after: dot)...])
            if values[path] == nil {
                guard values.count < Self.maximumNodes else { continue }
                values[path] = [:]
            }
            values[path]?[field, default: []].append(value)
        }
        func build(_ path: [Int]) -> Node? {
            guard let fields = values[path] else { return nil }
            let kindText = fields["kind"]?.first ?? ""
            var node = Node(kind: Kind(rawValue: kindText) ?? .unknown)
            if node.kind == .unknown { node.unknownType = fields["unknown"]?.first ?? kindText }
            let list = { (name: String) in (fields[name] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            node.roles = list("roles")
            node.boards = list("boards")
            node.provinces = list("provinces")
            node.clusters = list("clusters")
            node.professions = list("professions")
            node.platformRoles = list("platform-roles")
            node.courses = list("courses")
            node.groups = list("groups")
            node.from = list("from").first ?? ""
            node.until = list("until").first ?? ""
            let childPaths = values.keys.filter { $0.count == path.count + 1 && Array($0.prefix(path.count)) == path }
                .sorted { $0.last! < $1.last! }
            node.children = node.kind.isGroup ? childPaths.compactMap(build) : []
            return node
        }
        self.init(root: build([1]) ?? Node(kind: .allOf), whenDenied: whenDenied)
    }

    /// "1.2.3" -> [1, 2, 3]; nil for anything else.
    static func path(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.first == "1" else { return nil }
        var path: [Int] = []
        for part in parts {
            guard let number = Int(part), number >= 1, number <= 999 else { return nil }
            path.append(number)
        }
        return path
    }

    /// Reads the `action` field: "save", "preview", "add:1.2" (with the kind in "1.2.add"), "remove:1.2".
    public static func action(from fields: [(String, String)]) -> Action {
        let value = fields.last { $0.0 == "action" }?.1 ?? ""
        if value == "save" { return .save }
        if value == "preview" { return .preview }
        if value.hasPrefix("add:") {
            let path = String(value.dropFirst(4))
            let kind = fields.last { $0.0 == "\(path).add" }.flatMap { Kind(rawValue: $0.1) } ?? .boardMember
            return .add(path: path, kind: kind == .unknown ? .boardMember : kind)
        }
        if value.hasPrefix("remove:") { return .remove(path: String(value.dropFirst(7))) }
        return .refresh
    }

    // MARK: Editing

    /// Applies an editing action; `false` when it names no suitable node (a stale page).
    @discardableResult
    public mutating func apply(_ action: Action) -> Bool {
        switch action {
        case .refresh, .preview, .save:
            return true
        case .add(let text, let kind):
            guard let path = Self.path(text), path.count < Self.maximumDepth, nodeCount < Self.maximumNodes else { return false }
            return update(path) { node in
                guard node.kind.isGroup, !(node.kind == .not && !node.children.isEmpty) else { return false }
                node.children.append(Node(kind: kind))
                return true
            }
        case .remove(let text):
            guard let path = Self.path(text) else { return false }
            if path == [1] {
                root = Node(kind: .allOf)
                return true
            }
            let index = path.last! - 1
            return update(Array(path.dropLast())) { parent in
                guard parent.children.indices.contains(index) else { return false }
                parent.children.remove(at: index)
                return true
            }
        }
    }

    private mutating func update(_ path: [Int], _ change: (inout Node) -> Bool) -> Bool {
        func walk(_ node: inout Node, _ rest: ArraySlice<Int>) -> Bool {
            guard let next = rest.first else { return change(&node) }
            guard node.children.indices.contains(next - 1) else { return false }
            return walk(&node.children[next - 1], rest.dropFirst())
        }
        guard path.first == 1 else { return false }
        return walk(&root, path.dropFirst())
    }

    public var nodeCount: Int {
        func count(_ node: Node) -> Int { 1 + node.children.reduce(0) { $0 + count($1) } }
        return count(root)
    }

    /// Every node in reading order, with its position and depth (the root has depth 0).
    public var flattened: [(path: String, depth: Int, node: Node)] {
        var result: [(path: String, depth: Int, node: Node)] = []
        func walk(_ node: Node, _ path: String, _ depth: Int) {
            result.append((path, depth, node))
            for (index, child) in node.children.enumerated() { walk(child, "\(path).\(index + 1)", depth + 1) }
        }
        walk(root, "1", 0)
        return result
    }

    /// The fields the editor page posts for this tree (what `init(fields:)` reads back).
    public var fields: [(String, String)] {
        var result: [(String, String)] = [("when-denied", whenDenied.rawValue)]
        for (path, _, node) in flattened {
            result.append(("\(path).kind", node.kind.rawValue))
            if node.kind == .unknown { result.append(("\(path).unknown", node.unknownType)) }
            for (name, values) in [("roles", node.roles), ("boards", node.boards), ("provinces", node.provinces),
                                   ("clusters", node.clusters), ("professions", node.professions),
                                   ("platform-roles", node.platformRoles), ("courses", node.courses), ("groups", node.groups)] {
                result += values.map { ("\(path).\(name)", $0) }
            }
            if node.kind == .date {
                result.append(("\(path).from", node.from))
                result.append(("\(path).until", node.until))
            }
        }
        return result
    }

    // MARK: To a rule

    /// The rule the form describes, or what is wrong with it, node by node. An empty root group means no
    /// rule (`nil`); a root all-of with one part is that part, so a single condition stays a single condition.
    /// Keys are checked against the platform's vocabulary and the known provinces, clusters, roles and
    /// professions: a rule naming anything else would deny everyone, so it is refused here.
    public func rule(vocabulary: AccessVocabulary) -> (rule: AccessRule?, problems: [Problem]) {
        var problems: [Problem] = []
        func convert(_ node: Node, _ path: String) -> AccessRule? {
            let parts = node.children.enumerated().map { convert($1, "\(path).\($0 + 1)") }
            switch node.kind {
            case .allOf, .anyOf:
                if node.children.isEmpty {
                    problems.append(Problem(path, "empty-group"))
                    return nil
                }
                let rules = parts.compactMap { $0 }
                guard rules.count == parts.count else { return nil }
                return node.kind == .allOf ? .allOf(rules) : .anyOf(rules)
            case .not:
                guard node.children.count == 1 else {
                    problems.append(Problem(path, "not-one"))
                    return nil
                }
                return parts[0].map { .not($0) }
            default:
                return condition(node, path, vocabulary, &problems).map { .condition($0) }
            }
        }
        if root.children.isEmpty && root.kind != .not { return (nil, []) }
        var rule = convert(root, "1")
        if case .allOf(let rules)? = rule, rules.count == 1 { rule = rules[0] }
        return problems.isEmpty ? (rule, []) : (nil, problems)
    }

    private func condition(_ node: Node, _ path: String, _ vocabulary: AccessVocabulary, _ problems: inout [Problem]) -> AccessCondition? {
        let before = problems.count
        func known<K: AccessKey>(_ values: [String], _ type: K.Type, _ what: String) -> [K] {
            let keys = values.map(K.init)
            for key in keys where !key.isKnown { problems.append(Problem(path, "unknown-key", [what, key.rawValue])) }
            return keys
        }
        func inVocabulary(_ values: [String], _ known: Set<String>, _ what: String) -> [String] {
            for value in values where !known.contains(value) { problems.append(Problem(path, "unknown-key", [what, value])) }
            return values
        }
        func required(_ values: [String], _ what: String) {
            if values.isEmpty { problems.append(Problem(path, "needs-choice", [what])) }
        }
        let result: AccessCondition?
        switch node.kind {
        case .boardMember:
            result = .boardMember(BoardMembershipCondition(
                roles: known(node.roles, BoardRole.self, "roles"),
                boards: inVocabulary(node.boards, vocabulary.boards, "boards"),
                provinces: known(node.provinces, Province.self, "provinces"),
                clusters: known(node.clusters, CareBoardCluster.self, "clusters")))
        case .profession:
            required(node.professions, "professions")
            result = .profession(known(node.professions, ProfessionKey.self, "professions"))
        case .hasRegistrationNumber:
            result = .hasRegistrationNumber
        case .platformRole:
            required(node.platformRoles, "platform-roles")
            result = .platformRole(known(node.platformRoles, PlatformRole.self, "platform-roles"))
        case .date:
            let from = node.from.isEmpty ? nil : CalendarDay(iso: node.from)
            let until = node.until.isEmpty ? nil : CalendarDay(iso: node.until)
            if !node.from.isEmpty && from == nil { problems.append(Problem(path, "date-invalid", ["from", node.from])) }
            if !node.until.isEmpty && until == nil { problems.append(Problem(path, "date-invalid", ["until", node.until])) }
            if node.from.isEmpty && node.until.isEmpty { problems.append(Problem(path, "date-empty")) }
            if let from, let until, from > until { problems.append(Problem(path, "date-order", [from.iso, until.iso])) }
            result = .date(from: from, until: until)
        case .completed:
            required(node.courses, "courses")
            result = .completed(courses: inVocabulary(node.courses, vocabulary.courses, "courses"))
        case .enrolmentKey:
            result = .enrolmentKey
        case .inGroup:
            required(node.groups, "groups")
            result = .inGroup(inVocabulary(node.groups, vocabulary.groups, "groups"))
        case .unknown:
            problems.append(Problem(path, "unknown-condition", [node.unknownType]))
            result = nil
        case .allOf, .anyOf, .not:
            result = nil
        }
        return problems.count == before ? result : nil
    }
}
