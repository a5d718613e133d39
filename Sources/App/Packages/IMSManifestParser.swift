import Foundation

/// Reads an imsmanifest.xml (IMS Content Packaging 1.1.x, SCORM 1.2, SCORM 2004 2nd to 4th edition) into a
/// `CoursePackage`: the default organization's item tree becomes the modules, resources give launch URLs and
/// files. The standard is decided by the namespaces the manifest uses; `<schemaversion>` only names the edition.
/// Common Cartridge manifests are refused.
public struct IMSManifestParser: Sendable {
    /// Reads a package file by its package-relative path; returns `nil` when the package has no such file.
    public typealias MetadataLoader = @Sendable (_ path: String) throws -> Data?

    /// Reads metadata the manifest keeps in separate files (`adlcp:location`). Without it those files are only
    /// listed in `CoursePackage.metadataFiles`.
    public var metadataLoader: MetadataLoader?
    public var xmlReader: ManifestXMLReader

    public init(metadataLoader: MetadataLoader? = nil, xmlReader: ManifestXMLReader = ManifestXMLReader()) {
        self.metadataLoader = metadataLoader
        self.xmlReader = xmlReader
    }

    /// Parses manifest bytes. Returns the package, or `nil` when the report gained an error (the package is refused).
    public func parse(_ data: Data, file: String = "imsmanifest.xml", report: inout PackageReport) -> CoursePackage? {
        guard let root = xmlReader.read(data, file: file, report: &report) else { return nil }
        return parse(root, file: file, report: &report)
    }

    /// Parses an already read manifest. Returns `nil` when the report gained an error.
    public func parse(_ root: ManifestElement, file: String = "imsmanifest.xml", report: inout PackageReport) -> CoursePackage? {
        let errorsBefore = report.errors.count
        var build = IMSManifestBuild(file: file, parser: self, report: report)
        let package = build.run(root)
        report = build.report
        return report.errors.count == errorsBefore ? package : nil
    }
}

/// The state of one manifest being read: identifier tables (dictionaries, so that large manifests stay linear)
/// and the report.
private struct IMSManifestBuild {
    struct Resource {
        let element: ManifestElement
        let identifier: String
        /// The xml:base chain down to this resource, joined.
        let base: String
    }

    struct SubManifest {
        let element: ManifestElement
        let base: String
    }

    enum Reference {
        case absolute(String)
        /// `reference`: joined with its bases, not yet normalized; `file`: the package file it names.
        case relative(reference: String, file: String)
    }

    let file: String
    let parser: IMSManifestParser
    var report: PackageReport
    var standard: CoursePackage.Standard = .imsContentPackaging
    var resources: [String: Resource] = [:]
    var resourceOrder: [String] = []
    var subManifests: [String: SubManifest] = [:]
    var itemsByIdentifier: [String: ManifestElement] = [:]
    var resolvedFiles: [String: [String]] = [:]
    var expandingManifests: Set<String> = []
    var language = LanguageCode.undetermined
    /// References whose problem is already reported.
    var reportedReferences: Set<String> = []

    init(file: String, parser: IMSManifestParser, report: PackageReport) {
        self.file = file
        self.parser = parser
        self.report = report
    }

