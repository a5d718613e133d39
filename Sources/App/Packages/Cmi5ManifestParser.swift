import Foundation

/// Reads a cmi5 course structure (cmi5.xml) into a `CoursePackage`: blocks become folder modules, AUs become
/// `.au` modules carrying `Cmi5AUData`. Follows the cmi5 specification's section 13: values are trimmed, child
/// elements come in the schema's order, ids are absolute IRIs and unique, and an AU's URL must not carry the
/// names of the launch parameters the LMS adds. Elements in other namespaces are extensions and are ignored.
public struct Cmi5ManifestParser: Sendable {
    public var xmlReader: ManifestXMLReader

    public init(xmlReader: ManifestXMLReader = ManifestXMLReader()) {
        self.xmlReader = xmlReader
    }

    /// Parses cmi5.xml bytes. Returns `nil` when the report gained an error (the package is refused).
    public func parse(_ data: Data, file: String = "cmi5.xml", report: inout PackageReport) -> CoursePackage? {
        guard let root = xmlReader.read(data, file: file, report: &report) else { return nil }
        return parse(root, file: file, report: &report)
    }

    public func parse(_ root: ManifestElement, file: String = "cmi5.xml", report: inout PackageReport) -> CoursePackage? {
        let errorsBefore = report.errors.count
        var build = Cmi5Build(file: file, report: report)
        let package = build.run(root)
        report = build.report
        return report.errors.count == errorsBefore ? package : nil
    }

    /// Query parameters the LMS appends at launch; an AU URL that already has them would be ambiguous (spec 8.1).
    public static let reservedLaunchParameters: Set<String> = ["endpoint", "fetch", "actor", "registration", "activityId"]
    public static let moveOnValues: Set<String> = ["Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"]
    public static let launchMethods: Set<String> = ["AnyWindow", "OwnWindow"]

    /// Whether `text` is an absolute IRI: a scheme, a colon, something after it, and no white space.
    public static func isAbsoluteIRI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex,
              text.index(after: colon) != text.endIndex else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return false }
        return !text.contains { $0.isWhitespace || "<>\"{}|\\^`".contains($0) }
    }
}

private struct Cmi5Build {
    let file: String
    var report: PackageReport
    var namespace: String?
    var ids: [String: ManifestElement] = [:]
    var language = LanguageCode.undetermined
    var files: [String] = []
    var seenFiles: Set<String> = []
    var auCount = 0

    init(file: String, report: PackageReport) {
        self.file = file
        self.report = report
    }

    mutating func run(_ root: ManifestElement) -> CoursePackage? {
        guard root.name == "courseStructure" else {
            report.error("cmi5.root", file: file, at: root,
                         "The root element is <\(root.name)>, not <courseStructure>, so this is not a cmi5 course structure",
                         hint: "cmi5.xml starts with <courseStructure xmlns=\"https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd\">")
            return nil
        }
        namespace = root.namespace
        if let namespace {
            if !ManifestNamespace.isCmi5CourseStructure(namespace) {
                report.error("cmi5.namespace", file: file, at: root,
                             "The course structure's namespace '\(namespace)' is not the cmi5 namespace",
                             hint: "Use xmlns=\"https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd\"")
                return nil
            }
            if !ManifestNamespace.isCmi5Final(namespace) {
                report.warning("cmi5.namespace.draft", file: file, at: root,
                               "The course structure uses the draft namespace '\(namespace)'; it is read as cmi5 1.0",
                               hint: "Use xmlns=\"https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd\"")
            }
        } else {
            report.warning("cmi5.namespace.missing", file: file, at: root,
                           "The course structure declares no namespace; it is read as cmi5 1.0",
                           hint: "Add xmlns=\"https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd\" to <courseStructure>")
        }

        let children = own(root.children)
        checkOrder(children, of: root, what: "<courseStructure>",
                   slots: [.init("course", required: true), .init("objectives")], allowsContent: true)
        guard let course = children.first(where: { $0.name == "course" }) else {
            report.error("cmi5.course.missing", file: file, at: root,
                         "The course structure has no <course> element",
                         hint: "Add <course id=\"https://...\"> with a title and description as the first child")
            return nil
        }
        checkOrder(own(course.children), of: course, what: "<course>",
                   slots: [.init("title", required: true), .init("description", required: true)], allowsContent: false)
        let identifier = checkedID(course, what: IssueText(phrase: "cmi5.course", "course"))
        language = langstrings(course, "title").first?.language ?? LanguageCode.undetermined
        let courseTitle = title(of: course, key: identifier ?? "", what: IssueText(phrase: "cmi5.course", "course"))
        let description = localized(langstrings(course, "description"))

        let modules = content(of: root, blockID: nil)
        if auCount == 0 {
            report.error("cmi5.au.none", file: file, at: root,
                         "The course structure has no <au>, so there is nothing to launch",
                         hint: "Add at least one <au> with a <url>")
        }
        var package = CoursePackage(standard: .cmi5, standardVersion: "1.0", identifier: identifier ?? "",
                                    language: language, title: courseTitle, modules: modules)
        package.description = description
        package.files = files
        return package
    }

