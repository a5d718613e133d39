import Fluent
import Foundation

/// One sign-in of a person on one device: listed on the account's sessions page, where it can be ended.
/// The browser's session carries this row's id; a request whose row is ended is signed out.
final class SignInSession: Model, @unchecked Sendable {
    static let schema = "sign_in_sessions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    /// Browser and system as `DeviceName` reads them from the User-Agent ("firefox", "windows").
    @OptionalField(key: "browser") var browser: String?
    @OptionalField(key: "system") var system: String?
    @OptionalField(key: "user_agent") var userAgent: String?
    @OptionalField(key: "address") var address: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @OptionalField(key: "ended_at") var endedAt: Date?

    init() {}

    init(userID: UUID, device: DeviceName, userAgent: String?, address: String?, now: Date) {
        self.$user.id = userID
        self.browser = device.browser?.rawValue
        self.system = device.system?.rawValue
        self.userAgent = userAgent.map { String($0.prefix(300)) }
        self.address = address
        self.createdAt = now
        self.lastSeenAt = now
    }

    var device: DeviceName {
        DeviceName(browser: browser.flatMap(DeviceName.Browser.init(rawValue:)),
                   system: system.flatMap(DeviceName.System.init(rawValue:)))
    }
}
