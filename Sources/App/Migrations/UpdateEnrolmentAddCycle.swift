import Fluent
import FluentSQL

/// The round an enrolment is in (see `CycleRenewal`): existing enrolments are in their first.
struct UpdateEnrolmentAddCycle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Enrolment.schema)
            .field("cycle", .int, .required, .sql(.default(1)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).deleteField("cycle").update()
    }
}
