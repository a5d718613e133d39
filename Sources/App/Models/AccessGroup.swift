import Fluent
import Vapor

/// A named group of people (a cohort) that access rules name by key with `in-group`.
final class AccessGroup: Model, @unchecked Sendable {
    static let schema = "access_groups"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    /// Display names by language code ("nl", "fr", "en").
    @Field(key: "names") var names: [String: String]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, key: String, names: [String: String]) {
        self.id = id
        self.key = key
        self.names = names
    }
}

/// One person in one access group.
final class GroupMembership: Model, @unchecked Sendable {
    static let schema = "group_memberships"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "group_id") var group: AccessGroup
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, userID: UUID, groupID: UUID) {
        self.id = id
        self.$user.id = userID
        self.$group.id = groupID
    }
}
