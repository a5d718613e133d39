import Foundation

/// Serialises enrolment changes per course inside this process. On PostgreSQL the settings row is
/// locked with `SELECT ... FOR UPDATE` as well (several processes may serve one database); on SQLite,
/// which serves a single process, this lock alone keeps two writers of one course apart, so neither
/// meets a busy database mid-transaction.
actor CourseLocks {
    private var held: Set<UUID> = []
    private var queued: [UUID: [CheckedContinuation<Void, Never>]] = [:]

    func withLock<T: Sendable>(_ course: UUID, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(course)
        do {
            let value = try await body()
            release(course)
            return value
        } catch {
            release(course)
            throw error
        }
    }

    private func acquire(_ course: UUID) async {
        guard held.contains(course) else {
            held.insert(course)
            return
        }
        await withCheckedContinuation { queued[course, default: []].append($0) }
    }

    /// Hands the lock straight to the next in line, so no newcomer can slip in between.
    private func release(_ course: UUID) {
        if var line = queued[course], !line.isEmpty {
            let next = line.removeFirst()
            queued[course] = line.isEmpty ? nil : line
            next.resume()
        } else {
            held.remove(course)
        }
    }
}
