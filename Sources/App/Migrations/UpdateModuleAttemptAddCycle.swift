import Fluent
import FluentSQL

/// The enrolment round each attempt belongs to, so a new accreditation cycle starts with fresh progress while
/// the earlier round's attempts stay as evidence. Existing attempts belong to the first round.
struct UpdateModuleAttemptAddCycle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ModuleAttempt.schema)
            .field("cycle", .int, .required, .sql(.default(1)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ModuleAttempt.schema).deleteField("cycle").update()
    }
}