    mutating func run(_ root: ManifestElement) -> CoursePackage? {
        guard root.name == "manifest" else {
            report.error("manifest.root", file: file, at: root,
                         "The root element is <\(root.name)>, not <manifest>, so this is not an IMS manifest",
                         hint: "An imsmanifest.xml starts with <manifest identifier=\"...\">")
            return nil
        }
        let metadata = root.childIgnoringCase("metadata")
        let schema = metadata?.childIgnoringCase("schema")?.nonEmptyText
        if root.namespace.map(ManifestNamespace.isCommonCartridge) == true
            || schema?.lowercased().contains("common cartridge") == true {
            report.error("package.commonCartridge", file: file, at: root,
                         "Common Cartridge is not a course package this academy imports (the manifest is an IMS Common Cartridge\(root.namespace.map { ", namespace \($0)" } ?? ""))",
                         hint: "Export the course as SCORM 1.2, SCORM 2004 or cmi5 instead")
            return nil
        }
        let schemaVersion = metadata?.childIgnoringCase("schemaversion")?.nonEmptyText
        let (standard, version) = decideStandard(root, schema: schema, schemaVersion: schemaVersion)
        self.standard = standard

        let identifier = root.attributeIgnoringCase("identifier") ?? ""
        if identifier.isEmpty {
            report.error("manifest.identifier.missing", file: file, at: root,
                         "The manifest has no identifier; the academy uses it to recognise new versions of the same course",
                         hint: "Add identifier=\"...\" to <manifest>, unique to this course")
        }

        // Metadata first: its language keys every title.
        let manifestBase = PackagePath.join(base: "", root.attributeIgnoringCase("base") ?? "")
        var lom = metadata.map { LOMMetadataReader.read($0, fallbackLanguage: nil) } ?? LOMMetadata()
        let metadataFiles = metadataLocations(metadata, base: manifestBase)
        if let loader = parser.metadataLoader {
            for path in metadataFiles {
                lom.complete(from: loadMetadata(path, loader: loader, at: metadata))
            }
        }
        language = lom.language ?? LanguageCode.undetermined

        registerResources(of: root, parentBase: "")
        checkDependencies()

        var modules: [PackageModule] = []
        var organizationTitle: String?
        var titleReported = false
        let organizations = root.childIgnoringCase("organizations")
        switch chooseOrganization(in: root) {
        case .chosen(let organization):
            organizationTitle = organization.childIgnoringCase("title")?.nonEmptyText
            if organization.childIgnoringCase("title") == nil, standard != .imsContentPackaging {
                report.error("organization.title.missing", file: file, at: organization,
                             "The organization '\(organization.attributeIgnoringCase("identifier") ?? "")' has no <title>, which SCORM requires",
                             hint: "Add <title>Course title</title> as the organization's first child")
                titleReported = true
            }
            checkGlobalToSystemFlags(organization)
            modules = buildItems(of: organization)
            if modules.isEmpty {
                report.error("organization.empty", file: file, at: organization,
                             "The organization '\(organization.attributeIgnoringCase("identifier") ?? "")' has no items, so the course has nothing to open",
                             hint: "Add <item> elements that refer to the course's resources")
            }
        case .none:
            modules = modulesFromResources(root, organizations: organizations, courseTitle: lom.title)
        case .refused:
            titleReported = true
        }

        var title: LocalizedText
        if let organizationTitle {
            title = [language: organizationTitle]
        } else if !lom.title.isEmpty {
            title = lom.title
        } else {
            title = [language: identifier]
            if !titleReported {
                report.warning("manifest.title.missing", file: file, at: root,
                               "Neither the organization nor the metadata gives the course a title; the identifier '\(identifier)' is used",
                               hint: "Add a <title> to the organization")
            }
        }

        var package = CoursePackage(standard: standard, standardVersion: version, identifier: identifier,
                                    language: language, title: title, modules: modules)
        package.description = lom.description
        package.keywords = lom.keywords
        package.durationMinutes = lom.typicalLearningTimeMinutes
        package.files = allFiles()
        package.metadataFiles = metadataFiles.isEmpty ? nil : metadataFiles
        return package
    }

    // MARK: Standard

