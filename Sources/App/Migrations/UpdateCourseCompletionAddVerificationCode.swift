import Fluent
import SQLKit

/// Every completion gets a certificate, accredited or not, so it carries a verification code of its own.
struct UpdateCourseCompletionAddVerificationCode: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CourseCompletion.schema).field("verification_code", .string).update()
        // SQLite cannot add a constraint to an existing table; a unique index works on both databases.
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE UNIQUE INDEX course_completions_verification_code ON course_completions (verification_code)").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.raw("DROP INDEX course_completions_verification_code").run()
        }
        try await database.schema(CourseCompletion.schema).deleteField("verification_code").update()
    }
}
