import Foundation

/// Look-ups that tolerate how authoring tools spell names: `scormtype` and `scormType`, `masteryscore` and
/// `masteryScore`, `typicallearningtime` and `typicalLearningTime` all occur in real manifests.
extension ManifestElement {
    /// The attribute with this local name in any letter case and any namespace, trimmed; `nil` when absent.
    /// An empty value is returned as "" so that callers can tell "present but empty" from "absent".
    func attributeIgnoringCase(_ name: String) -> String? {
        let wanted = name.lowercased()
        return attributes.first { $0.name.lowercased() == wanted }?
            .value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The first child with this local name in any letter case and any namespace.
    func childIgnoringCase(_ name: String) -> ManifestElement? {
        let wanted = name.lowercased()
        return children.first { $0.name.lowercased() == wanted }
    }

    /// Children with this local name in any letter case and any namespace.
    func childrenIgnoringCase(_ name: String) -> [ManifestElement] {
        let wanted = name.lowercased()
        return children.filter { $0.name.lowercased() == wanted }
    }

    /// The element reached by following local names (any case), e.g. `path("general", "title")`.
    func path(_ names: String...) -> ManifestElement? {
        var current: ManifestElement? = self
        for name in names { current = current?.childIgnoringCase(name) }
        return current
    }

    /// The element's trimmed text, `nil` when blank.
    var nonEmptyText: String? {
        let text = trimmedText
        return text.isEmpty ? nil : text
    }

    /// Whether the element's namespace contains `marker` (compared in lower case), e.g. "imsss".
    func namespaceContains(_ marker: String) -> Bool {
        namespace?.lowercased().contains(marker) ?? false
    }

    /// The element as XML text, namespaces declared on the outermost element with conventional prefixes.
    /// Used to keep blocks such as `imsss:sequencing` for later interpretation.
    var xmlText: String {
        var prefixes: [String: String] = [:]
        var order: [String] = []
        func collect(_ element: ManifestElement) {
            for namespace in [element.namespace] + element.attributes.map(\.namespace) {
                guard let namespace, prefixes[namespace] == nil, namespace != Self.xmlNamespace else { continue }
                var prefix = Self.conventionalPrefix(for: namespace) ?? "ns\(order.count + 1)"
                if prefixes.values.contains(prefix) { prefix = "ns\(order.count + 1)" }
                prefixes[namespace] = prefix
                order.append(namespace)
            }
            element.children.forEach(collect)
        }
        collect(self)
        prefixes[Self.xmlNamespace] = "xml"
        var output = ""
        func write(_ element: ManifestElement, declare: Bool) {
            let name = element.namespace.flatMap { prefixes[$0] }.map { "\($0):\(element.name)" } ?? element.name
            output += "<" + name
            if declare {
                for namespace in order { output += " xmlns:\(prefixes[namespace]!)=\"\(Self.escape(namespace))\"" }
            }
            for attribute in element.attributes {
                let attributeName = attribute.namespace.flatMap { prefixes[$0] }.map { "\($0):\(attribute.name)" } ?? attribute.name
                output += " \(attributeName)=\"\(Self.escape(attribute.value))\""
            }
            let text = element.children.isEmpty ? element.trimmedText : ""
            if element.children.isEmpty && text.isEmpty {
                output += "/>"
                return
            }
            output += ">" + Self.escape(text, quotes: false)
            for child in element.children { write(child, declare: false) }
            output += "</\(name)>"
        }
        write(self, declare: true)
        return output
    }

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    private static func conventionalPrefix(for namespace: String) -> String? {
        let lower = namespace.lowercased()
        if lower.hasSuffix("/imsss") || lower.contains("imsss_") { return "imsss" }
        if lower.contains("adlseq") { return "adlseq" }
        if lower.contains("adlnav") { return "adlnav" }
        if lower.contains("adlcp") { return "adlcp" }
        return nil
    }

    private static func escape(_ text: String, quotes: Bool = true) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where quotes: result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