    /// Children in the course structure's namespace; other namespaces are extensions (spec 13.1.5).
    func own(_ elements: [ManifestElement]) -> [ManifestElement] {
        elements.filter { $0.namespace == namespace || $0.namespace == nil }
    }

    mutating func content(of parent: ManifestElement, blockID: String?) -> [PackageModule] {
        var modules: [PackageModule] = []
        for child in own(parent.children) {
            switch child.name {
            case "au": if let module = au(child, blockID: blockID) { modules.append(module) }
            case "block": if let module = block(child) { modules.append(module) }
            default: continue
            }
        }
        return modules
    }

    mutating func block(_ element: ManifestElement) -> PackageModule? {
        let children = own(element.children)
        checkOrder(children, of: element, what: "<block>",
                   slots: [.init("title", required: true), .init("description", required: true), .init("objectives")], allowsContent: true)
        let id = checkedID(element, what: IssueText(phrase: "cmi5.block", "block"))
        let key = id ?? ""
        var module = PackageModule(key: key, title: title(of: element, key: key, what: IssueText(phrase: "cmi5.block", "block")), kind: .folder)
        module.children = content(of: element, blockID: id)
        if !children.contains(where: { $0.name == "au" || $0.name == "block" }) {
            report.error("cmi5.block.empty", file: file, at: element,
                         "Block '\(key)' holds no <au> or <block>",
                         hint: "Put at least one AU in the block, or remove it")
        }
        return module
    }

    mutating func au(_ element: ManifestElement, blockID: String?) -> PackageModule? {
        auCount += 1
        let children = own(element.children)
        checkOrder(children, of: element, what: "<au>",
                   slots: [.init("title", required: true), .init("description", required: true), .init("objectives"),
                           .init("url", required: true), .init("launchParameters"), .init("entitlementKey")],
                   allowsContent: false, tolerated: Self.auAttributes)
        let id = checkedID(element, what: IssueText(phrase: "cmi5.au", "AU"))
        let key = id ?? ""
        var data = Cmi5AUData()
        data.blockID = blockID
        let moveOn = Self.auAttribute("moveOn", of: element, children: children)
        let launchMethod = Self.auAttribute("launchMethod", of: element, children: children)
        let masteryScore = Self.auAttribute("masteryScore", of: element, children: children)
        let activityType = Self.auAttribute("activityType", of: element, children: children)
        for (name, value) in [("moveOn", moveOn), ("launchMethod", launchMethod), ("masteryScore", masteryScore), ("activityType", activityType)]
        where value?.fromElement == true {
            report.warning("cmi5.au.attributeAsElement", file: file, at: children.first { $0.name == name },
                           "AU '\(key)' gives \(name) as an element; the cmi5 schema makes it an attribute of <au>. It is read anyway",
                           hint: "Write <au id=\"...\" \(name)=\"...\">")
        }
        if let value = moveOn?.value {
            if Cmi5ManifestParser.moveOnValues.contains(value) {
                data.moveOn = value
            } else {
                report.error("cmi5.au.moveOn.invalid", file: file, at: element,
                             "AU '\(key)' has moveOn=\"\(value)\", which cmi5 does not define",
                             hint: "Use one of: \(Cmi5ManifestParser.moveOnValues.sorted().joined(separator: ", "))")
            }
        }
        if let value = launchMethod?.value {
            if Cmi5ManifestParser.launchMethods.contains(value) {
                data.launchMethod = value
            } else {
                report.error("cmi5.au.launchMethod.invalid", file: file, at: element,
                             "AU '\(key)' has launchMethod=\"\(value)\", which cmi5 does not define",
                             hint: "Use AnyWindow or OwnWindow")
            }
        }
        if let value = masteryScore?.value {
            if let score = Double(value), (0...1).contains(score) {
                data.masteryScore = score
            } else {
                report.error("cmi5.au.masteryScore.invalid", file: file, at: element,
                             "AU '\(key)' has masteryScore=\"\(value)\", which is not a decimal from 0 to 1",
                             hint: "Write the mastery score as a decimal from 0 to 1, e.g. 0.8")
            }
        }
        data.activityType = activityType?.value
        data.launchParameters = children.first { $0.name == "launchParameters" }?.nonEmptyText
        data.entitlementKey = children.first { $0.name == "entitlementKey" }?.nonEmptyText

        var module = PackageModule(key: key, title: title(of: element, key: key, what: IssueText(phrase: "cmi5.au", "AU")), kind: .au)
        if let urlElement = children.first(where: { $0.name == "url" }) {
            fillLaunch(&module, from: urlElement)
        }
        module.cmi5 = data
        return module
    }

