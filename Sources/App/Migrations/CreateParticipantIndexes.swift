import Fluent
import SQLKit

/// Indexes for the trainers' workspace, whose figures are aggregates per course: the existing unique keys
/// begin with the user, so every per-course count scanned whole tables.
struct CreateParticipantIndexes: AsyncMigration {
    static let indexes = [
        ("enrolments_course", "enrolments (course_id, status)"),
        ("enrolments_course_id", "enrolments (course_id, id)"),
        ("module_attempts_course", "module_attempts (course_id, module_key, enrolment_id, completion, success)"),
        ("course_completions_course", "course_completions (course_id)"),
        ("accreditation_records_course", "accreditation_records (course_id, kind)"),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, target) in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: target)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, _) in Self.indexes.reversed() {
            try await sql.raw("DROP INDEX \(unsafeRaw: name)").run()
        }
    }
}
