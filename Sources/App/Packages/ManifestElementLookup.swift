import Foundation

/// Look-ups that tolerate how authoring tools spell names: `scormtype` and `scormType`, `masteryscore` and
/// `masteryScore`, `typicallearningtime` and `typicalLearningTime` all occur in real manifests.
extension ManifestElement {
    /// The attribute with this local name in any letter case and any namespace, trimmed; `nil` when absent.
    /// An empty value is returned as "" so that callers can tell "present but empty" from "absent".
    func attributeIgnoringCase(_ name: String) -> String? {
        attributes.first { Self.sameIgnoringASCIICase($0.name, name) }.map { Self.trimmed($0.value) }
    }

    /// The first child with this local name in any letter case and any namespace.
    func childIgnoringCase(_ name: String) -> ManifestElement? {
        children.first { Self.sameIgnoringASCIICase($0.name, name) }
    }

    /// Children with this local name in any letter case and any namespace.
    func childrenIgnoringCase(_ name: String) -> [ManifestElement] {
        children.filter { Self.sameIgnoringASCIICase($0.name, name) }
    }

    /// Compares names byte by byte, folding ASCII letters; names in manifests are ASCII, and this runs for
    /// every look-up in manifests of thousands of items, so it avoids allocating lower-cased copies.
    static func sameIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where p != q {
            guard p | 0x20 == q | 0x20, (0x61...0x7A).contains(p | 0x20) else { return false }
        }
        return true
    }

    /// `text` without leading and trailing white space; returns the same string when there is none to remove.
    static func trimmed(_ text: String) -> String {
        guard let first = text.first, let last = text.last else { return text }
        if !first.isWhitespace && !last.isWhitespace { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
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
