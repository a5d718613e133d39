import Fluent

/// Care boards and the memberships people hold in them.
struct CreateCareBoard: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareBoard.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("zone", .string, .required)
            .field("province", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(BoardMembership.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("board_id", .uuid, .required, .references(CareBoard.schema, .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("cluster", .string)
            .field("valid_from", .string)
            .field("valid_until", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "user_id", "board_id", "role")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BoardMembership.schema).delete()
        try await database.schema(CareBoard.schema).delete()
    }
}