    /// SCORM 1.2 and 2004 are told apart by their namespaces; `<schema>`/`<schemaversion>` decide only when the
    /// manifest uses neither (hand-written manifests without namespaces) and name the 2004 edition.
    mutating func decideStandard(_ root: ManifestElement, schema: String?, schemaVersion: String?) -> (CoursePackage.Standard, String?) {
        var uses12 = false
        var uses2004 = false
        var usesADL = false
        // A manifest uses a handful of namespaces over thousands of elements: classify each one once.
        var seen: Set<String> = []
        func note(_ namespace: String?) {
            guard let namespace, seen.insert(namespace).inserted else { return }
            if ManifestNamespace.isSCORM12(namespace) { uses12 = true }
            if ManifestNamespace.isSCORM2004(namespace) { uses2004 = true }
            if ManifestNamespace.isADL(namespace) { usesADL = true }
        }
        var stack = [root]
        while let element = stack.popLast() {
            note(element.namespace)
            for attribute in element.attributes { note(attribute.namespace) }
            stack.append(contentsOf: element.children)
        }
        let cpVersion = root.namespace.flatMap(ManifestNamespace.contentPackagingVersion)
        // An ADL namespace of no known version (e.g. "adlcp_v1p2") still marks SCORM; the CP version tells which.
        if usesADL && !uses12 && !uses2004 {
            if cpVersion == "1.1.4" { uses2004 = true } else if cpVersion == "1.1.2" { uses12 = true }
        }
        let declared = schemaVersion?.lowercased() ?? ""
        let declares2004 = declared.contains("2004") || declared.contains("cam 1.3") || declared == "1.3"
        let declares12 = declared == "1.2"
        if root.namespace == nil {
            report.warning("manifest.namespace.missing", file: file, at: root,
                           "The manifest declares no namespace; it is read as \(declares2004 ? "SCORM 2004" : declares12 ? "SCORM 1.2" : "IMS Content Packaging") from its schemaversion",
                           hint: "Declare xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\" (SCORM 1.2) or xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" (SCORM 2004) on <manifest>")
        }

        let standard: CoursePackage.Standard
        if uses12 && uses2004 {
            standard = cpVersion == "1.1.2" ? .scorm12 : .scorm2004
            report.warning("manifest.namespace.mixed", file: file, at: root,
                           "The manifest uses both SCORM 1.2 and SCORM 2004 namespaces; it is read as \(standard == .scorm12 ? "SCORM 1.2" : "SCORM 2004")",
                           hint: "Use the namespaces of one SCORM version only")
        } else if uses2004 {
            standard = .scorm2004
        } else if uses12 {
            standard = .scorm12
        } else if declares2004 || (schema?.lowercased().contains("scorm") == true && cpVersion == "1.1.4") {
            standard = .scorm2004
        } else if declares12 || schema?.lowercased().contains("scorm") == true {
            standard = .scorm12
        } else {
            standard = .imsContentPackaging
        }

        switch standard {
        case .scorm12:
            if declares2004 {
                report.warning("manifest.schemaversion.mismatch", file: file, at: root,
                               "The schemaversion says '\(schemaVersion ?? "")' but the namespaces are SCORM 1.2; it is read as SCORM 1.2",
                               hint: "Write <schemaversion>1.2</schemaversion>")
            }
            return (.scorm12, "1.2")
        case .scorm2004:
            if declares12 {
                report.warning("manifest.schemaversion.mismatch", file: file, at: root,
                               "The schemaversion says '1.2' but the namespaces are SCORM 2004; it is read as SCORM 2004",
                               hint: "Write <schemaversion>2004 4th Edition</schemaversion> (or the edition the content follows)",
                               wording: "manifest.schemaversion.mismatch.2004")
            }
            if declared.contains("4th") { return (.scorm2004, "2004 4th Edition") }
            if declared.contains("3rd") { return (.scorm2004, "2004 3rd Edition") }
            if declared.contains("2nd") || declared.contains("cam 1.3") || declared == "1.3" { return (.scorm2004, "2004 2nd Edition") }
            return (.scorm2004, "2004")
        default:
            if let schemaVersion, schemaVersion.hasPrefix("1.1") { return (.imsContentPackaging, schemaVersion) }
            return (.imsContentPackaging, cpVersion)
        }
    }

    // MARK: Resources

    mutating func registerResources(of manifest: ManifestElement, parentBase: String) {
        let manifestBase = PackagePath.join(base: parentBase, manifest.attributeIgnoringCase("base") ?? "")
        for container in manifest.childrenIgnoringCase("resources") {
            let containerBase = PackagePath.join(base: manifestBase, container.attributeIgnoringCase("base") ?? "")
            for element in container.childrenIgnoringCase("resource") {
                guard let identifier = element.attributeIgnoringCase("identifier"), !identifier.isEmpty else {
                    report.error("resource.identifier.missing", file: file, at: element,
                                 "A resource has no identifier, so no item can refer to it",
                                 hint: "Add identifier=\"...\" to the <resource>")
                    continue
                }
                if let first = resources[identifier] {
                    report.error("resource.identifier.duplicate", file: file, at: element,
                                 "The resource identifier '\(identifier)' is used twice (first on line \(first.element.line))",
                                 hint: "Give every resource its own identifier")
                    continue
                }
                let base = PackagePath.join(base: containerBase, element.attributeIgnoringCase("base") ?? "")
                resources[identifier] = Resource(element: element, identifier: identifier, base: base)
                resourceOrder.append(identifier)
            }
        }
        for sub in manifest.childrenIgnoringCase("manifest") {
            let subBase = PackagePath.join(base: manifestBase, sub.attributeIgnoringCase("base") ?? "")
            if let identifier = sub.attributeIgnoringCase("identifier"), !identifier.isEmpty {
                if subManifests[identifier] != nil {
                    report.error("manifest.identifier.duplicate", file: file, at: sub,
                                 "The sub-manifest identifier '\(identifier)' is used twice",
                                 hint: "Give every sub-manifest its own identifier")
                } else {
                    subManifests[identifier] = SubManifest(element: sub, base: subBase)
                }
            }
            registerResources(of: sub, parentBase: manifestBase)
        }
    }

    /// Each dependency must name a resource; checked once per resource so large manifests stay linear.
    mutating func checkDependencies() {
        for identifier in resourceOrder {
            guard let resource = resources[identifier] else { continue }
            for dependency in resource.element.childrenIgnoringCase("dependency") {
                let target = dependency.attributeIgnoringCase("identifierref") ?? ""
                if resources[target] == nil {
                    report.error("dependency.identifierref.unknown", file: file, at: dependency,
                                 "Resource '\(identifier)' has a dependency on an unknown resource '\(target)'",
                                 hint: "Point the dependency's identifierref at an existing resource identifier, or remove it")
                }
            }
        }
    }

    /// A reference resolved against its xml:base chain; `nil` (with an error) when it cannot be served.
    mutating func resolve(_ raw: String, base: String, what: @autoclosure () -> IssueText, at element: ManifestElement) -> Reference? {
        var reference = PackagePath.slashes(ManifestElement.trimmed(raw))
        if PackagePath.isFileSystemPath(reference) {
            if firstReport(of: raw, at: element) {
                report.error("href.filesystem", file: file, at: element,
                             "\(what()) '\(raw)' points at a file on the author's computer, not in the package",
                             hint: "Use a path relative to the package root")
            }
            return nil
        }
        if PackagePath.isAbsoluteURL(reference) { return .absolute(reference) }
        reference = PackagePath.join(base: base, reference)
        if PackagePath.isAbsoluteURL(reference) { return .absolute(reference) }
        if reference.hasPrefix("/") {
            if firstReport(of: raw, at: element) {
                report.warning("href.rooted", file: file, at: element,
                               "\(what()) '\(raw)' starts with '/'; it is read relative to the package root",
                               hint: "Remove the leading '/'")
            }
            while reference.hasPrefix("/") { reference.removeFirst() }
        }
        guard let path = PackagePath.filePath(of: reference) else {
            if firstReport(of: raw, at: element) {
                report.error("href.outside", file: file, at: element,
                             "\(what()) '\(raw)' points outside the package",
                             hint: "Keep every file inside the package and refer to it by a relative path")
            }
            return nil
        }
        return .relative(reference: reference, file: path)
    }

    /// Whether a problem with this reference is seen for the first time (hrefs are resolved once for the launch
    /// URL and again for the file list).
    mutating func firstReport(of raw: String, at element: ManifestElement) -> Bool {
        reportedReferences.insert("\(element.line):\(element.column):\(raw)").inserted
    }

    /// The package files a resource needs: its launch file, its files and, recursively, its dependencies' files.
    mutating func files(ofResource identifier: String) -> [String] {
        if let known = resolvedFiles[identifier] { return known }
        var result: [String] = []
        var seen: Set<String> = []
        var visited: Set<String> = []
        var pending = [identifier]
        while let next = pending.popLast() {
            guard visited.insert(next).inserted, let resource = resources[next] else { continue }
            for path in ownFiles(resource) where seen.insert(path).inserted { result.append(path) }
            let dependencies = resource.element.childrenIgnoringCase("dependency").compactMap { $0.attributeIgnoringCase("identifierref") }
            pending.append(contentsOf: dependencies.reversed())
        }
        resolvedFiles[identifier] = result
        return result
    }

    private var ownFilesCache: [String: [String]] = [:]

    mutating func ownFiles(_ resource: Resource) -> [String] {
        if let known = ownFilesCache[resource.identifier] { return known }
        var result: [String] = []
        if let href = resource.element.attributeIgnoringCase("href"), !href.isEmpty,
           case .relative(_, let path)? = resolve(href, base: resource.base, what: IssueText(phrase: "href.resource", "The href of resource '\(resource.identifier)'"), at: resource.element) {
            result.append(path)
        }
        for fileElement in resource.element.childrenIgnoringCase("file") {
            guard let href = fileElement.attributeIgnoringCase("href"), !href.isEmpty else {
                report.warning("file.href.missing", file: file, at: fileElement,
                               "A <file> of resource '\(resource.identifier)' has no href; it is ignored",
                               hint: "Give every <file> an href relative to the package root")
                continue
            }
            if case .relative(_, let path)? = resolve(href, base: resource.base, what: IssueText(phrase: "href.file", "The file '\(href)' of resource '\(resource.identifier)'"), at: fileElement),
               !result.contains(path) {
                result.append(path)
            }
        }
        ownFilesCache[resource.identifier] = result
        return result
    }

    mutating func allFiles() -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        for identifier in resourceOrder {
            guard let resource = resources[identifier] else { continue }
            for path in ownFiles(resource) where seen.insert(path).inserted { result.append(path) }
        }
        return result
    }

