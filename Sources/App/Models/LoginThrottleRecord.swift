import Fluent
import Vapor

/// Failed sign-ins counted per account and per client address.
final class LoginThrottleRecord: Model, @unchecked Sendable {
    static let schema = "login_throttles"

    @ID(key: .id) var id: UUID?
    /// "account:<email>" or "address:<ip>".
    @Field(key: "key") var key: String
    @Field(key: "failures") var failures: Int
    @Field(key: "window_started_at") var windowStartedAt: Date
    @OptionalField(key: "locked_until") var lockedUntil: Date?

    init() {}

    init(key: String, failures: Int, windowStartedAt: Date) {
        self.key = key
        self.failures = failures
        self.windowStartedAt = windowStartedAt
    }
}
