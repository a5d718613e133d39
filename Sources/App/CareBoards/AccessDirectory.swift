import Fluent
import Vapor

/// The boards and groups the platform knows, for the rule engine's vocabulary and the explainer's
/// names. Small (60 boards, a few groups) and read on every page, so it is kept in memory and reloaded
/// after `maximumAge` or when something that changes it calls `invalidate()`.
struct AccessDirectory: Sendable {
    struct Board: Sendable, Equatable {
        var name: String
        var province: Province
    }

    var boards: [String: Board]
    var groups: [String: LocalizedText]
    /// Counts the loads of this process, so that pages rendered with older names can be told apart.
    var revision = 0

    var boardNames: [String: String] { boards.mapValues(\.name) }
}

actor AccessDirectoryStore {
    private var directory: AccessDirectory?
    private var loadedAt: Date = .distantPast
    private var revision = 0
    private let maximumAge: TimeInterval

    init(maximumAge: TimeInterval = 60) {
        self.maximumAge = maximumAge
    }

    func current(on database: any Database) async throws -> AccessDirectory {
        if let directory, Date().timeIntervalSince(loadedAt) < maximumAge {
            return directory
        }
        var fresh = try await Self.load(on: database)
        revision += 1
        fresh.revision = revision
        directory = fresh
        loadedAt = Date()
        return fresh
    }

    func invalidate() {
        directory = nil
    }

    static func load(on database: any Database) async throws -> AccessDirectory {
        let boards = try await CareBoard.query(on: database).all()
        let groups = try await AccessGroup.query(on: database).all()
        return AccessDirectory(
            boards: Dictionary(boards.map { ($0.code, .init(name: $0.name, province: Province($0.province))) },
                               uniquingKeysWith: { first, _ in first }),
            groups: Dictionary(groups.map { ($0.key, $0.names) }, uniquingKeysWith: { first, _ in first }))
    }
}

extension Application {
    private struct AccessDirectoryStoreKey: StorageKey {
        typealias Value = AccessDirectoryStore
    }

    /// Set once in `configure(_:settings:)`, before requests arrive.
    var accessDirectory: AccessDirectoryStore {
        get {
            // configure(_:settings:) sets it; a request still in flight at shutdown finds the storage cleared.
            storage[AccessDirectoryStoreKey.self] ?? AccessDirectoryStore()
        }
        set { storage[AccessDirectoryStoreKey.self] = newValue }
    }
}