    // MARK: Organizations and items

    enum OrganizationChoice {
        case chosen(ManifestElement)
        /// The manifest has no organization.
        case none
        /// The default names no organization (an error is reported).
        case refused
    }

    /// The default organization, else the first (with a warning when there are several).
    mutating func chooseOrganization(in manifest: ManifestElement) -> OrganizationChoice {
        guard let container = manifest.childIgnoringCase("organizations") else { return .none }
        let organizations = container.childrenIgnoringCase("organization")
        var byIdentifier: [String: ManifestElement] = [:]
        for organization in organizations {
            guard let identifier = organization.attributeIgnoringCase("identifier"), !identifier.isEmpty else {
                report.error("organization.identifier.missing", file: file, at: organization,
                             "An organization has no identifier",
                             hint: "Add identifier=\"...\" to the <organization> and name it in <organizations default=\"...\">")
                continue
            }
            if byIdentifier[identifier] != nil {
                report.error("organization.identifier.duplicate", file: file, at: organization,
                             "The organization identifier '\(identifier)' is used twice",
                             hint: "Give every organization its own identifier")
            } else {
                byIdentifier[identifier] = organization
            }
        }
        let known = organizations.compactMap { $0.attributeIgnoringCase("identifier") }.filter { !$0.isEmpty }
        if let wanted = container.attributeIgnoringCase("default"), !wanted.isEmpty {
            guard let chosen = byIdentifier[wanted] else {
                let listed = known.isEmpty ? "the manifest has no organization with an identifier" : "the organizations are " + known.map { "'\($0)'" }.joined(separator: ", ")
                report.error("organizations.default.unknown", file: file, at: container,
                             "The default organization '\(wanted)' does not exist: \(listed)",
                             hint: "Set <organizations default=\"...\"> to the identifier of the organization to import")
                return .refused
            }
            if organizations.count > 1 {
                report.warning("organizations.several", file: file, at: container,
                               "The manifest has \(organizations.count) organizations; only the default '\(wanted)' is imported",
                               hint: "Export one organization per package if the others are courses of their own")
            }
            return .chosen(chosen)
        }
        guard let first = organizations.first else { return .none }
        if organizations.count > 1 {
            report.warning("organizations.several", file: file, at: container,
                           "The manifest has \(organizations.count) organizations and names no default; the first, '\(first.attributeIgnoringCase("identifier") ?? "")', is imported",
                           hint: "Name the organization to import in <organizations default=\"...\">",
                           wording: "organizations.several.noDefault")
        }
        return .chosen(first)
    }

