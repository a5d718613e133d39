import Foundation

/// Reads access rules written in the academy's course manifest (grammar in docs/access-rules.md).
/// Strict on purpose: a misspelt element, attribute or key is an error, never a wider rule.
public enum AccessRuleXML {
    public static let namespace = "https://academy.vivel.be/xmlns/course/1"

    public static let compoundElements = ["all-of", "any-of", "not"]
    public static let conditionElements = AccessCondition.knownTypes
    public static var elementNames: [String] { compoundElements + conditionElements }

    static let attributes: [String: [String]] = [
        "all-of": [], "any-of": [], "not": [],
        "board-member": ["roles", "boards", "provinces", "clusters"],
        "profession": ["in"],
        "has-registration-number": [],
        "platform-role": ["in"],
        "date": ["from", "until"],
        "completed": ["courses"],
        "enrolment-key": [],
        "in-group": ["groups"],
    ]

    /// The rule, or `nil` when there is at least one error; `issues` may hold warnings either way.
    public struct Reading: Sendable, Equatable {
        public var rule: AccessRule?
        public var issues: [PackageIssue]
    }

    /// Reads one rule element (`<all-of>`, `<board-member/>`, ...). With a vocabulary, unknown board codes
    /// and group keys are errors and unknown course slugs warnings.
    public static func readRule(_ element: ManifestElement, file: String? = nil,
                                vocabulary: AccessVocabulary? = nil) -> Reading {
        var reader = Reader(file: file, vocabulary: vocabulary)
        let rule = reader.rule(element)
        return reader.finish(rule)
    }

    /// Reads the rule inside a container element such as the manifest's `<access>`: one child is the rule,
    /// several are an implicit all-of, none is an error.
    public static func readRule(childrenOf container: ManifestElement, file: String? = nil,
                                vocabulary: AccessVocabulary? = nil) -> Reading {
        var reader = Reader(file: file, vocabulary: vocabulary)
        reader.refuseText(in: container)
        let rule: AccessRule?
        switch container.children.count {
        case 0:
            reader.error("access.children", at: container,
                         "<\(container.name)> holds no access rule",
                         hint: "Put one rule element inside it: \(list(elementNames))")
            rule = nil
        case 1:
            rule = reader.rule(container.children[0])
        default:
            let rules = container.children.map { reader.rule($0) }
            rule = rules.contains(nil) ? nil : .allOf(rules.compactMap { $0 })
        }
        return reader.finish(rule)
    }

    /// The kinds of keys, as phrases that the texts of "access.key.unknown" embed.
    enum Kind {
        static let boardRole = IssueText(phrase: "access.kind.board-role", "board role")
        static let province = IssueText(phrase: "access.kind.province", "province")
        static let cluster = IssueText(phrase: "access.kind.cluster", "cluster")
        static let profession = IssueText(phrase: "access.kind.profession", "profession")
        static let platformRole = IssueText(phrase: "access.kind.platform-role", "platform role")
    }

    static func list(_ names: [String]) -> String {
        names.map { "<\($0)>" }.joined(separator: ", ")
    }

    private struct Reader {
        let file: String?
        let vocabulary: AccessVocabulary?
        var issues: [PackageIssue] = []

        init(file: String?, vocabulary: AccessVocabulary?) {
            self.file = file
            self.vocabulary = vocabulary
        }

        func finish(_ rule: AccessRule?) -> Reading {
            let failed = issues.contains { $0.severity == .error }
            return Reading(rule: failed ? nil : rule, issues: issues)
        }

        /// Findings keep their values apart from their words, so that they are shown in the reader's language
        /// (texts "import.issue.<wording or code>" in Messages+ImportIssues.swift).
        mutating func error(_ code: String, at element: ManifestElement, _ message: IssueText, hint: IssueText? = nil,
                            wording: String? = nil) {
            issues.append(.init(.error, code: code, file: file, line: element.line, column: element.column,
                                text: message, hint: hint, wording: wording))
        }

