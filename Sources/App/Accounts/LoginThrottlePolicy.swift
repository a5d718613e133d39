import Foundation

/// How repeated failed sign-ins slow down and then lock an account or a client address.
public struct LoginThrottlePolicy: Sendable {
    /// Failures counted within this window; the count starts again after it.
    public var window: TimeInterval = 15 * 60
    /// From this many failures on, each answer is delayed.
    public var slowDownAfter = 3
    /// This many failures lock for `lockDuration`.
    public var lockAfter: Int
    public var lockDuration: TimeInterval = 15 * 60
    public var maximumDelay: TimeInterval = 4

    public init(lockAfter: Int) {
        self.lockAfter = lockAfter
    }

    public static let account = LoginThrottlePolicy(lockAfter: 8)
    public static let address = LoginThrottlePolicy(lockAfter: 30)

    public struct State: Sendable, Equatable {
        public var failures: Int
        public var windowStartedAt: Date
        public var lockedUntil: Date?
        public init(failures: Int, windowStartedAt: Date, lockedUntil: Date? = nil) {
            self.failures = failures
            self.windowStartedAt = windowStartedAt
            self.lockedUntil = lockedUntil
        }
    }

    public func isLocked(_ state: State?, now: Date) -> Date? {
        guard let until = state?.lockedUntil, until > now else { return nil }
        return until
    }

    /// The state after one more failure at `now`.
    public func recordingFailure(_ state: State?, now: Date) -> State {
        var next: State
        if let state, now.timeIntervalSince(state.windowStartedAt) < window {
            next = state
            next.failures += 1
        } else {
            next = State(failures: 1, windowStartedAt: now)
        }
        if next.failures >= lockAfter {
            next.lockedUntil = now.addingTimeInterval(lockDuration)
            next.failures = 0
            next.windowStartedAt = now
        }
        return next
    }

    /// How long to wait before answering, given the failures so far.
    public func delay(for state: State?, now: Date) -> TimeInterval {
        guard let state, now.timeIntervalSince(state.windowStartedAt) < window,
              state.failures >= slowDownAfter else { return 0 }
        let exponent = Double(state.failures - slowDownAfter)
        return min(0.25 * pow(2, exponent), maximumDelay)
    }
}
