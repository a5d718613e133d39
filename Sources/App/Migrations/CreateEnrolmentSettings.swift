import Fluent

/// Per-course enrolment settings, and on each enrolment the seat it holds, whether the right key was
/// given, and when it joined the waiting list.
struct CreateEnrolmentSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EnrolmentSettings.schema)
            .field("course_id", .uuid, .identifier(auto: false), .references(Course.schema, .id, onDelete: .cascade))
            .field("enrolment_key", .string)
            .field("opens_on", .string)
            .field("closes_on", .string)
            .field("capacity", .int)
            .field("reserved_seats", .json)
            .field("waiting_list", .bool, .required)
            .create()
        // SQLite adds one column per ALTER TABLE.
        try await database.schema(Enrolment.schema).field("seat_board", .string).update()
        try await database.schema(Enrolment.schema).field("key_accepted", .bool).update()
        try await database.schema(Enrolment.schema).field("queued_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).deleteField("queued_at").update()
        try await database.schema(Enrolment.schema).deleteField("key_accepted").update()
        try await database.schema(Enrolment.schema).deleteField("seat_board").update()
        try await database.schema(EnrolmentSettings.schema).delete()
    }
}