        mutating func warning(_ code: String, at element: ManifestElement, _ message: IssueText, hint: IssueText? = nil,
                              wording: String? = nil) {
            issues.append(.init(.warning, code: code, file: file, line: element.line, column: element.column,
                                text: message, hint: hint, wording: wording))
        }

        mutating func refuseText(in element: ManifestElement) {
            if !element.trimmedText.isEmpty {
                error("access.text.unexpected", at: element,
                      "<\(element.name)> contains text ('\(element.trimmedText.prefix(40))'); access rules are written with elements and attributes only")
            }
        }

        mutating func rule(_ element: ManifestElement) -> AccessRule? {
            let name = element.name
            guard element.namespace == nil || element.namespace == AccessRuleXML.namespace,
                  let allowed = AccessRuleXML.attributes[name] else {
                let hint: IssueText = "Valid elements (namespace \(AccessRuleXML.namespace)): \(list(elementNames))"
                if let foreign = element.namespace, foreign != AccessRuleXML.namespace {
                    error("access.element.unknown", at: element, "Unknown access rule element <\(name)> in namespace \(foreign)",
                          hint: hint, wording: "access.element.unknown.namespace")
                } else {
                    error("access.element.unknown", at: element, "Unknown access rule element <\(name)>", hint: hint)
                }
                return nil
            }
            checkAttributes(element, allowed: allowed)
            refuseText(in: element)

            switch name {
            case "all-of", "any-of":
                guard !element.children.isEmpty else {
                    if name == "any-of" {
                        error("access.children", at: element, "<any-of> is empty",
                              hint: "An empty <any-of> admits nobody; add rules or remove it", wording: "access.children.empty.any-of")
                    } else {
                        error("access.children", at: element, "<all-of> is empty",
                              hint: "An empty <all-of> admits everybody; add rules or remove it", wording: "access.children.empty.all-of")
                    }
                    return nil
                }
                let rules = element.children.map { rule($0) }
                guard !rules.contains(nil) else { return nil }
                return name == "all-of" ? .allOf(rules.compactMap { $0 }) : .anyOf(rules.compactMap { $0 })
            case "not":
                guard element.children.count == 1 else {
                    error("access.children", at: element,
                          "<not> must hold exactly one rule; it holds \(element.children.count)",
                          hint: "Wrap several rules in <any-of> or <all-of> inside <not>", wording: "access.children.not")
                    for child in element.children { _ = rule(child) }
                    return nil
                }
                return rule(element.children[0]).map { .not($0) }
            default:
                if let child = element.children.first {
                    error("access.children", at: child,
                          "<\(name)> is a condition and cannot contain <\(child.name)>",
                          hint: "Combine conditions with <all-of>, <any-of> or <not>", wording: "access.children.condition")
                }
                return condition(element)
            }
        }

        mutating func checkAttributes(_ element: ManifestElement, allowed: [String]) {
            // Namespaced attributes (xml:lang and the like) belong to other vocabularies.
            for attribute in element.attributes where attribute.namespace == nil && !allowed.contains(attribute.name) {
                let message: IssueText = "<\(element.name)> has no attribute '\(attribute.name)'"
                if allowed.isEmpty {
                    error("access.attribute.unknown", at: element, message,
                          hint: "<\(element.name)> takes no attributes", wording: "access.attribute.unknown.none")
                } else {
                    error("access.attribute.unknown", at: element, message,
                          hint: "Valid attributes: \(allowed.joined(separator: ", "))")
                }
            }
        }

        /// The space-separated list in an attribute; `nil` when the attribute is absent.
        mutating func listAttribute(_ name: String, of element: ManifestElement) -> [String]? {
            guard let raw = element.attributes.first(where: { $0.namespace == nil && $0.name == name })?.value else {
                return nil
            }
            let items = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
                .map(String.init)
            if items.isEmpty {
                error("access.attribute.empty", at: element, "<\(element.name) \(name)=\"\"> is empty",
                      hint: "Give at least one value separated by spaces, or leave the attribute out")
                return []
            }
            return items
        }