    mutating func buildItems(of parent: ManifestElement) -> [PackageModule] {
        parent.childrenIgnoringCase("item").compactMap { buildItem($0) }
    }

    mutating func buildItem(_ item: ManifestElement) -> PackageModule? {
        guard let key = item.attributeIgnoringCase("identifier"), !key.isEmpty else {
            report.error("item.identifier.missing", file: file, at: item,
                         "An item has no identifier",
                         hint: "Add identifier=\"...\" to the <item>, unique within the manifest")
            return nil
        }
        if let first = itemsByIdentifier[key] {
            report.error("item.identifier.duplicate", file: file, at: item,
                         "The item identifier '\(key)' is used twice (first on line \(first.line))",
                         hint: "Give every item its own identifier")
        } else {
            itemsByIdentifier[key] = item
        }

        let titleElement = item.childIgnoringCase("title")
        var title = titleElement?.nonEmptyText
        if titleElement == nil, standard != .imsContentPackaging {
            report.error("item.title.missing", file: file, at: item,
                         "Item '\(key)' has no <title>, which SCORM requires",
                         hint: "Add <title>...</title> as the item's first child")
        } else if title == nil {
            report.warning("item.title.empty", file: file, at: titleElement ?? item,
                           "Item '\(key)' has an empty title; its identifier is shown instead",
                           hint: "Give the item a title")
        }
        if title == nil { title = key }

        var children = buildItems(of: item)
        var module = PackageModule(key: key, title: [language: title ?? key], kind: .folder)
        var resourceElement: ManifestElement?
        let reference = item.attributeIgnoringCase("identifierref") ?? ""

        if !reference.isEmpty {
            if let resource = resources[reference] {
                resourceElement = resource.element
                fillLaunch(&module, item: item, resource: resource)
                if !children.isEmpty {
                    report.warning("item.content.withChildren", file: file, at: item,
                                   "Item '\(key)' has both content (resource '\(reference)') and sub-items; both are kept",
                                   hint: standard == .scorm2004 ? "SCORM 2004 allows content only on leaf items: move the content into a sub-item" : "Move the content into a sub-item",
                                   wording: standard == .scorm2004 ? "item.content.withChildren.scorm2004" : nil)
                }
            } else if let sub = subManifests[reference] {
                children += expand(sub, reference: reference)
            } else {
                report.error("item.identifierref.unknown", file: file, at: item,
                             "Item '\(key)' has an identifierref to an unknown resource '\(reference)'",
                             hint: "Point identifierref at the identifier of a <resource> in the manifest")
            }
        } else if children.isEmpty {
            report.warning("item.empty", file: file, at: item,
                           "Item '\(key)' refers to no resource and has no sub-items; it is kept as an empty folder",
                           hint: "Give it an identifierref or remove it")
        }
        module.children = children
        if let lom = item.childIgnoringCase("metadata").map({ LOMMetadataReader.read($0, fallbackLanguage: language) }) {
            module.durationMinutes = lom.typicalLearningTimeMinutes
        }
        if standard == .scorm12 || standard == .scorm2004 {
            let reader = ScormItemReader(standard: standard, file: file)
            module.scorm = reader.read(item: item, resource: resourceElement, report: &report)
        }
        return module
    }

