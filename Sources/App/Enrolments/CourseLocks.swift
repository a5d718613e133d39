import Foundation

/// Serialises work on one key inside this process: the waiters queue here, holding no database
/// connection, instead of each holding a pooled connection while it waits for a database lock (with
/// SQLite's few connections, a burst of such waiters runs the pool dry). Across processes the row locks
/// in the database still decide (`RowLock`, `FOR UPDATE`).
actor KeyedLocks<Key: Hashable & Sendable> {
    private var held: Set<Key> = []
    private var queued: [Key: [CheckedContinuation<Void, Never>]] = [:]

    func withLock<T: Sendable>(_ key: Key, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let value = try await body()
            release(key)
            return value
        } catch {
            release(key)
            throw error
        }
    }

    private func acquire(_ key: Key) async {
        guard held.contains(key) else {
            held.insert(key)
            return
        }
        await withCheckedContinuation { queued[key, default: []].append($0) }
    }

    /// Hands the lock straight to the next in line, so no newcomer can slip in between.
    private func release(_ key: Key) {
        if var line = queued[key], !line.isEmpty {
            let next = line.removeFirst()
            queued[key] = line.isEmpty ? nil : line
            next.resume()
        } else {
            held.remove(key)
        }
    }
}

/// Enrolment changes per course (see `EnrolmentDesk`).
typealias CourseLocks = KeyedLocks<UUID>

/// Process-wide locks for writes that several requests may race to make: one import per package
/// identifier, one completion per enrolment, one progress write per enrolment.
enum ProcessLocks {
    static let writes = KeyedLocks<String>()
}
