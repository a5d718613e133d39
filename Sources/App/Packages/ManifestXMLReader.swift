import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a manifest: local name, resolved namespace, attributes, children and text,
/// with the line and column where it starts so that reports can point at it.
public final class ManifestElement: @unchecked Sendable {
    public struct Attribute: Sendable, Equatable {
        public let namespace: String?
        public let name: String
        public let value: String
    }

    public let name: String
    public let namespace: String?
    public let line: Int
    public let column: Int
    public internal(set) var attributes: [Attribute]
    public internal(set) var children: [ManifestElement] = []
    public internal(set) var text: String = ""

    init(name: String, namespace: String?, attributes: [Attribute], line: Int, column: Int) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.line = line
        self.column = column
    }

    /// The value of the attribute with this local name, whatever prefix the file gave it; `nil` if absent.
    /// Real packages use odd prefixes (`adlcp:`, `adl:`, none), so matching is by local name unless a namespace is given.
    public func attribute(_ name: String, namespace: String? = nil) -> String? {
        attributes.first { $0.name == name && (namespace == nil || $0.namespace == namespace) }?.value
    }

    /// Like `attribute(_:)`, trimmed; `nil` when absent or blank.
    public func trimmedAttribute(_ name: String, namespace: String? = nil) -> String? {
        guard let value = attribute(name, namespace: namespace)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !value.isEmpty else { return nil }
        return value
    }

    /// Child elements with this local name (any namespace unless given).
    public func children(_ name: String, namespace: String? = nil) -> [ManifestElement] {
        children.filter { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    public func child(_ name: String, namespace: String? = nil) -> ManifestElement? {
        children.first { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    /// The element's own text, trimmed.
    public var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// All descendants in document order (not including self).
    public var descendants: [ManifestElement] {
        var result: [ManifestElement] = []
        var stack = Array(children.reversed())
        while let next = stack.popLast() {
            result.append(next)
            stack.append(contentsOf: next.children.reversed())
        }
        return result
    }
}

/// Why a manifest could not be read as XML at all.
public struct ManifestXMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case empty
        case notWellFormed
        case doctypeRefused
        case tooDeep
        case tooLarge
        case tooManyElements
    }

    public let kind: Kind
    public let line: Int?
    public let column: Int?
    /// What is wrong, as a phrase ("import.phrase.xml.<kind>") that findings embed and translate.
    public let text: IssueText
    public var detail: String { text.english }

    /// `variant` tells apart two texts of one kind (a DOCTYPE, an external entity).
    init(kind: Kind, line: Int?, column: Int?, detail: IssueText, variant: String? = nil) {
        self.kind = kind
        self.line = line
        self.column = column
        text = IssueText(phrase: "xml." + (variant.map { kind.rawValue + "." + $0 } ?? kind.rawValue), detail)
    }

    public var description: String {
        let place = line.map { " (line \($0)\(column.map { ", column \($0)" } ?? ""))" } ?? ""
        return "\(detail)\(place)"
    }
}

/// Reads manifest XML safely: a streaming libxml2 pass (no external entities, no DTDs, bounded depth,
/// element count and size) into a small element tree. Tolerates a BOM, leading whitespace and files
/// that declare UTF-8 but are Windows-1252.
public struct ManifestXMLReader: Sendable {
    public struct Limits: Sendable {
        public var maxBytes: Int = 64 * 1024 * 1024
        public var maxDepth: Int = 256
        public var maxElements: Int = 1_000_000
        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = .init()) {
        self.limits = limits
    }

    public func read(contentsOf url: URL) throws -> ManifestElement {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes[.size] as? Int, size > limits.maxBytes {
            throw ManifestXMLError(kind: .tooLarge, line: nil, column: nil,
                                   detail: "The manifest is \(size) bytes; the limit is \(limits.maxBytes) bytes")
        }
        return try read(Data(contentsOf: url))
    }

    public func read(_ data: Data) throws -> ManifestElement {
        guard data.count <= limits.maxBytes else {
            throw ManifestXMLError(kind: .tooLarge, line: nil, column: nil,
                                   detail: "The manifest is \(data.count) bytes; the limit is \(limits.maxBytes) bytes")
        }
        let cleaned = Self.stripPreamble(data)
        guard !cleaned.isEmpty else {
            throw ManifestXMLError(kind: .empty, line: nil, column: nil, detail: "The manifest is empty")
        }
        if Self.containsDoctype(cleaned) {
            throw ManifestXMLError(kind: .doctypeRefused, line: nil, column: nil,
                                   detail: "The manifest contains a <!DOCTYPE> declaration; DTDs and entities are refused for safety. Remove the DOCTYPE line")
        }
        do {
            return try parse(cleaned)
        } catch let error as ManifestXMLError where error.kind == .notWellFormed {
            // Files that declare UTF-8 but are really Windows-1252 fail on the first accented byte.
            guard String(data: cleaned, encoding: .utf8) == nil,
                  let latin = String(data: cleaned, encoding: .windowsCP1252),
                  let recoded = latin.data(using: .utf8) else { throw error }
            return try parse(recoded)
        }
    }

    private func parse(_ data: Data) throws -> ManifestElement {
        let stream = InputStream(data: data)
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        let builder = TreeBuilder(limits: limits, parser: parser)
        parser.delegate = builder
        let ok = parser.parse()
        if let limitError = builder.limitError { throw limitError }
        if !ok || parser.parserError != nil || builder.root == nil || builder.depth != 0 || builder.rootCount != 1 {
            let reason: IssueText
            if let error = parser.parserError as NSError? {
                reason = Self.describe(parserError: error)
            } else if builder.root == nil {
                reason = IssueText(phrase: "xml.reason.noRoot", "No root element was found")
            } else if builder.rootCount > 1 {
                reason = IssueText(phrase: "xml.reason.twoRoots", "There is more than one root element")
            } else {
                reason = IssueText(phrase: "xml.reason.unclosed", "An element is not closed")
            }
            throw ManifestXMLError(kind: .notWellFormed, line: builder.errorLine ?? parser.lineNumber,
                                   column: builder.errorColumn ?? parser.columnNumber,
                                   detail: "The manifest is not well-formed XML: \(reason)")
        }
        return builder.root!
    }

    static func describe(parserError error: NSError) -> IssueText {
        switch error.code {
        case 4: IssueText(phrase: "xml.reason.endsEarly", "the document is empty or ends too early")
        case 5, 85: IssueText(phrase: "xml.reason.unclosedAtEnd", "the document ends before all elements are closed")
        case 9: IssueText(phrase: "xml.reason.character", "it contains a character that is not allowed (check the file's encoding)")
        case 23, 68: IssueText(phrase: "xml.reason.ampersand", "an '&' is not part of an entity (write &amp;)")
        case 26: IssueText(phrase: "xml.reason.entity", "it uses an entity that is not defined")
        case 38, 39, 40: IssueText(phrase: "xml.reason.attribute", "an attribute is malformed (quote every value)")
        case 41: IssueText(phrase: "xml.reason.attributeTwice", "an attribute is written twice")
        case 73, 76: IssueText(phrase: "xml.reason.closingTag", "a closing tag does not match its opening tag")
        case 89, 111: IssueText(phrase: "xml.reason.expansion", "entity expansion was refused")
        default: IssueText(phrase: "xml.reason.other", "parser error \(error.code)")
        }
    }

    /// Drops a UTF-8 BOM and whitespace before `<?xml`, which make libxml2 fail.
    static func stripPreamble(_ data: Data) -> Data {
        var start = data.startIndex
        if data.count >= 3, data[start] == 0xEF, data[start + 1] == 0xBB, data[start + 2] == 0xBF {
            start += 3
        }
        while start < data.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(data[start]) {
            start += 1
        }
        return data[start...]
    }

    static func containsDoctype(_ data: Data) -> Bool {
        let needle = Array("<!DOCTYPE".utf8)
        let bytes = data.prefix(64 * 1024)
        guard bytes.count >= needle.count else { return false }
        var i = bytes.startIndex
        let end = bytes.endIndex - needle.count
        while i <= end {
            if bytes[i] == 0x3C {
                var match = true
                for k in 1..<needle.count where bytes[i + k] & 0xDF != needle[k] & 0xDF && needle[k] != 0x21 {
                    match = false
                    break
                }
                if match && bytes[i + 1] == 0x21 { return true }
            }
            i += 1
        }
        return false
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    let limits: ManifestXMLReader.Limits
    weak var parser: XMLParser?
    var root: ManifestElement?
    var stack: [ManifestElement] = []
    var scopes: [[String: String]] = [["xml": "http://www.w3.org/XML/1998/namespace"]]
    var depth = 0
    var rootCount = 0
    var elementCount = 0
    var limitError: ManifestXMLError?
    var errorLine: Int?
    var errorColumn: Int?

    init(limits: ManifestXMLReader.Limits, parser: XMLParser) {
        self.limits = limits
        self.parser = parser
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elementCount += 1
        if stack.count >= limits.maxDepth {
            fail(.tooDeep, "Elements are nested more than \(limits.maxDepth) levels deep")
            return
        }
        if elementCount > limits.maxElements {
            fail(.tooManyElements, "The manifest has more than \(limits.maxElements) elements")
            return
        }
        var scope = scopes.last ?? [:]
        var plain: [(String, String)] = []
        for (key, value) in attributeDict {
            if key == "xmlns" {
                scope[""] = value
            } else if key.hasPrefix("xmlns:") {
                scope[String(key.dropFirst(6))] = value
            } else {
                plain.append((key, value))
            }
        }
        scopes.append(scope)
        let (prefix, local) = Self.split(elementName)
        let namespace = scope[prefix ?? ""]
        if plain.count > 1 { plain.sort { $0.0 < $1.0 } }
        let attributes = plain.map { key, value -> ManifestElement.Attribute in
            let (p, l) = Self.split(key)
            return .init(namespace: p.flatMap { scope[$0] }, name: l, value: value)
        }
        let element = ManifestElement(name: local, namespace: namespace, attributes: attributes,
                                      line: parser.lineNumber, column: parser.columnNumber)
        if let parent = stack.last {
            parent.children.append(element)
        } else {
            rootCount += 1
            if root == nil { root = element }
        }
        stack.append(element)
        depth += 1
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        _ = stack.popLast()
        _ = scopes.popLast()
        depth -= 1
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if let string = String(data: CDATABlock, encoding: .utf8) {
            stack.last?.text += string
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if errorLine == nil {
            errorLine = parser.lineNumber
            errorColumn = parser.columnNumber
        }
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(.doctypeRefused, "The manifest refers to the external entity '\(name)'; external entities are refused",
             variant: "entity")
        return nil
    }

    private func fail(_ kind: ManifestXMLError.Kind, _ detail: IssueText, variant: String? = nil) {
        guard limitError == nil else { return }
        limitError = ManifestXMLError(kind: kind, line: parser?.lineNumber, column: parser?.columnNumber, detail: detail,
                                      variant: variant)
        parser?.abortParsing()
    }

    /// "adlcp:scormType" -> ("adlcp", "scormType"). Runs for every element and attribute name, so it looks for the
    /// colon among the UTF-8 bytes rather than the characters.
    static func split(_ name: String) -> (String?, String) {
        let bytes = name.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return (nil, name) }
        return (String(name[..<colon]), String(name[bytes.index(after: colon)...]))
    }
}