    mutating func fillLaunch(_ module: inout PackageModule, item: ManifestElement, resource: Resource) {
        let scormType = ScormItemReader.scormType(of: resource.element)
        switch (standard, scormType) {
        case (_, "sco"?):
            module.kind = .sco
        case (_, "asset"?), (.imsContentPackaging, _):
            module.kind = .asset
        case (_, nil):
            module.kind = .sco
            report.warning("resource.scormtype.missing", file: file, at: resource.element,
                           "Resource '\(resource.identifier)' has no adlcp:scormType; it is launched as a SCO so that it can reach the SCORM runtime",
                           hint: "Add adlcp:scormType=\"sco\" (SCORM 2004) or adlcp:scormtype=\"sco\" (SCORM 1.2), or \"asset\" if it does not talk to the LMS")
        case (_, let other?):
            module.kind = .asset
            report.warning("resource.scormtype.unknown", file: file, at: resource.element,
                           "Resource '\(resource.identifier)' has scormType '\(other)'; it is launched as an asset",
                           hint: "Use \"sco\" or \"asset\"")
        }
        let what = module.kind == .sco ? "SCO" : "asset"
        guard let href = resource.element.attributeIgnoringCase("href"), !href.isEmpty else {
            report.error("resource.href.missing", file: file, at: resource.element,
                         "Resource '\(resource.identifier)' (used by item '\(module.key)') has no href, so the \(what) has no launch file",
                         hint: "Add href=\"...\" with the launch page to the <resource>")
            return
        }
        guard let reference = resolve(href, base: resource.base, what: IssueText(phrase: "href.launch", "The launch href of resource '\(resource.identifier)'"), at: resource.element) else { return }
        var launch: String
        switch reference {
        case .absolute(let url): launch = url
        case .relative(let relative, _):
            guard let normalized = PackagePath.normalizedLaunch(relative) else {
                report.error("href.outside", file: file, at: resource.element,
                             "The launch href '\(href)' of resource '\(resource.identifier)' points outside the package",
                             hint: "Keep every file inside the package and refer to it by a relative path", wording: "href.outside.launch")
                return
            }
            launch = normalized
        }
        if let parameters = item.attributeIgnoringCase("parameters"), !parameters.isEmpty {
            launch = PackagePath.appendingParameters(parameters, to: launch)
        }
        module.launch = launch
        module.files = files(ofResource: resource.identifier)
    }

