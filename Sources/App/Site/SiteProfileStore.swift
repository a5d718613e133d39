import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The saved site profile kept in memory, so that every page can read it without a query. Read again from
/// the database at most once a minute (`SiteProfileMiddleware`), so a change saved on one instance shows on
/// all of them within a minute, and at once on the instance that saved it.
final class SiteProfileStore: Sendable {
    private struct State {
        var saved: SiteProfile?
        var readAt: Date?
    }

    private let state = NIOLockedValueBox(State())
    let maxAge: TimeInterval

    init(maxAge: TimeInterval = 60) {
        self.maxAge = maxAge
    }

    /// The profile as last read; `nil` before the first read or while none was saved.
    var saved: SiteProfile? { state.withLockedValue { $0.saved } }

    func refreshIfStale(on db: any Database, now: Date = Date()) async {
        let due = state.withLockedValue { state in
            guard let readAt = state.readAt, now.timeIntervalSince(readAt) < maxAge else {
                // Claimed before the query, so concurrent requests do not all read it.
                state.readAt = now
                return true
            }
            return false
        }
        guard due else { return }
        // A database without the table yet (a command before migrating) keeps the environment's name.
        if let row = try? await SiteProfileRow.query(on: db).first() {
            remember(row.profile, at: now)
        }
    }

    func remember(_ profile: SiteProfile?, at now: Date = Date()) {
        state.withLockedValue { $0 = State(saved: profile, readAt: now) }
    }
}

/// Keeps the in-memory site profile fresh before each request is handled.
struct SiteProfileMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        await request.application.siteProfiles.refreshIfStale(on: request.db)
        return try await next.respond(to: request)
    }
}

extension Application {
    private struct SiteProfileStoreKey: StorageKey {
        typealias Value = SiteProfileStore
    }

    /// Set in `configure(_:settings:)`; a request still in flight at shutdown gets an empty store.
    var siteProfiles: SiteProfileStore {
        get { storage[SiteProfileStoreKey.self] ?? SiteProfileStore() }
        set { storage[SiteProfileStoreKey.self] = newValue }
    }

    /// The academy as pages and mails present it: the profile admins saved, or the environment's name.
    var siteProfile: SiteProfile {
        siteProfiles.saved ?? SiteProfile(academyName: academySettings.academyName)
    }
}
