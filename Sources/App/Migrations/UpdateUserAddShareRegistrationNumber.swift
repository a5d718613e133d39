import Fluent
import FluentSQL

/// Whether a learner lets the registration number (RIZIV/INAMI) into the credentials others receive; off
/// unless the learner turns it on. Nullable (NULL = off): Fluent writes NULL for a user created without it.
struct UpdateUserAddShareRegistrationNumber: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .field("share_registration_number", .bool, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("share_registration_number").update()
    }
}