    /// Items of a sub-manifest's organization, inserted where an item refers to the sub-manifest.
    mutating func expand(_ sub: SubManifest, reference: String) -> [PackageModule] {
        guard expandingManifests.insert(reference).inserted else {
            report.error("manifest.submanifest.cycle", file: file, at: sub.element,
                         "The sub-manifest '\(reference)' is included inside itself",
                         hint: "Remove the item that refers back to the sub-manifest")
            return []
        }
        defer { expandingManifests.remove(reference) }
        switch chooseOrganization(in: sub.element) {
        case .chosen(let organization):
            return buildItems(of: organization)
        case .refused:
            return []
        case .none:
            report.warning("manifest.submanifest.empty", file: file, at: sub.element,
                           "The sub-manifest '\(reference)' has no organization; nothing is included from it",
                           hint: "Give the sub-manifest an organization with items")
            return []
        }
    }

    /// A manifest without organizations still launches: each resource with an href becomes a module
    /// (what Moodle does with such packages).
    mutating func modulesFromResources(_ root: ManifestElement, organizations: ManifestElement?, courseTitle: LocalizedText) -> [PackageModule] {
        let launchable = resourceOrder.compactMap { resources[$0] }.filter {
            $0.element.attributeIgnoringCase("href").map { !$0.isEmpty } ?? false
        }
        guard !launchable.isEmpty else {
            report.error("manifest.empty", file: file, at: organizations ?? root,
                         resources.isEmpty ? "The manifest has no organizations and no resources, so there is nothing to import"
                                           : "The manifest has no organizations and none of its resources has an href, so there is nothing to launch",
                         hint: "Add an <organization> with items referring to resources that have an href",
                         wording: resources.isEmpty ? nil : "manifest.empty.noHref")
            return []
        }
        report.warning("organizations.missing", file: file, at: organizations ?? root,
                       launchable.count == 1 ? "The manifest has no organization; its 1 resource with an href becomes the course's modules"
                           : "The manifest has no organization; its \(launchable.count) resources with an href become the course's modules",
                       hint: "Add an <organization> so that the course has a table of contents",
                       wording: launchable.count == 1 ? "organizations.missing.one" : nil)
        var modules: [PackageModule] = []
        for resource in launchable {
            let title = launchable.count == 1 && !courseTitle.isEmpty ? courseTitle : [language: resource.identifier]
            var module = PackageModule(key: resource.identifier, title: title, kind: .asset)
            fillLaunch(&module, item: resource.element, resource: resource)
            if standard == .scorm12 || standard == .scorm2004 {
                var data = ScormItemData()
                data.scormType = ScormItemReader.scormType(of: resource.element)
                module.scorm = data
            }
            modules.append(module)
        }
        return modules
    }

