import Foundation

/// Reads the academy's own course manifest, `course.xml` (reference: docs/course-manifest.md, schema:
/// docs/course-manifest.xsd), into a `CoursePackage` with standard `.academy`.
///
/// Every problem becomes a `PackageIssue` with file, line, column and a hint. Reading goes on after an
/// error so that one pass reports everything; a manifest with any error gives `nil`.
public struct CourseManifestParser: Sendable {
    public static let namespace = "https://academy.vivel.be/xmlns/course/1"
    /// The newest format version this parser knows. Any 1.x is read; elements a newer minor version adds
    /// are reported as unknown (warnings) and ignored.
    public static let formatVersion = "1.0"
    public static let fileName = "course.xml"

    /// Completion given to a video module that does not say how much must be watched.
    public static let defaultWatchedFraction = 0.9

    /// The platform's boards, groups and courses, to check the keys access rules name; `nil` leaves them unchecked.
    public var accessVocabulary: AccessVocabulary?

    public init() {}

    public init(accessVocabulary: AccessVocabulary?) {
        self.accessVocabulary = accessVocabulary
    }

    /// The course `root` describes, or `nil` when the manifest has an error (all findings go to `report`).
    public func parse(_ root: ManifestElement, file: String = CourseManifestParser.fileName,
                      report: inout PackageReport) -> CoursePackage? {
        read(root, file: file, report: &report)?.package
    }

    /// Reads `folder/course.xml` and checks that every local file it names is in `folder`.
    public func parse(folder: URL, report: inout PackageReport) -> CoursePackage? {
        let file = Self.fileName
        let manifestURL = folder.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            report.error("manifest.missing", file: file,
                         "There is no \(file) in the course folder '\(folder.lastPathComponent)'",
                         hint: "Put the course manifest at the top of the folder, named \(file)")
            return nil
        }
        let root: ManifestElement
        do {
            root = try ManifestXMLReader().read(contentsOf: manifestURL)
        } catch let error as ManifestXMLError {
            report.issues.append(.init(.error, code: "xml.\(error.kind.rawValue)", file: file,
                                       line: error.line, column: error.column, text: "\(error.text)",
                                       hint: "Check the file with an XML validator, e.g. xmllint --noout \(file)",
                                       wording: "course.xml"))
            return nil
        } catch {
            report.error("xml.unreadable", file: file, "\(file) could not be read: \(error.localizedDescription)")
            return nil
        }
        guard let reading = read(root, file: file, report: &report) else { return nil }
        let errorsBefore = report.errors.count
        checkFiles(reading.references, in: folder, file: file, report: &report)
        return report.errors.count == errorsBefore ? reading.package : nil
    }

    // MARK: - Internals

    /// A local file the manifest names, with the element that names it.
    struct FileReference {
        let path: String
        let moduleKey: String?
        let element: ManifestElement
    }

    struct Reading {
        let package: CoursePackage
        let references: [FileReference]
    }

    func read(_ root: ManifestElement, file: String, report: inout PackageReport) -> Reading? {
        var reader = ManifestReading(file: file, vocabulary: accessVocabulary)
        let package = reader.course(root)
        report.issues += reader.issues
        guard let package, !reader.issues.contains(where: { $0.severity == .error }) else { return nil }
        return Reading(package: package, references: reader.references)
    }

    func checkFiles(_ references: [FileReference], in folder: URL, file: String, report: inout PackageReport) {
        let base = folder.resolvingSymlinksInPath().standardizedFileURL.path
        var checked: Set<String> = []
        for reference in references where checked.insert(reference.path + "\u{0}" + (reference.moduleKey ?? "")).inserted {
            let url = folder.appendingPathComponent(reference.path)
            let owner = reference.moduleKey.map { "Module '\($0)'" } ?? "The course"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                report.error("file.missing", file: file, at: reference.element,
                             "\(owner) names '\(reference.path)', which is not in the course folder",
                             hint: "Add the file at \(reference.path) (paths are relative to the folder holding \(file) and case-sensitive), or correct the path")
                continue
            }
            if isDirectory.boolValue {
                report.error("file.not-a-file", file: file, at: reference.element,
                             "\(owner) names '\(reference.path)', which is a folder, not a file",
                             hint: "Name the file inside it, e.g. \(reference.path)/index.html")
                continue
            }
            let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
            if !resolved.hasPrefix(base + "/") {
                report.error("file.outside", file: file, at: reference.element,
                             "\(owner) names '\(reference.path)', a link that leads outside the course folder",
                             hint: "Copy the file into the course folder instead of linking to it")
            }
        }
    }
}

/// One pass over a manifest, collecting issues and file references.
private struct ManifestReading {
    static let ns = CourseManifestParser.namespace
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    static let nativeKinds: [PackageModule.Kind] = [.page, .video, .pdf, .link, .quiz, .folder]
    static let completionCriteria = ["viewed", "marked-done", "quiz-passed", "watched"]

    let file: String
    let vocabulary: AccessVocabulary?
    var issues: [PackageIssue] = []
    var references: [CourseManifestParser.FileReference] = []
    /// Content language, the language of texts without xml:lang.
    var language = "nl"
    var moduleKeys: [String: ManifestElement] = [:]
    /// Rules found inside modules, in document order.
    var moduleAccess: [PackageAccessRule] = []

    init(file: String, vocabulary: AccessVocabulary?) {
        self.file = file
        self.vocabulary = vocabulary
    }

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

    // MARK: Course

