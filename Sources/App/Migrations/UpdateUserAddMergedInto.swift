import Fluent
import SQLKit

/// The account a duplicate was merged into (`AccountMerge`): NULL for every account that stands on its own.
/// Indexed because a person's learning history is read through it (`MergedAccounts`).
struct UpdateUserAddMergedInto: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("merged_into", .uuid).update()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX users_merged_into ON users (merged_into)").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.raw("DROP INDEX users_merged_into").run()
        }
        try await database.schema(User.schema).deleteField("merged_into").update()
    }
}
