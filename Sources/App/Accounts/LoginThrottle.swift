import Fluent
import Vapor

/// Applies `LoginThrottlePolicy` to the failures stored per account and per client address.
struct LoginThrottle {
    let database: any Database

    private func policy(for key: String) -> LoginThrottlePolicy {
        key.hasPrefix("account:") ? .account : .address
    }

    private func state(_ record: LoginThrottleRecord?) -> LoginThrottlePolicy.State? {
        record.map { .init(failures: $0.failures, windowStartedAt: $0.windowStartedAt, lockedUntil: $0.lockedUntil) }
    }

    func lockedUntil(keys: [String], now: Date) async throws -> Date? {
        let records = try await LoginThrottleRecord.query(on: database).filter(\.$key ~~ keys).all()
        return records.compactMap { policy(for: $0.key).isLocked(state($0), now: now) }.max()
    }

    func delay(keys: [String], now: Date) async throws -> TimeInterval {
        let records = try await LoginThrottleRecord.query(on: database).filter(\.$key ~~ keys).all()
        return records.map { policy(for: $0.key).delay(for: state($0), now: now) }.max() ?? 0
    }

    func recordFailure(keys: [String], now: Date) async throws {
        for key in keys {
            try await database.transaction { db in
                let record = try await LoginThrottleRecord.query(on: db).filter(\.$key == key).first()
                let next = policy(for: key).recordingFailure(state(record), now: now)
                let row = record ?? LoginThrottleRecord(key: key, failures: 0, windowStartedAt: now)
                row.failures = next.failures
                row.windowStartedAt = next.windowStartedAt
                row.lockedUntil = next.lockedUntil
                do {
                    try await row.save(on: db)
                } catch let error as any DatabaseError where error.isConstraintFailure {
                    // A concurrent first failure created the row; one lost count is acceptable.
                }
            }
        }
    }

    func clear(key: String) async throws {
        try await LoginThrottleRecord.query(on: database).filter(\.$key == key).delete()
    }
}
