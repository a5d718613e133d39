import Fluent
import Vapor

/// Keeps the catalogue index in memory and rebuilds it when courses change. Another app instance's
/// changes are picked up within `maximumAge`. One rebuild runs at a time; while it runs, requests get
/// the previous index rather than queueing behind the database.
actor CatalogueStore {
    private var index: CatalogueIndex?
    private var loadedAt: Date = .distantPast
    private var generation = 0
    private var refreshing: Task<CatalogueIndex, any Error>?
    private let maximumAge: TimeInterval

    init(maximumAge: TimeInterval = 10) {
        self.maximumAge = maximumAge
    }

    func current(on database: any Database) async throws -> CatalogueIndex {
        if let index, Date().timeIntervalSince(loadedAt) < maximumAge {
            return index
        }
        let task = refreshing ?? startRefresh(on: database)
        if let index { return index }
        return try await task.value
    }

    /// The next `current` reads the database again (after this instance changed a course).
    func invalidate() {
        index = nil
        refreshing = nil
        generation += 1
    }

    private func startRefresh(on database: any Database) -> Task<CatalogueIndex, any Error> {
        generation += 1
        let generation = generation
        let task = Task { try await Self.load(on: database, generation: generation) }
        refreshing = task
        Task { await self.finish(task, generation: generation) }
        return task
    }

    private func finish(_ task: Task<CatalogueIndex, any Error>, generation: Int) async {
        let result = await task.result
        guard generation == self.generation else { return }
        refreshing = nil
        if case .success(let fresh) = result {
            index = fresh
            loadedAt = Date()
        }
    }

    static func load(on database: any Database, generation: Int) async throws -> CatalogueIndex {
        let courses = try await Course.query(on: database)
            .filter(\.$status == .published)
            .with(\.$currentVersion)
            .all()
        let entries = courses.compactMap { course -> CatalogueEntry? in
            guard let id = course.id, let version = course.currentVersion else { return nil }
            return CatalogueEntry(version: version, courseID: id, slug: course.slug)
        }
        return CatalogueIndex(entries: entries, generation: generation)
    }
}

extension CatalogueEntry {
    init(version: CourseVersion, courseID: UUID, slug: String) {
        self.init(courseID: courseID, slug: slug, versionNumber: version.number, title: version.title,
                  summary: version.summary, keywords: version.keywords, themes: version.themes,
                  professions: version.professions, language: version.language,
                  durationMinutes: version.durationMinutes, accreditations: version.accreditations,
                  access: version.packageAccessRules, publishedAt: version.publishedAt)
    }
}

extension Application {
    private struct CatalogueStoreKey: StorageKey {
        typealias Value = CatalogueStore
    }

    private struct PageCacheKey: StorageKey {
        typealias Value = RenderedPageCache
    }

    private struct CatalogueVerdictsKey: StorageKey {
        typealias Value = CatalogueVerdicts
    }

    /// Set once in `configure(_:settings:)`.
    var catalogueVerdicts: CatalogueVerdicts {
        get { storage[CatalogueVerdictsKey.self] ?? CatalogueVerdicts(capacity: 0) }
        set { storage[CatalogueVerdictsKey.self] = newValue }
    }

    /// Set once in `configure(_:settings:)`.
    var pageCache: RenderedPageCache {
        get {
            // configure(_:settings:) sets it; a request still in flight at shutdown finds the storage cleared.
            storage[PageCacheKey.self] ?? RenderedPageCache(capacity: 0)
        }
        set { storage[PageCacheKey.self] = newValue }
    }

    /// Set once in `configure(_:settings:)`, before requests arrive.
    var catalogue: CatalogueStore {
        get {
            // configure(_:settings:) sets it; a request still in flight at shutdown finds the storage cleared.
            storage[CatalogueStoreKey.self] ?? CatalogueStore()
        }
        set { storage[CatalogueStoreKey.self] = newValue }
    }
}