    /// adlseq:objectivesGlobalToSystem and adlcp:sharedDataGlobalToSystem are booleans; exporters write "".
    mutating func checkGlobalToSystemFlags(_ organization: ManifestElement) {
        for name in ["objectivesGlobalToSystem", "sharedDataGlobalToSystem"] {
            guard let value = organization.attributeIgnoringCase(name) else { continue }
            if !["true", "false", "1", "0"].contains(value.lowercased()) {
                report.warning("organization.boolean.invalid", file: file, at: organization,
                               "The organization's \(name)=\"\(value)\" is not a boolean; the default (true) applies",
                               hint: "Write \(name)=\"true\" or \(name)=\"false\", or leave the attribute out")
            }
        }
    }

    // MARK: Metadata

    func metadataLocations(_ metadata: ManifestElement?, base: String) -> [String] {
        guard let metadata else { return [] }
        var result: [String] = []
        for location in metadata.childrenIgnoringCase("location") {
            guard let text = location.nonEmptyText,
                  let path = PackagePath.filePath(of: PackagePath.join(base: base, text)),
                  !result.contains(path) else { continue }
            result.append(path)
        }
        return result
    }

    mutating func loadMetadata(_ path: String, loader: IMSManifestParser.MetadataLoader, at element: ManifestElement?) -> LOMMetadata {
        let data: Data?
        do {
            data = try loader(path)
        } catch {
            report.warning("metadata.file.unreadable", file: file, at: element,
                           "The metadata file '\(path)' named by adlcp:location cannot be read (\(error)); the course is imported without it")
            return LOMMetadata()
        }
        guard let data else {
            report.warning("metadata.file.missing", file: file, at: element,
                           "The metadata file '\(path)' named by adlcp:location is not in the package; the course is imported without it",
                           hint: "Add '\(path)' to the package or remove the <adlcp:location>")
            return LOMMetadata()
        }
        var inner = PackageReport()
        guard let root = parser.xmlReader.read(data, file: path, report: &inner) else {
            for issue in inner.issues {
                report.issues.append(PackageIssue(.warning, code: "metadata.file.invalid", file: path, line: issue.line, column: issue.column,
                                                  text: "The metadata file is ignored: \(issue.messageText)", hint: issue.hintText))
            }
            return LOMMetadata()
        }
        return LOMMetadataReader.read(root, fallbackLanguage: nil)
    }
}
