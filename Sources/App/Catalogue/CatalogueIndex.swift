import Foundation

/// A published course as the catalogue lists it.
public struct CatalogueEntry: Sendable, Equatable {
    public var courseID: UUID
    public var slug: String
    public var versionNumber: Int
    public var title: LocalizedText
    public var summary: LocalizedText
    public var themes: [String]
    public var professions: [String]
    public var language: String
    public var durationMinutes: Int?
    public var accreditations: [PackageAccreditation]
    public var accreditation: PackageAccreditation? { accreditations.first }
    public var access: [PackageAccessRule]
    /// The course's visibility and enrolment rules, read once when the index is built.
    public var visibilityPolicies: [AccessPolicy]
    public var enrolmentPolicies: [AccessPolicy]
    /// Folded title, summary and keywords in every language.
    public var searchText: String
    public var publishedAt: Date?

    public init(courseID: UUID, slug: String, versionNumber: Int, title: LocalizedText, summary: LocalizedText,
                keywords: [String], themes: [String], professions: [String], language: String,
                durationMinutes: Int?, accreditations: [PackageAccreditation], access: [PackageAccessRule],
                publishedAt: Date?) {
        self.courseID = courseID
        self.slug = slug
        self.versionNumber = versionNumber
        self.title = title
        self.summary = summary
        self.themes = themes
        self.professions = professions
        self.language = language
        self.durationMinutes = durationMinutes
        self.accreditations = accreditations
        self.access = access
        visibilityPolicies = access.filter { $0.scope == .visibility }.map(AccessPolicy.init)
        enrolmentPolicies = access.filter { $0.scope == .enrolment }.map(AccessPolicy.init)
        self.publishedAt = publishedAt
        let words = Array(title.values) + Array(summary.values) + keywords
        self.searchText = SearchText.fold(words.joined(separator: " "))
    }

    /// Whether any rule limits who may see or take the course.
    public var isRestricted: Bool {
        !visibilityPolicies.isEmpty || !enrolmentPolicies.isEmpty
    }
}

/// How the catalogue shows one course to one person.
public enum CatalogueVisibility: Sendable, Equatable {
    case open
    case locked
    case hidden
}

/// All published courses in memory, searched and filtered without a query per course.
public struct CatalogueIndex: Sendable {
    public let entries: [CatalogueEntry]
    public let themes: [String]
    public let professions: [String]
    public let languages: [String]
    /// Increases with every rebuild, so that what was derived from an older index can be recognised.
    public let generation: Int
    /// Entry positions sorted by title in each interface language, computed once per index.
    private let order: [Language: [Int]]

    public init(entries: [CatalogueEntry], generation: Int = 0) {
        self.entries = entries
        self.generation = generation
        var order: [Language: [Int]] = [:]
        for language in Language.allCases {
            let keys = entries.map { SearchText.fold($0.title.text(in: language.rawValue) ?? $0.slug) }
            order[language] = entries.indices.sorted { keys[$0] == keys[$1] ? $0 < $1 : keys[$0] < keys[$1] }
        }
        self.order = order
        themes = Array(Set(entries.flatMap(\.themes))).sorted()
        professions = Array(Set(entries.flatMap(\.professions))).sorted()
        languages = Array(Set(entries.map(\.language))).sorted()
    }

    public struct Result: Sendable {
        public var entries: [(entry: CatalogueEntry, visibility: CatalogueVisibility)]
        public var total: Int
        public var page: Int
        public var pageCount: Int
    }

    /// The page of entries matching `query`, ordered by title in `language`. `visibility` decides per
    /// entry whether this person sees it; hidden entries are left out of results and counts alike.
    public func search(_ query: CatalogueQuery, language: Language,
                       visibility: (CatalogueEntry) -> CatalogueVisibility) -> Result {
        search(query, language: language) { visibility(entries[$0]) }
    }

    /// The same search with the verdicts decided beforehand for every entry, by position (`verdicts(_:)`).
    public func search(_ query: CatalogueQuery, language: Language, verdicts: [CatalogueVisibility]) -> Result {
        precondition(verdicts.count == entries.count, "verdicts decided on another index")
        return search(query, language: language) { verdicts[$0] }
    }

    /// Every entry's visibility, by position.
    public func verdicts(_ visibility: (CatalogueEntry) -> CatalogueVisibility) -> [CatalogueVisibility] {
        entries.map(visibility)
    }

    private func search(_ query: CatalogueQuery, language: Language,
                        visibilityAt visibility: (Int) -> CatalogueVisibility) -> Result {
        let terms = SearchText.terms(query.text)
        var matches: [(position: Int, visibility: CatalogueVisibility)] = []
        for position in order[language] ?? Array(entries.indices) {
            let entry = entries[position]
            if let theme = query.theme, !entry.themes.contains(theme) { continue }
            if let profession = query.profession, !entry.professions.contains(profession) { continue }
            if query.accreditedOnly && entry.accreditation == nil { continue }
            if let wanted = query.language, entry.language != wanted { continue }
            if !terms.isEmpty && !terms.allSatisfy({ entry.searchText.contains($0) }) { continue }
            let seen = visibility(position)
            if seen == .hidden { continue }
            if query.openToMe && seen != .open { continue }
            matches.append((position, seen))
        }
        let size = CatalogueQuery.pageSize
        let pageCount = max(1, (matches.count + size - 1) / size)
        let page = min(query.page, pageCount)
        let start = (page - 1) * size
        let slice = matches[min(start, matches.count)..<min(start + size, matches.count)].map { (entries[$0.position], $0.visibility) }
        return Result(entries: slice, total: matches.count, page: page, pageCount: pageCount)
    }

    public func entry(slug: String) -> CatalogueEntry? {
        entries.first { $0.slug == slug }
    }
}