    mutating func course(_ root: ManifestElement) -> CoursePackage? {
        guard root.name == "course" else {
            let hint: IssueText = "Start the file with <course xmlns=\"\(Self.ns)\" format-version=\"\(CourseManifestParser.formatVersion)\" ...>"
            if root.name == "manifest" {
                error("course.root.wrong", at: root, "The root element is <\(root.name)> (an IMS/SCORM manifest; import it as a package instead); a course manifest starts with <course>",
                      hint: hint, wording: "course.root.wrong.ims")
            } else if root.name == "courseStructure" {
                error("course.root.wrong", at: root, "The root element is <\(root.name)> (a cmi5 course structure; import it as a package instead); a course manifest starts with <course>",
                      hint: hint, wording: "course.root.wrong.cmi5")
            } else {
                error("course.root.wrong", at: root, "The root element is <\(root.name)>; a course manifest starts with <course>", hint: hint)
            }
            return nil
        }
        guard root.namespace == Self.ns else {
            if let namespace = root.namespace {
                error("course.namespace.wrong", at: root, "<course> is in namespace '\(namespace)'; expected '\(Self.ns)'",
                      hint: "Add xmlns=\"\(Self.ns)\" to <course>")
            } else {
                error("course.namespace.wrong", at: root, "<course> has no namespace; expected '\(Self.ns)'",
                      hint: "Add xmlns=\"\(Self.ns)\" to <course>", wording: "course.namespace.missing")
            }
            return nil
        }
        checkAttributes(root, allowed: ["format-version", "key", "slug", "language", "duration-minutes"])
        checkChildren(root, allowed: ["title", "summary", "description", "learning-goals", "keywords", "themes",
                                      "professions", "accreditation", "access", "files", "modules"])
        let version = formatVersion(root)
        // Another major version may mean something else by every element: reporting them would only mislead.
        if version == .otherMajor { return nil }

        let key = root.trimmedAttribute("key")
        if key == nil {
            error("course.key.missing", at: root, "<course> has no key",
                  hint: "Add a stable identifier, e.g. key=\"vivel-veilige-communicatie\"; keep it when you publish a new version")
        } else if let key, !Self.isKey(key, extra: "._:/-", maxLength: 200) {
            error("course.key.invalid", at: root, "The course key '\(key)' is not valid",
                  hint: "Use letters, digits and . _ : / - (at most 200), starting with a letter or digit")
        }

        var slug: String?
        if let raw = root.attribute("slug") {
            let value = raw.trimmingCharacters(in: .whitespaces)
            if Self.isSlug(value) {
                slug = value
            } else {
                error("course.slug.invalid", at: root, "The slug '\(raw)' is not valid",
                      hint: "Use lower-case letters and digits separated by single hyphens, at most 80, e.g. veilige-communicatie-in-zorg")
            }
        }

        if let value = root.trimmedAttribute("language") {
            if Self.isLanguage(value) {
                language = value
            } else {
                error("course.language.invalid", at: root, "The content language '\(value)' is not a language code",
                      hint: "Use a BCP 47 code such as nl, fr or en")
            }
        } else {
            error("course.language.missing", at: root, "<course> has no language",
                  hint: "Add the language of the content, e.g. language=\"nl\"")
        }

        let duration = minutes(root)
        let title = texts(root.children("title", namespace: Self.ns), name: "title", in: root, required: true)
        if !title.isEmpty, title[language] == nil {
            warning("course.title.language", at: root, "There is no title in the content language '\(language)'",
                    hint: "Add <title xml:lang=\"\(language)\">...</title> or a <title> without xml:lang")
        }
        let summary = texts(root.children("summary", namespace: Self.ns), name: "summary", in: root)
        let description = texts(root.children("description", namespace: Self.ns), name: "description", in: root,
                                keepParagraphs: true)

        var goals: [LocalizedText] = []
        if let list = single("learning-goals", in: root) {
            checkAttributes(list, allowed: [])
            checkChildren(list, allowed: ["goal"])
            for goal in list.children("goal", namespace: Self.ns) {
                checkAttributes(goal, allowed: [])
                checkChildren(goal, allowed: ["text"])
                let text = texts(goal.children("text", namespace: Self.ns), name: "text", in: goal, required: true)
                if !text.isEmpty { goals.append(text) }
            }
        }

        let keywords = wordList("keywords", item: "keyword", in: root)
        let themes = keyList("themes", item: "theme", in: root, known: Theme.allCases.map(\.rawValue))
        let professions = keyList("professions", item: "profession", in: root, known: Profession.allCases.map(\.rawValue))

        var accreditations: [PackageAccreditation] = []
        var bodies: [String: ManifestElement] = [:]
        for element in root.children("accreditation", namespace: Self.ns) {
            guard let accreditation = accreditation(element) else { continue }
            if let first = bodies[accreditation.body] {
                error("accreditation.body.duplicate", at: element,
                      "A second accreditation by '\(accreditation.body)' (the first is on line \(first.line))",
                      hint: "Give one <accreditation> per body")
                continue
            }
            bodies[accreditation.body] = element
            accreditations.append(accreditation)
        }

        var access: [PackageAccessRule] = []
        var scopes: [PackageAccessRule.Scope: ManifestElement] = [:]
        for element in root.children("access", namespace: Self.ns) {
            guard let rule = accessRule(element, moduleKey: nil) else { continue }
            if let first = scopes[rule.scope] {
                error("access.scope.duplicate", at: element,
                      "A second <access scope=\"\(rule.scope.rawValue)\"> (the first is on line \(first.line))",
                      hint: "Give one rule per scope; combine conditions with <all-of> or <any-of>")
                continue
            }
            scopes[rule.scope] = element
            access.append(rule)
        }

        var courseFiles: [String] = []
        if let files = single("files", in: root) {
            checkAttributes(files, allowed: [])
            checkChildren(files, allowed: ["file"])
            for element in files.children("file", namespace: Self.ns) {
                checkAttributes(element, allowed: ["src"])
                if let path = localPath(element, attribute: "src", required: true, moduleKey: nil) {
                    courseFiles.append(path)
                }
            }
        }

        var modules: [PackageModule] = []
        if let list = single("modules", in: root) {
            checkAttributes(list, allowed: [])
            checkChildren(list, allowed: ["module"])
            modules = list.children("module", namespace: Self.ns).compactMap { module($0) }
            if list.children("module", namespace: Self.ns).isEmpty {
                error("course.modules.missing", at: list, "<modules> holds no <module>",
                      hint: "A course needs at least one module", wording: "course.modules.empty")
            }
        } else {
            error("course.modules.missing", at: root, "<course> has no <modules>",
                  hint: "Add <modules> with at least one <module>")
        }
        for rule in access where rule.scope != .module {
            guard let slug, let parsed = try? AccessRule(jsonString: rule.ruleJSON) else { continue }
            let prerequisites = parsed.conditions.flatMap { condition -> [String] in
                if case .completed(let courses) = condition { return courses }
                return []
            }
            if prerequisites.contains(slug) {
                let element = scopes[rule.scope] ?? root
                warning("access.prerequisite.self", at: element,
                        "The \(rule.scope.rawValue) rule asks for this course itself ('\(slug)') to be completed",
                        hint: "Name the prerequisite course's slug in <completed courses=...>")
            }
        }

        guard let key, !title.isEmpty, version == .readable else { return nil }
        var package = CoursePackage(standard: .academy, standardVersion: root.trimmedAttribute("format-version"),
                                    identifier: key, slug: slug, language: language, title: title, modules: modules)
        package.summary = summary
        package.description = description
        package.learningGoals = goals
        package.keywords = keywords
        package.themes = themes
        package.professions = professions
        package.durationMinutes = duration
        package.accreditation = accreditations.first
        package.additionalAccreditations = accreditations.count > 1 ? Array(accreditations.dropFirst()) : nil
        package.access = access + moduleAccess
        var files: [String] = []
        var seen: Set<String> = []
        for path in courseFiles + package.allModules.flatMap(\.files) where seen.insert(path).inserted {
            files.append(path)
        }
        package.files = files
        return package
    }