        mutating func requiredList(_ name: String, of element: ManifestElement) -> [String] {
            guard let items = listAttribute(name, of: element) else {
                error("access.attribute.missing", at: element, "<\(element.name)> needs the attribute '\(name)'")
                return []
            }
            return items
        }

        mutating func keys<K: AccessKey>(_ raw: [String], as type: K.Type, kind: IssueText, in element: ManifestElement) -> [K] {
            let keys = raw.map(K.init)
            for key in keys where !key.isKnown {
                error("access.key.unknown", at: element, "Unknown \(kind) '\(key.rawValue)' in <\(element.name)>",
                      hint: "Valid \(kind) keys: \(K.known.map(\.rawValue).joined(separator: ", "))")
            }
            return keys
        }

        /// The values the platform does not know; none without a vocabulary.
        func unknown(_ values: [String], known: KeyPath<AccessVocabulary, Set<String>>) -> [String] {
            guard let vocabulary else { return [] }
            return values.filter { !vocabulary[keyPath: known].contains($0) }
        }

        mutating func condition(_ element: ManifestElement) -> AccessRule? {
            switch element.name {
            case "board-member":
                let roles = listAttribute("roles", of: element).map { keys($0, as: BoardRole.self, kind: Kind.boardRole, in: element) } ?? []
                let boards = listAttribute("boards", of: element) ?? []
                let provinces = listAttribute("provinces", of: element).map { keys($0, as: Province.self, kind: Kind.province, in: element) } ?? []
                let clusters = listAttribute("clusters", of: element).map { keys($0, as: CareBoardCluster.self, kind: Kind.cluster, in: element) } ?? []
                for board in unknown(boards, known: \.boards) {
                    error("access.board.unknown", at: element, "Unknown care board '\(board)' in <\(element.name)>",
                          hint: "Use the care board's key as the platform knows it")
                }
                return .boardMember(roles: roles, boards: boards, provinces: provinces, clusters: clusters)
            case "profession":
                return .condition(.profession(keys(requiredList("in", of: element), as: ProfessionKey.self, kind: Kind.profession, in: element)))
            case "has-registration-number":
                return .hasRegistrationNumber
            case "platform-role":
                return .condition(.platformRole(keys(requiredList("in", of: element), as: PlatformRole.self, kind: Kind.platformRole, in: element)))
            case "date":
                let from = day("from", of: element)
                let until = day("until", of: element)
                if element.attribute("from") == nil && element.attribute("until") == nil {
                    error("access.attribute.missing", at: element, "<date> needs 'from', 'until' or both",
                          wording: "access.attribute.missing.date")
                    return nil
                }
                if let from = from ?? nil, let until = until ?? nil, from > until {
                    error("access.date.order", at: element, "<date> opens on \(from) after it closes on \(until)",
                          hint: "'from' must not be after 'until'; both days are included")
                }
                return .date(from: from ?? nil, until: until ?? nil)
            case "completed":
                let courses = requiredList("courses", of: element)
                for course in unknown(courses, known: \.courses) {
                    warning("access.course.unknown", at: element, "Unknown course '\(course)' in <\(element.name)>",
                            hint: "Until a course with this key exists the rule denies access")
                }
                return .condition(.completed(courses: courses))
            case "enrolment-key":
                return .enrolmentKey
            case "in-group":
                let groups = requiredList("groups", of: element)
                for group in unknown(groups, known: \.groups) {
                    error("access.group.unknown", at: element, "Unknown group '\(group)' in <\(element.name)>",
                          hint: "Use the group's key as the platform knows it")
                }
                return .condition(.inGroup(groups))
            default:
                return nil
            }
        }

        /// `.some(nil)` when the attribute is absent, `nil` when it is malformed (reported).
        mutating func day(_ name: String, of element: ManifestElement) -> CalendarDay?? {
            guard let raw = element.attribute(name) else { return .some(nil) }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let day = CalendarDay(iso: text) else {
                error("access.date.invalid", at: element, "<date \(name)=\"\(raw)\"> is not a calendar day",
                      hint: "Write the day as YYYY-MM-DD, e.g. 2026-03-01")
                return nil
            }
            return .some(day)
        }
    }
}
