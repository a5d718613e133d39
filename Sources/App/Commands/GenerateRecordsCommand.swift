import Fluent
import SQLKit
import Vapor

/// `academy generate-records --count 1000000`: synthetic accreditation records for the export benchmark
/// (BENCHMARKS.md), all for a partner called "benchmark" (body riziv-inami). Written with one
/// INSERT ... SELECT per 100,000 rows, so a million take seconds. Not for production academies.
struct GenerateRecordsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "How many records to add (default 100000)")
        var count: Int?
    }

    var help: String { "Adds synthetic accreditation records for benchmarks" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard let sql = db as? any SQLDatabase else { throw CommandFailure("needs an SQL database") }
        let count = max(signature.count ?? 100_000, 1)
        let completion = try await Self.completion(on: db)
        if try await Partner.query(on: db).filter(\.$name == "benchmark").count() == 0 {
            try await Partner(name: "benchmark", contact: nil, bodies: ["riziv-inami"], courseIDs: []).create(on: db)
        }
        let start = try await AccreditationRecord.query(on: db).count()
        let chunk = 100_000
        var done = 0
        while done < count {
            let from = start + done + 1, to = start + min(done + chunk, count)
            try await Self.insert(from: from, to: to, completion: completion, on: sql)
            done = to - start
            FileHandle.standardError.write(Data("\(done) / \(count)\n".utf8))
        }
        context.console.print("Added \(count) records for the partner 'benchmark' (\(start + count) in all)")
    }

    static func insert(from: Int, to: Int, completion: CourseCompletion, on sql: any SQLDatabase) async throws {
        let columns = """
            id, issue_key, kind, completion_id, user_id, learner_name, profession, registration_number, course_id, version_id,
            version_number, course_title, body, activity_number, organiser_number, points, unit, rubric, completed_at,
            completed_on, verification_code, created_at
            """
        let (completionID, userID, courseID, versionID) = (try completion.requireID(), completion.$user.id, completion.$course.id, completion.$version.id)
        if sql.dialect.name == "sqlite" {
            // Fluent keeps UUIDs as upper-case text and dates as seconds since 1970 in SQLite.
            try await sql.raw("""
                INSERT INTO accreditation_records (\(unsafeRaw: columns))
                WITH RECURSIVE series(g) AS (SELECT \(bind: from) UNION ALL SELECT g + 1 FROM series WHERE g < \(bind: to))
                SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-A' || substr(h, 18, 3) || '-' || substr(h, 21, 12),
                  'benchmark/' || g, 'issued', \(bind: completionID.uuidString), \(bind: userID.uuidString), 'Leerling ' || g, 'gp',
                  printf('%011d', g), \(bind: courseID.uuidString), \(bind: versionID.uuidString), 1, 'Benchmark; "export"', 'riziv-inami',
                  'ACT-' || (g % 50), 'ORG-1', 1.5, 'CP', '6', CAST(strftime('%s', 'now') AS REAL), '2026-11-23',
                  printf('B%010d', g), CAST(strftime('%s', 'now') AS REAL)
                FROM (SELECT g, hex(randomblob(16)) AS h FROM series)
                """).run()
        } else {
            try await sql.raw("""
                INSERT INTO accreditation_records (\(unsafeRaw: columns))
                SELECT gen_random_uuid(), 'benchmark/' || g, 'issued', \(bind: completionID), \(bind: userID), 'Leerling ' || g, 'gp',
                  lpad(g::text, 11, '0'), \(bind: courseID), \(bind: versionID), 1, 'Benchmark; "export"', 'riziv-inami',
                  'ACT-' || (g % 50), 'ORG-1', 1.5, 'CP', '6', now(), '2026-11-23', 'B' || lpad(g::text, 10, '0'), now()
                FROM generate_series(\(bind: from), \(bind: to)) AS g
                """).run()
        }
    }

    /// One learner's completion of one synthetic course; every generated record hangs off it.
    static func completion(on db: any Database) async throws -> CourseCompletion {
        if let existing = try await CourseCompletion.query(on: db).join(User.self, on: \CourseCompletion.$user.$id == \User.$id)
            .filter(User.self, \.$email == "benchmark@academy.invalid").first() {
            return existing
        }
        let written = try await CourseVersionWriter(database: db).write(GenerateCoursesCommand.package(number: 1, restricted: false),
                                                                         contentHash: "benchmark-records", publish: true)
        let version = try await CourseVersion.query(on: db).filter(\.$course.$id == written.courseID).first()!
        let user = User(email: "benchmark@academy.invalid", name: "Benchmark", passwordHash: "-", role: .learner, profession: "gp")
        try await user.create(on: db)
        let enrolment = Enrolment(userID: try user.requireID(), courseID: written.courseID, versionID: try version.requireID())
        enrolment.status = .completed
        try await enrolment.create(on: db)
        let completion = CourseCompletion()
        completion.$enrolment.id = try enrolment.requireID()
        completion.$user.id = try user.requireID()
        completion.$course.id = written.courseID
        completion.$version.id = try version.requireID()
        completion.cycle = 1
        completion.completedAt = Date()
        completion.evidenceJSON = "{}"
        try await completion.create(on: db)
        return completion
    }
}