    enum VersionCheck { case readable, unreadable, otherMajor }

    mutating func formatVersion(_ root: ManifestElement) -> VersionCheck {
        guard let raw = root.trimmedAttribute("format-version") else {
            error("course.format-version.missing", at: root, "<course> has no format-version",
                  hint: "Add format-version=\"\(CourseManifestParser.formatVersion)\"")
            return .unreadable
        }
        let parts = raw.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Self.digits(parts[0]), let minor = Self.digits(parts[1]) else {
            error("course.format-version.unsupported", at: root, "The format-version '\(raw)' is not a version this academy reads",
                  hint: "Write format-version=\"\(CourseManifestParser.formatVersion)\"")
            return .unreadable
        }
        guard major == 1 else {
            error("course.format-version.unsupported", at: root,
                  "The manifest is written for format version \(raw); this academy reads 1.x",
                  hint: "Export the course for format version \(CourseManifestParser.formatVersion), or update the academy",
                  wording: "course.format-version.major")
            return .otherMajor
        }
        if minor > 0 {
            warning("course.format-version.newer", at: root,
                    "The manifest is written for format version \(raw); this academy knows \(CourseManifestParser.formatVersion)",
                    hint: "Elements and attributes added after \(CourseManifestParser.formatVersion) are ignored")
        }
        return .readable
    }

    // MARK: Metadata

    mutating func minutes(_ element: ManifestElement) -> Int? {
        guard let raw = element.attribute("duration-minutes") else { return nil }
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard let minutes = Self.digits(Substring(value)), minutes <= 100_000 else {
            error("duration.invalid", at: element, "duration-minutes=\"\(raw)\" on <\(element.name)> is not a whole number of minutes",
                  hint: "Write whole minutes, e.g. duration-minutes=\"90\" for an hour and a half")
            return nil
        }
        return minutes
    }

    /// Texts in several languages: one element per language, `xml:lang` or else the content language.
    mutating func texts(_ elements: [ManifestElement], name: String, in owner: ManifestElement,
                        required: Bool = false, keepParagraphs: Bool = false) -> LocalizedText {
        var result: LocalizedText = [:]
        var places: [String: ManifestElement] = [:]
        for element in elements {
            checkAttributes(element, allowed: ["lang"])
            checkChildren(element, allowed: [])
            var tagged = element.attribute("lang", namespace: Self.xmlNamespace)
            if tagged == nil, let plain = element.attributes.first(where: { $0.namespace == nil && $0.name == "lang" })?.value {
                warning("text.lang.unprefixed", at: element, "<\(name) lang=\"\(plain)\"> is read as xml:lang",
                        hint: "Write xml:lang=\"\(plain)\"; plain lang is not part of the format")
                tagged = plain
            }
            let lang = tagged?.trimmingCharacters(in: .whitespaces) ?? language
            guard Self.isLanguage(lang) else {
                error("text.language.invalid", at: element, "xml:lang=\"\(lang)\" on <\(name)> is not a language code",
                      hint: "Use a BCP 47 code such as nl, fr or en")
                continue
            }
            let text = keepParagraphs ? Self.paragraphs(element.text) : Self.collapsed(element.text)
            guard !text.isEmpty else {
                error("text.empty", at: element, "<\(name)> in '\(lang)' is empty", hint: "Write the text or remove the element")
                continue
            }
            if let first = places[lang] {
                error("text.language.duplicate", at: element,
                      "A second <\(name)> in '\(lang)' (the first is on line \(first.line))",
                      hint: "Give one <\(name)> per language, each with its own xml:lang")
                continue
            }
            places[lang] = element
            result[lang] = text
        }
        if required && elements.isEmpty {
            error("\(owner.name).\(name).missing", at: owner, "<\(owner.name)> has no <\(name)>",
                  hint: "Add <\(name)>...</\(name)>, one per language with xml:lang", wording: "text.missing")
        }
        return result
    }

    mutating func wordList(_ container: String, item: String, in root: ManifestElement) -> [String] {
        guard let list = single(container, in: root) else { return [] }
        checkAttributes(list, allowed: [])
        checkChildren(list, allowed: [item])
        var result: [String] = []
        for element in list.children(item, namespace: Self.ns) {
            checkAttributes(element, allowed: [])
            let value = Self.collapsed(element.text)
            if value.isEmpty {
                error("\(item).empty", at: element, "<\(item)> is empty", hint: "Write the \(item) or remove the element",
                      wording: "list.item.empty")
            } else if !result.contains(value) {
                result.append(value)
            }
        }
        return result
    }