    mutating func fillLaunch(_ module: inout PackageModule, from element: ManifestElement) {
        guard let url = element.nonEmptyText else {
            report.error("cmi5.au.url.empty", file: file, at: element,
                         "AU '\(module.key)' has an empty <url>",
                         hint: "Give the AU's launch page, relative to the package root or as an absolute URL")
            return
        }
        if url.contains(where: { $0.isWhitespace }) {
            report.error("cmi5.au.url.invalid", file: file, at: element,
                         "AU '\(module.key)' has the URL '\(url)', which is not a valid URL (it contains white space)",
                         hint: "Percent-encode spaces as %20")
            return
        }
        let (_, suffix) = PackagePath.splitSuffix(url)
        if suffix.hasPrefix("?") {
            let query = suffix.dropFirst().prefix { $0 != "#" }
            for pair in query.split(separator: "&") {
                let name = PackagePath.percentDecoded(String(pair.prefix { $0 != "=" }))
                if Cmi5ManifestParser.reservedLaunchParameters.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
                    report.error("cmi5.au.url.reservedParameter", file: file, at: element,
                                 "AU '\(module.key)' has the URL '\(url)', whose query already carries the launch parameter '\(name)' that the LMS adds (cmi5 8.1)",
                                 hint: "Remove endpoint, fetch, actor, registration and activityId from the AU's URL")
                }
            }
        }
        if PackagePath.isFileSystemPath(url) {
            report.error("cmi5.au.url.filesystem", file: file, at: element,
                         "AU '\(module.key)' has the URL '\(url)', which points at a file on the author's computer",
                         hint: "Give the launch page relative to the package root, or as an http(s) URL")
            return
        }
        if PackagePath.isAbsoluteURL(url) {
            module.launch = url
            return
        }
        guard let launch = PackagePath.normalizedLaunch(url), let path = PackagePath.filePath(of: url) else {
            report.error("cmi5.au.url.outside", file: file, at: element,
                         "AU '\(module.key)' has the URL '\(url)', which points outside the package",
                         hint: "Give the launch page relative to the package root")
            return
        }
        module.launch = launch
        if !path.isEmpty {
            module.files = [path]
            if seenFiles.insert(path).inserted { files.append(path) }
        }
    }

    static let auAttributes: Set<String> = ["moveOn", "launchMethod", "masteryScore", "activityType"]

    /// An AU attribute, trimmed; some course structures write it as a child element instead, which is read too.
    static func auAttribute(_ name: String, of element: ManifestElement, children: [ManifestElement]) -> (value: String, fromElement: Bool)? {
        if let value = element.trimmedAttribute(name) { return (value, false) }
        if let value = children.first(where: { $0.name == name })?.nonEmptyText { return (value, true) }
        return nil
    }

    /// The element's id, trimmed; an error when it is missing, not an absolute IRI, or already used.
    mutating func checkedID(_ element: ManifestElement, what: IssueText) -> String? {
        guard let id = element.trimmedAttribute("id") else {
            report.error("cmi5.id.missing", file: file, at: element,
                         "A \(what) has no id",
                         hint: "Give every course, block and AU an id that is an absolute IRI, e.g. https://example.org/course/1/au/1")
            return nil
        }
        if !Cmi5ManifestParser.isAbsoluteIRI(id) {
            report.error("cmi5.id.notIRI", file: file, at: element,
                         "The \(what) id '\(id)' is not an absolute IRI",
                         hint: "Write the id as an absolute IRI with a scheme, e.g. https://\(id.hasPrefix("/") ? "example.org" + id : id)")
        }
        if let first = ids[id] {
            report.error("cmi5.id.duplicate", file: file, at: element,
                         "The \(what) id '\(id)' is a duplicate: it is already used on line \(first.line)",
                         hint: "Give every course, block and AU its own id")
        } else {
            ids[id] = element
        }
        return id
    }

    struct Slot {
        let name: String
        let required: Bool
        init(_ name: String, required: Bool = false) {
            self.name = name
            self.required = required
        }
    }

    /// Checks that the named children come in the schema's order, each at most once, the required ones present.
    /// `allowsContent`: after the slots, any mix of <au> and <block> follows (blocks and the course structure).
    /// `tolerated`: names read elsewhere although the schema does not put them here.
    mutating func checkOrder(_ children: [ManifestElement], of parent: ManifestElement, what: String, slots: [Slot],
                             allowsContent: Bool, tolerated: Set<String> = []) {
        var position = 0
        var seen: Set<String> = []
        for child in children {
            if allowsContent, child.name == "au" || child.name == "block" {
                position = slots.count
                continue
            }
            guard let index = slots.firstIndex(where: { $0.name == child.name }) else {
                if tolerated.contains(child.name) { continue }
                report.warning("cmi5.element.unknown", file: file, at: child,
                               "\(what) holds <\(child.name)>, which cmi5 does not define there; it is ignored",
                               hint: "Put extensions in a namespace of their own")
                continue
            }
            if index < position, child.name == "objectives" {
                // Objectives do not affect launch; real course structures put them after the AUs.
                report.warning("cmi5.objectives.misplaced", file: file, at: child,
                               "\(what) has <objectives> out of the schema's order; they are read anyway",
                               hint: "Move <objectives> before the AUs and blocks, after <description>")
            } else if index < position || seen.contains(child.name) {
                let expected = slots.map { "<\($0.name)>" }.joined(separator: ", ")
                report.error("cmi5.element.order", file: file, at: child,
                             seen.contains(child.name) ? "\(what) holds <\(child.name)> more than once"
                                 : allowsContent ? "\(what) has <\(child.name)> out of order: the schema requires the order \(expected), then AUs and blocks"
                                 : "\(what) has <\(child.name)> out of order: the schema requires the order \(expected)",
                             hint: "Reorder the children as the cmi5 course structure schema lists them",
                             wording: seen.contains(child.name) ? "cmi5.element.order.twice" : allowsContent ? "cmi5.element.order.content" : nil)
            }
            seen.insert(child.name)
            position = max(position, index)
        }
        for slot in slots where slot.required && !seen.contains(slot.name) {
            if slot.name == "description" {
                report.warning("cmi5.description.missing", file: file, at: parent,
                               "\(what) has no <description>, which the cmi5 schema requires; it is imported without one",
                               hint: "Add <description><langstring lang=\"en\">...</langstring></description>")
            } else if slot.name != "course" {
                report.error("cmi5.element.missing", file: file, at: parent,
                             "\(what) has no <\(slot.name)>, which cmi5 requires",
                             hint: "Add <\(slot.name)> in its place in the schema's order")
            }
        }
    }

    func langstrings(_ element: ManifestElement, _ name: String) -> [(language: String?, text: String)] {
        guard let container = own(element.children).first(where: { $0.name == name }) else { return [] }
        let strings = own(container.children).filter { $0.name == "langstring" }
        // Some tools write the text straight into <title> without a <langstring>.
        if strings.isEmpty, let text = container.nonEmptyText { return [(nil, text)] }
        return strings.compactMap { langstring in
            guard let text = langstring.nonEmptyText else { return nil }
            return (LanguageCode.primary(langstring.trimmedAttribute("lang")), text)
        }
    }

    /// The element's title; its id, with a warning, when the title is empty (a missing <title> is an error
    /// reported by the order check).
    mutating func title(of element: ManifestElement, key: String, what: IssueText) -> LocalizedText {
        let title = localized(langstrings(element, "title"))
        guard title.isEmpty else { return title }
        if own(element.children).contains(where: { $0.name == "title" }) {
            report.warning("cmi5.title.empty", file: file, at: element,
                           "The \(what) '\(key)' has an empty title; its id is shown instead",
                           hint: "Give it <title><langstring lang=\"nl\">...</langstring></title>")
        }
        return [language: key]
    }

    func localized(_ strings: [(language: String?, text: String)]) -> LocalizedText {
        var result: LocalizedText = [:]
        for string in strings where result[string.language ?? language] == nil {
            result[string.language ?? language] = string.text
        }
        return result
    }
}
