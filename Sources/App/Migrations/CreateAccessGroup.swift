import Fluent

/// Access groups (cohorts) and who belongs to them.
struct CreateAccessGroup: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccessGroup.schema)
            .id()
            .field("key", .string, .required)
            .field("names", .dictionary(of: .string), .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "key")
            .create()
        try await database.schema(GroupMembership.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("group_id", .uuid, .required, .references(AccessGroup.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime)
            .unique(on: "user_id", "group_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(GroupMembership.schema).delete()
        try await database.schema(AccessGroup.schema).delete()
    }
}