    /// Themes and professions: keys from a fixed list; an unknown key is left out with a warning.
    mutating func keyList(_ container: String, item: String, in root: ManifestElement, known: [String]) -> [String] {
        var result: [String] = []
        for value in wordList(container, item: item, in: root) {
            if known.contains(value) {
                result.append(value)
            } else if let element = root.child(container, namespace: Self.ns)?.children(item, namespace: Self.ns)
                        .first(where: { Self.collapsed($0.text) == value }) {
                warning("course.\(item).unknown", at: element, "Unknown \(item) '\(value)'; it is left out",
                        hint: "Valid \(item) keys: \(known.joined(separator: ", "))", wording: "course.list.unknown")
            }
        }
        return result
    }

    mutating func accreditation(_ element: ManifestElement) -> PackageAccreditation? {
        checkAttributes(element, allowed: ["body", "number", "points", "unit", "rubric", "valid-from", "valid-until", "validity-months"])
        checkChildren(element, allowed: [])
        var ok = true
        let body = element.trimmedAttribute("body")
        if body == nil {
            ok = false
            error("accreditation.body.missing", at: element, "<accreditation> has no body",
                  hint: "Name the accrediting body, e.g. body=\"riziv-inami\" (doctors) or body=\"apb\" (pharmacists)")
        }
        let number = element.trimmedAttribute("number")
        if number == nil {
            ok = false
            error("accreditation.number.missing", at: element, "<accreditation> has no number",
                  hint: "Give the activity number the body assigned, e.g. number=\"...\"")
        }
        var points: Double?
        if let raw = element.attribute("points") {
            points = decimal(raw, in: element, what: "points", code: "accreditation.points.invalid")
            if let value = points, value <= 0 {
                error("accreditation.points.invalid", at: element, "points=\"\(raw)\" must be more than 0",
                      hint: "Write the points granted, e.g. points=\"1.5\"")
                points = nil
            }
            if points == nil { ok = false }
        } else {
            ok = false
            error("accreditation.points.missing", at: element, "<accreditation> has no points",
                  hint: "Write the points granted, e.g. points=\"1.5\"")
        }
        let rubric = element.trimmedAttribute("rubric")
        if body == "apb", let rubric, !["A", "B", "C"].contains(rubric) {
            warning("accreditation.rubric.unknown", at: element, "APB domain '\(rubric)' is not A, B or C",
                    hint: "APB accredits in domain A, B or C")
        }
        let from = day("valid-from", of: element)
        let until = day("valid-until", of: element)
        if from == nil || until == nil { ok = false }
        if let from = from ?? nil, let until = until ?? nil, from > until {
            ok = false
            error("accreditation.dates.order", at: element,
                  "The accreditation is valid from \(from.iso), after it ends on \(until.iso)",
                  hint: "valid-from must not be after valid-until")
        }
        var validityMonths: Int?
        if let raw = element.attribute("validity-months") {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if let months = Int(text), (1...600).contains(months) {
                validityMonths = months
            } else {
                ok = false
                error("accreditation.validity.invalid", at: element,
                      "validity-months=\"\(raw)\" is not a whole number of months from 1 to 600",
                      hint: "Write how many months a record counts, e.g. validity-months=\"36\" for three years")
            }
        }
        guard ok, let body, let number, let points else { return nil }
        let unit = element.trimmedAttribute("unit") ?? "CP"
        return PackageAccreditation(body: body, number: number, points: points, unit: unit, rubric: rubric,
                                    validFrom: (from ?? nil)?.iso, validUntil: (until ?? nil)?.iso,
                                    validityMonths: validityMonths)
    }

    /// `.some(nil)` when absent, `nil` when malformed (reported).
    mutating func day(_ name: String, of element: ManifestElement) -> CalendarDay?? {
        guard let raw = element.attribute(name) else { return .some(nil) }
        guard let day = CalendarDay(iso: raw.trimmingCharacters(in: .whitespaces)) else {
            error("\(element.name).date.invalid", at: element, "\(name)=\"\(raw)\" is not a calendar day",
                  hint: "Write the day as YYYY-MM-DD, e.g. 2026-01-01", wording: "date.invalid")
            return nil
        }
        return .some(day)
    }

    mutating func decimal(_ raw: String, in element: ManifestElement, what: String, code: String,
                          hint: IssueText? = nil) -> Double? {
        let value = raw.trimmingCharacters(in: .whitespaces)
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 12 && $0.allSatisfy(\.isASCIIDigit) }),
              let number = Double(value) else {
            // The hint is the caller's, so the wording is per code.
            if value.contains(",") {
                error(code, at: element, "\(what)=\"\(raw)\" on <\(element.name)> is not a number (write decimals with a dot)",
                      hint: hint ?? "Write a number with a dot for decimals, e.g. 1.5", wording: code + ".number.comma")
            } else {
                error(code, at: element, "\(what)=\"\(raw)\" on <\(element.name)> is not a number",
                      hint: hint ?? "Write a number with a dot for decimals, e.g. 1.5", wording: code + ".number")
            }
            return nil
        }
        return number
    }

    mutating func boolean(_ name: String, of element: ManifestElement, default value: Bool) -> Bool {
        guard let raw = element.attribute(name) else { return value }
        switch raw.trimmingCharacters(in: .whitespaces) {
        case "true", "1": return true
        case "false", "0": return false
        default:
            error("\(element.name).\(name).invalid", at: element, "\(name)=\"\(raw)\" on <\(element.name)> is not true or false",
                  hint: "Write \(name)=\"true\" or \(name)=\"false\"", wording: "boolean.invalid")
            return value
        }
    }

    // MARK: Access

    mutating func accessRule(_ element: ManifestElement, moduleKey: String?) -> PackageAccessRule? {
        checkAttributes(element, allowed: ["scope", "when-denied"])
        var ok = true
        let scope: PackageAccessRule.Scope
        let rawScope = element.trimmedAttribute("scope")
        if let moduleKey {
            scope = .module
            if let rawScope, rawScope != "module" {
                ok = false
                error("access.scope.invalid", at: element,
                      "scope=\"\(rawScope)\" on the <access> of module '\(moduleKey)'; a module's rule is about opening it",
                      hint: "Leave scope out inside a module; put visibility and enrolment rules on <course>")
            }
        } else if let rawScope, let value = PackageAccessRule.Scope(rawValue: rawScope), value != .module {
            scope = value
        } else {
            ok = false
            scope = .visibility
            error(rawScope == nil ? "access.scope.missing" : "access.scope.invalid", at: element,
                  rawScope.map { "scope=\"\($0)\" on <access> is not visibility or enrolment" } ?? "<access> has no scope",
                  hint: "Write scope=\"visibility\" (who sees the course) or scope=\"enrolment\" (who may enrol); module rules go inside <module>",
                  wording: rawScope == nil ? nil : "access.scope.invalid.course")
        }
        var whenDenied = PackageAccessRule.WhenDenied.hide
        if let raw = element.trimmedAttribute("when-denied") {
            if let value = PackageAccessRule.WhenDenied(rawValue: raw) {
                whenDenied = value
            } else {
                ok = false
                error("access.when-denied.invalid", at: element, "when-denied=\"\(raw)\" is not hide or show-locked",
                      hint: "Write when-denied=\"hide\" or when-denied=\"show-locked\"")
            }
        } else {
            ok = false
            error("access.when-denied.missing", at: element, "<access> has no when-denied",
                  hint: "Write when-denied=\"hide\" (not shown at all) or when-denied=\"show-locked\" (shown with a lock and the reason)")
        }
        let reading = AccessRuleXML.readRule(childrenOf: element, file: file, vocabulary: vocabulary)
        issues += reading.issues
        guard ok, let rule = reading.rule else { return nil }
        return PackageAccessRule(scope: scope, moduleKey: moduleKey, whenDenied: whenDenied, ruleJSON: rule.jsonString())
    }

    // MARK: Modules

    mutating func module(_ element: ManifestElement) -> PackageModule? {
        checkAttributes(element, allowed: ["key", "kind", "duration-minutes", "required"])
        checkChildren(element, allowed: ["title", "content", "file", "completion", "access", "quiz", "module"])
        var ok = true

        let key = element.trimmedAttribute("key")
        if let key {
            if !Self.isKey(key, extra: "._-", maxLength: 100) {
                ok = false
                error("module.key.invalid", at: element, "The module key '\(key)' is not valid",
                      hint: "Use letters, digits and . _ - (at most 100), starting with a letter or digit")
            } else if let first = moduleKeys[key] {
                ok = false
                error("module.key.duplicate", at: element,
                      "The module key '\(key)' is used twice (first on line \(first.line))",
                      hint: "Give every module, folders included, its own key")
            } else {
                moduleKeys[key] = element
            }
        } else {
            ok = false
            error("module.key.missing", at: element, "<module> has no key",
                  hint: "Add a key that stays the same across versions, e.g. key=\"01-introductie\"")
        }
        let label = key.map { IssueText(phrase: "module", "module '\($0)'") }
            ?? IssueText(phrase: "module.unkeyed", "<module> on line \(element.line)")

        var kind: PackageModule.Kind?
        if let raw = element.trimmedAttribute("kind") {
            if let value = PackageModule.Kind(rawValue: raw), Self.nativeKinds.contains(value) {
                kind = value
            } else {
                ok = false
                error("module.kind.unknown", at: element, "Unknown kind '\(raw)' on \(label)",
                      hint: "Valid kinds: \(Self.nativeKinds.map(\.rawValue).joined(separator: ", "))")
            }
        } else {
            ok = false
            error("module.kind.missing", at: element, "\(capitalized: label) has no kind",
                  hint: "Add kind=\"page\", \"video\", \"pdf\", \"link\", \"quiz\" or \"folder\"")
        }

        let title = texts(element.children("title", namespace: Self.ns), name: "title", in: element, required: true)
        let duration = minutes(element)
        let required = boolean("required", of: element, default: true)

        var files: [String] = []
        var launch: String?
        let content = single("content", in: element)
        if let content {
            checkAttributes(content, allowed: ["src", "href"])
            checkChildren(content, allowed: [])
        }
        let src = content?.attribute("src")
        let href = content?.attribute("href")
        if let content, src != nil, href != nil {
            ok = false
            error("module.content.ambiguous", at: content, "<content> of \(label) has both src and href",
                  hint: "Use src for a file in the course folder or href for a web address, not both")
        }
        switch kind {
        case .page?, .video?, .pdf?, .link?:
            if kind == .link, src != nil, let content {
                ok = false
                error("module.content.invalid", at: content, "The link \(label) gives a file (src); a link opens a web address",
                      hint: "Use href=\"https://...\", or kind=\"page\" or \"pdf\" for a file in the course")
            } else if kind == .page, href != nil, let content {
                ok = false
                error("module.content.invalid", at: content, "The page \(label) gives a web address (href); a page is an HTML file in the course",
                      hint: "Use src=\"pages/....html\", or kind=\"link\" for a web address", wording: "module.content.invalid.page")
            } else if let content, let href {
                if let url = webAddress(href, in: content, label: label) { launch = url } else { ok = false }
            } else if let content, src != nil {
                if let path = localPath(content, attribute: "src", required: true, moduleKey: key) {
                    launch = path
                    files.append(path)
                } else {
                    ok = false
                }
            } else if let kind {
                ok = false
                let example = kind == .link ? IssueText(phrase: "content.example.link", "<content href=\"https://...\"/>")
                    : kind == .page ? IssueText(phrase: "content.example.page", "<content src=\"pages/01-....html\"/>")
                    : IssueText(phrase: "content.example.media", "<content src=\"media/....\"/> or <content href=\"https://...\"/>")
                error("module.content.missing", at: content ?? element, "The \(kind.rawValue) \(label) has no content",
                      hint: "Add \(example)")
            }
        case .quiz?, .folder?:
            if let content {
                ok = false
                error("module.content.unexpected", at: content, "A \(kind!.rawValue) module has no <content> (\(label))",
                      hint: kind == .quiz ? "Write the questions in <quiz>" : "Put the folder's modules inside it as <module> elements",
                      wording: kind == .quiz ? nil : "module.content.unexpected.folder")
            }
        default:
            break
        }
        for extra in element.children("file", namespace: Self.ns) {
            checkAttributes(extra, allowed: ["src"])
            if kind == .folder || kind == .link {
                warning("module.file.unexpected", at: extra, "A \(kind!.rawValue) module does not use files; <file> on \(label) is only checked",
                        hint: "List shared files under <course><files>")
            }
            if let path = localPath(extra, attribute: "src", required: true, moduleKey: key) {
                if !files.contains(path) { files.append(path) }
            } else {
                ok = false
            }
        }

        var completion: ModuleCompletion?
        if let element = single("completion", in: element) {
            completion = self.completion(element, kind: kind, label: label)
            if completion == nil { ok = false }
        } else if let kind {
            completion = Self.defaultCompletion(for: kind)
        }

        var quiz: PackageQuiz?
        let quizElement = single("quiz", in: element)
        if kind == .quiz {
            if let quizElement {
                quiz = self.quiz(quizElement, label: label)
                if quiz == nil { ok = false }
            } else {
                ok = false
                error("quiz.missing", at: element, "The quiz \(label) has no <quiz>",
                      hint: "Add <quiz pass-mark=\"0.8\"> with <question> elements")
            }
        } else if let quizElement, kind != nil {
            ok = false
            error("quiz.unexpected", at: quizElement, "<quiz> inside the \(kind!.rawValue) \(label)",
                  hint: "Only kind=\"quiz\" modules hold a <quiz>")
        }

        if let accessElement = single("access", in: element) {
            if let rule = accessRule(accessElement, moduleKey: key ?? "") {
                if ok { moduleAccess.append(rule) }
            } else {
                ok = false
            }
        }

        var children: [PackageModule] = []
        let childElements = element.children("module", namespace: Self.ns)
        if kind == .folder {
            if childElements.isEmpty {
                ok = false
                error("module.folder.empty", at: element, "The folder \(label) holds no modules",
                      hint: "Put <module> elements inside the folder, or remove it")
            }
            children = childElements.compactMap { module($0) }
            if children.count != childElements.count { ok = false }
        } else if let first = childElements.first, kind != nil {
            ok = false
            error("module.children.unexpected", at: first, "The \(kind!.rawValue) \(label) contains modules",
                  hint: "Only kind=\"folder\" modules hold other modules")
            _ = childElements.map { module($0) }
        }

        guard ok, let key, let kind, !title.isEmpty else { return nil }
        var result = PackageModule(key: key, title: title, kind: kind, durationMinutes: duration, launch: launch,
                                   children: children)
        result.required = required
        result.files = files
        result.completion = completion
        result.quiz = quiz
        return result
    }

    static func defaultCompletion(for kind: PackageModule.Kind) -> ModuleCompletion? {
        switch kind {
        case .page, .pdf, .link: .viewed
        case .video: .watched(fraction: CourseManifestParser.defaultWatchedFraction)
        case .quiz: .quizPassed
        default: nil
        }
    }

    mutating func completion(_ element: ManifestElement, kind: PackageModule.Kind?, label: IssueText) -> ModuleCompletion? {
        checkAttributes(element, allowed: ["criterion", "fraction"])
        checkChildren(element, allowed: [])
        guard let criterion = element.trimmedAttribute("criterion") else {
            error("module.completion.invalid", at: element, "<completion> of \(label) has no criterion",
                  hint: "Write criterion=\"\(Self.completionCriteria.joined(separator: "\", \""))\"")
            return nil
        }
        if kind == .folder {
            error("module.completion.unexpected", at: element, "The folder \(label) has a <completion>",
                  hint: "A folder is complete when its required modules are; remove <completion>")
            return nil
        }
        let fraction = element.attribute("fraction")
        if criterion != "watched", fraction != nil {
            warning("module.completion.fraction.ignored", at: element,
                    "fraction on <completion criterion=\"\(criterion)\"> of \(label) is ignored",
                    hint: "Only criterion=\"watched\" takes a fraction")
        }
        switch criterion {
        case "viewed": return .viewed
        case "marked-done": return .markedDone
        case "quiz-passed":
            guard kind == nil || kind == .quiz else {
                error("module.completion.mismatch", at: element, "criterion=\"quiz-passed\" on the \(kind!.rawValue) \(label)",
                      hint: "Only quiz modules complete when passed; use viewed or marked-done")
                return nil
            }
            return .quizPassed
        case "watched":
            guard kind == nil || kind == .video else {
                error("module.completion.mismatch", at: element, "criterion=\"watched\" on the \(kind!.rawValue) \(label)",
                      hint: "Only video modules complete when watched; use viewed or marked-done", wording: "module.completion.mismatch.watched")
                return nil
            }
            guard let fraction else { return .watched(fraction: CourseManifestParser.defaultWatchedFraction) }
            let hint: IssueText = "Write the part of the video to watch as a fraction above 0 and at most 1, e.g. fraction=\"0.9\""
            guard let value = decimal(fraction, in: element, what: "fraction", code: "module.completion.fraction.invalid", hint: hint) else {
                return nil
            }
            guard value > 0, value <= 1 else {
                error("module.completion.fraction.invalid", at: element, "fraction=\"\(fraction)\" on \(label) is not above 0 and at most 1",
                      hint: hint)
                return nil
            }
            return .watched(fraction: value)
        default:
            error("module.completion.invalid", at: element, "Unknown completion criterion '\(criterion)' on \(label)",
                  hint: "Valid criteria: \(Self.completionCriteria.joined(separator: ", "))", wording: "module.completion.invalid.unknown")
            return nil
        }
    }

    mutating func quiz(_ element: ManifestElement, label: IssueText) -> PackageQuiz? {
        checkAttributes(element, allowed: ["pass-mark"])
        checkChildren(element, allowed: ["question"])
        var ok = true
        var passMark = 1.0
        let hint: IssueText = "Write the share of questions to answer correctly as a fraction from 0 to 1, e.g. pass-mark=\"0.8\" for 80%"
        if let raw = element.attribute("pass-mark") {
            if let value = decimal(raw, in: element, what: "pass-mark", code: "quiz.pass-mark.invalid", hint: hint) {
                if (0...1).contains(value) {
                    passMark = value
                } else {
                    ok = false
                    error("quiz.pass-mark.invalid", at: element, "pass-mark=\"\(raw)\" on \(label) is outside 0 to 1", hint: hint)
                }
            } else {
                ok = false
            }
        } else {
            ok = false
            error("quiz.pass-mark.missing", at: element, "<quiz> of \(label) has no pass-mark", hint: hint)
        }
        var questions: [PackageQuiz.Question] = []
        var questionKeys: [String: ManifestElement] = [:]
        let questionElements = element.children("question", namespace: Self.ns)
        if questionElements.isEmpty {
            ok = false
            error("quiz.questions.missing", at: element, "<quiz> of \(label) has no questions",
                  hint: "Add <question key=\"q1\" type=\"single\"> elements")
        }
        for questionElement in questionElements {
            guard let question = question(questionElement, label: label) else {
                ok = false
                continue
            }
            if let first = questionKeys[question.key] {
                ok = false
                error("quiz.question.key.duplicate", at: questionElement,
                      "The question key '\(question.key)' is used twice in \(label) (first on line \(first.line))",
                      hint: "Give every question in a quiz its own key")
                continue
            }
            questionKeys[question.key] = questionElement
            questions.append(question)
        }
        return ok ? PackageQuiz(passMark: passMark, questions: questions) : nil
    }

    mutating func question(_ element: ManifestElement, label: IssueText) -> PackageQuiz.Question? {
        checkAttributes(element, allowed: ["key", "type"])
        checkChildren(element, allowed: ["text", "option"])
        var ok = true
        let key = element.trimmedAttribute("key")
        if key == nil || !Self.isKey(key!, extra: "._-", maxLength: 100) {
            ok = false
            error(key == nil ? "quiz.question.key.missing" : "quiz.question.key.invalid", at: element,
                  key.map { "The question key '\($0)' in \(label) is not valid" } ?? "A <question> in \(label) has no key",
                  hint: "Give a key of letters, digits and . _ -, e.g. key=\"q1\"")
        }
        let where_ = key.map { IssueText(phrase: "question", "question '\($0)' of \(label)") }
            ?? IssueText(phrase: "question.unkeyed", "a question of \(label)")
        var multiple = false
        switch element.trimmedAttribute("type") {
        case "single"?: multiple = false
        case "multiple"?: multiple = true
        case let other:
            ok = false
            error("quiz.question.type.invalid", at: element,
                  other.map { "type=\"\($0)\" on \(where_) is not single or multiple" } ?? "\(capitalized: where_) has no type",
                  hint: "Write type=\"single\" (one correct option) or type=\"multiple\" (one or more)",
                  wording: other == nil ? "quiz.question.type.missing" : nil)
        }
        let text = texts(element.children("text", namespace: Self.ns), name: "text", in: element, required: true)
        if text.isEmpty { ok = false }

        var options: [PackageQuiz.Option] = []
        var optionKeys: [String: ManifestElement] = [:]
        let optionElements = element.children("option", namespace: Self.ns)
        for optionElement in optionElements {
            checkAttributes(optionElement, allowed: ["key", "correct"])
            checkChildren(optionElement, allowed: ["text"])
            let optionKey = optionElement.trimmedAttribute("key")
            guard let optionKey, Self.isKey(optionKey, extra: "._-", maxLength: 100) else {
                ok = false
                error(optionKey == nil ? "quiz.option.key.missing" : "quiz.option.key.invalid", at: optionElement,
                      optionKey.map { "The option key '\($0)' in \(where_) is not valid" } ?? "An <option> in \(where_) has no key",
                      hint: "Give a key of letters, digits and . _ -, e.g. key=\"a\"")
                continue
            }
            if let first = optionKeys[optionKey] {
                ok = false
                error("quiz.option.key.duplicate", at: optionElement,
                      "The option key '\(optionKey)' is used twice in \(where_) (first on line \(first.line))",
                      hint: "Give every option of a question its own key")
                continue
            }
            optionKeys[optionKey] = optionElement
            let correct = boolean("correct", of: optionElement, default: false)
            let optionText = texts(optionElement.children("text", namespace: Self.ns), name: "text", in: optionElement, required: true)
            if optionText.isEmpty { ok = false; continue }
            options.append(.init(key: optionKey, text: optionText, correct: correct))
        }
        if optionElements.count < 2 {
            ok = false
            error("quiz.options.too-few", at: element, "\(capitalized: where_) has \(optionElements.count) option(s)",
                  hint: "Give at least two <option> elements")
        }
        let correctCount = options.filter(\.correct).count
        if !options.isEmpty, correctCount == 0 {
            ok = false
            error("quiz.option.correct.missing", at: element, "\(capitalized: where_) has no correct option",
                  hint: "Mark the right answer with correct=\"true\"")
        } else if !multiple, correctCount > 1 {
            ok = false
            error("quiz.option.correct.too-many", at: element,
                  "\(capitalized: where_) is single choice but has \(correctCount) correct options",
                  hint: "Mark one option correct, or write type=\"multiple\"")
        }
        guard ok, let key else { return nil }
        return .init(key: key, text: text, multiple: multiple, options: options)
    }

    // MARK: Paths and addresses

    /// A file path relative to the course folder, as written; `nil` (reported) when it is not one.
    mutating func localPath(_ element: ManifestElement, attribute: String, required: Bool, moduleKey: String?) -> String? {
        guard let raw = element.attribute(attribute) else {
            if required {
                error("\(element.name).\(attribute).missing", at: element, "<\(element.name)> has no \(attribute)",
                      hint: "Give the file's path relative to the course folder, e.g. \(attribute)=\"pages/01-introductie.html\"",
                      wording: "path.missing")
            }
            return nil
        }
        let path = raw.trimmingCharacters(in: .whitespaces)
        let owner = moduleKey.map { IssueText(phrase: "path.owner", " of module '\($0)'") } ?? ""
        let problem: IssueText?
        if path.isEmpty {
            problem = IssueText(phrase: "path.problem.empty", "is empty")
        } else if path.contains("\\") {
            problem = IssueText(phrase: "path.problem.backslash", "uses backslashes")
        } else if path.hasPrefix("/") || (path.count > 1 && path.dropFirst().first == ":") {
            problem = IssueText(phrase: "path.problem.absolute", "is an absolute path")
        } else if path.contains(":") {
            problem = IssueText(phrase: "path.problem.colon", "contains ':' (web addresses go in href)")
        } else if path.contains("?") || path.contains("#") {
            problem = IssueText(phrase: "path.problem.query", "has a query or fragment (? or #)")
        } else if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            problem = IssueText(phrase: "path.problem.segment", "has an empty, '.' or '..' segment")
        } else {
            problem = nil
        }
        if let problem {
            error("\(element.name).\(attribute).invalid", at: element, "\(attribute)=\"\(raw)\" on <\(element.name)>\(owner) \(problem)",
                  hint: "Write a path inside the course folder with forward slashes, e.g. pages/01-introductie.html",
                  wording: "path.invalid")
            return nil
        }
        references.append(.init(path: path, moduleKey: moduleKey, element: element))
        return path
    }

    mutating func webAddress(_ raw: String, in element: ManifestElement, label: IssueText) -> String? {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty else {
            error("module.href.invalid", at: element, "href=\"\(raw)\" on \(label) is not an http(s) web address",
                  hint: "Write a full address, e.g. https://www.ehealth.fgov.be/, or use src for a file in the course")
            return nil
        }
        if scheme == "http" {
            warning("module.href.insecure", at: element, "href=\"\(raw)\" on \(label) is not https",
                    hint: "Use https:// where the site offers it")
        }
        return value
    }

    // MARK: Structure checks

    /// The one child `name` in the manifest's namespace; a second one is an error.
    mutating func single(_ name: String, in element: ManifestElement) -> ManifestElement? {
        let found = element.children(name, namespace: Self.ns)
        if found.count > 1 {
            error("element.duplicate", at: found[1], "<\(element.name)> has more than one <\(name)> (the first is on line \(found[0].line))",
                  hint: "Keep one <\(name)>")
        }
        return found.first
    }

    /// Unknown attributes are reported as warnings (typos); attributes in other namespaces are extensions.
    /// The manifest's own attributes are unqualified, so a prefixed one in its namespace is unknown too.
    mutating func checkAttributes(_ element: ManifestElement, allowed: Set<String>) {
        for attribute in element.attributes where (attribute.namespace == nil && !allowed.contains(attribute.name))
            || attribute.namespace == Self.ns {
            warning("attribute.unknown", at: element, "<\(element.name)> has no attribute '\(attribute.name)'; it is ignored",
                    hint: allowed.isEmpty ? "<\(element.name)> takes no attributes"
                                          : "Valid attributes: \(allowed.sorted().joined(separator: ", "))",
                    wording: allowed.isEmpty ? "attribute.unknown.none" : nil)
        }
    }

    /// Unknown children in the manifest's namespace (or none) are warnings; other namespaces are extensions.
    mutating func checkChildren(_ element: ManifestElement, allowed: Set<String>) {
        for child in element.children where child.namespace == Self.ns || child.namespace == nil {
            guard child.namespace == nil || !allowed.contains(child.name) else { continue }
            let detail = child.namespace == nil ? IssueText(phrase: "element.noNamespace", " in no namespace") : ""
            warning("element.unknown", at: child, "<\(element.name)> has no child <\(child.name)>\(detail); it is ignored",
                    hint: allowed.isEmpty ? "<\(element.name)> holds only text"
                                          : "Valid children: \(allowed.sorted().map { "<\($0)>" }.joined(separator: ", "))",
                    wording: allowed.isEmpty ? "element.unknown.textOnly" : nil)
        }
    }

    // MARK: Lexical rules

    static func isKey(_ value: String, extra: String, maxLength: Int) -> Bool {
        guard !value.isEmpty, value.count <= maxLength, let first = value.unicodeScalars.first, first.isASCIIAlphanumeric else {
            return false
        }
        return value.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || extra.unicodeScalars.contains($0) }
    }

    static func isSlug(_ value: String) -> Bool {
        guard !value.isEmpty, value.count <= 80, !value.hasPrefix("-"), !value.hasSuffix("-"), !value.contains("--") else {
            return false
        }
        return value.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// BCP 47 in the shape the academy uses: a 2-3 letter language, optional subtags ("nl", "nl-BE").
    static func isLanguage(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard let primary = parts.first, (2...3).contains(primary.count),
              primary.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.unicodeScalars.allSatisfy(\.isASCIIAlphanumeric) }
    }

    static func digits(_ value: Substring) -> Int? {
        guard !value.isEmpty, value.count <= 9, value.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(value)
    }

    /// Whitespace runs (indentation, line breaks) become single spaces.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Like `collapsed`, but a blank line separates paragraphs, kept as "\n\n".
    static func paragraphs(_ text: String) -> String {
        var result: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(whereSeparator: \.isWhitespace)
            if words.isEmpty {
                if !current.isEmpty { result.append(current.joined(separator: " ")); current = [] }
            } else {
                current += words
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result.joined(separator: "\n\n")
    }
}

private extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
