import Fluent
import SQLKit
import Vapor

/// `academy generate-participants --enrolments 20000 --attempts 200000`: one synthetic course of 16 modules
/// ("benchmark-participants") with that many learners, enrolments, module attempts, completions (with scores)
/// and care board memberships, owned by trainer@benchmark.invalid (password "benchmark-password"), for the
/// participants and insight benchmark (BENCHMARKS.md). Written with INSERT ... SELECT over a generated series
/// and deterministic ids, so 200,000 attempts take seconds. Not for production academies.
struct GenerateParticipantsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "enrolments", help: "How many learners to enrol (default 20000)")
        var enrolments: Int?
        @Option(name: "attempts", help: "How many module attempts to write in all (default 200000)")
        var attempts: Int?
    }

    var help: String { "Adds a synthetic course with participants for benchmarks" }

    static let slug = "benchmark-participants"
    static let trainerEmail = "trainer@benchmark.invalid"
    static let trainerPassword = "benchmark-password"
    static let moduleCount = 16

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let db = app.db
        guard let sql = db as? any SQLDatabase else { throw CommandFailure("needs an SQL database") }
        let enrolments = max(signature.enrolments ?? 20_000, 1)
        let attempts = max(signature.attempts ?? 200_000, 0)
        guard try await Course.query(on: db).filter(\.$slug == Self.slug).count() == 0 else {
            throw CommandFailure("the course \(Self.slug) exists already: generate into a new academy")
        }
        var package = CoursePackage(
            standard: .academy, standardVersion: "1.0", identifier: "urn:benchmark:participants", slug: Self.slug, language: "nl",
            title: ["nl": "Benchmark: deelnemers en inzicht", "en": "Benchmark: participants and insight"],
            modules: (1...Self.moduleCount).map {
                PackageModule(key: "m\($0)", title: ["nl": "Module \($0): \(GenerateCoursesCommand.subjects[$0 % GenerateCoursesCommand.subjects.count])"],
                              kind: .page, durationMinutes: 10)
            })
        package.summary = ["nl": "Synthetische opleiding met veel deelnemers."]
        package.accreditation = PackageAccreditation(body: "riziv-inami", number: "B-PARTICIPANTS", points: 2, rubric: "2")
        let written = try await CourseVersionWriter(database: db).write(package, contentHash: "benchmark-participants", publish: true)
        guard let version = try await CourseVersion.query(on: db).filter(\.$course.$id == written.courseID).first() else {
            throw CommandFailure("the course was not written")
        }
        let trainer = User(email: Self.trainerEmail, name: "Benchmark Trainer",
                           passwordHash: try await app.password.async.hash(Self.trainerPassword), role: .trainer, profession: "gp")
        try await trainer.create(on: db)
        try await CourseOwnership(database: db).addOwner(courseID: written.courseID, userID: try trainer.requireID())
        if try await CareBoard.query(on: db).count() == 0 {
            for (index, province) in Province.known.enumerated() {
                for number in 1...2 {
                    try await CareBoard(code: "ZR-BENCH-\(index)-\(number)", name: "Zorgraad \(province.name(in: .nl)) \(number)",
                                        zone: "Zone \(index)-\(number)", province: province).create(on: db)
                }
            }
        }
        let boards = try await CareBoard.query(on: db).sort(\.$code).all().compactMap(\.id)
        let plan = Plan(count: enrolments, courseID: written.courseID, versionID: try version.requireID(), boards: boards,
                        now: Date().timeIntervalSince1970, isSQLite: sql.dialect.name == "sqlite")
        try await plan.insert(attempts: attempts, on: sql)
        let written_ = try await ModuleAttempt.query(on: db).filter(\.$course.$id == written.courseID).count()
        context.console.print("Course \(Self.slug): \(enrolments) enrolments, \(written_) module attempts; owner \(Self.trainerEmail)")
    }

    /// The synthetic population, as SQL over a series 1...count (g): learner g, enrolment g.
    /// Status by g % 100: 0-24 completed, 25-94 active (every tenth not started), 95-97 withdrawn, 98-99 waiting.
    /// Attempts: all modules for completed, 1 + g % 16 for active learners who began, 2 for withdrawn.
    struct Plan {
        let count: Int
        let courseID: UUID
        let versionID: UUID
        let boards: [UUID]
        let now: Double
        let isSQLite: Bool

        /// Deterministic UUIDs from numbers, upper case as Fluent keeps them in SQLite.
        func id(_ prefix: String, _ expression: String) -> String {
            isSQLite ? "'\(prefix)' || printf('%012d', \(expression))"
                : "CAST('\(prefix.lowercased())' || lpad(CAST(\(expression) AS TEXT), 12, '0') AS UUID)"
        }

        func series(_ alias: String = "g", to upper: String) -> String {
            isSQLite ? "(WITH RECURSIVE s(\(alias)) AS (SELECT 1 UNION ALL SELECT \(alias) + 1 FROM s WHERE \(alias) < \(upper)) SELECT \(alias) FROM s)"
                : "(SELECT generate_series(1, \(upper)) AS \(alias))"
        }

        /// Fluent keeps dates as REAL seconds in SQLite.
        func time(_ seconds: String) -> String { isSQLite ? "CAST(\(seconds) AS REAL)" : "to_timestamp(\(seconds))" }
        func uuid(_ id: UUID) -> String { isSQLite ? "'\(id.uuidString)'" : "CAST('\(id.uuidString.lowercased())' AS UUID)" }

        var status: String {
            "CASE WHEN g % 100 < 25 THEN 'completed' WHEN g % 100 < 95 THEN 'active' WHEN g % 100 < 98 THEN 'withdrawn' ELSE 'waiting' END"
        }
        var enrolled: String { "(\(Int(now)) - ((g * 7919) % 15552000) - 86400)" }
        var completed: String { "(\(enrolled) + ((g * 31) % 2592000) + 3600)" }
        /// How many modules learner g attempted.
        var reached: String {
            "CASE WHEN g % 100 < 25 THEN \(GenerateParticipantsCommand.moduleCount) WHEN g % 100 < 95 THEN (CASE WHEN g % 10 = 0 THEN 0 ELSE 1 + g % \(GenerateParticipantsCommand.moduleCount) END) WHEN g % 100 < 98 THEN 2 ELSE 0 END"
        }

        func insert(attempts: Int, on sql: any SQLDatabase) async throws {
            let n = String(count)
            let first = ["Anna", "Bram", "Chloé", "Dirk", "Els", "Femke", "Geert", "Hanne", "Ilse", "Jan", "Karim", "Lotte", "Mehmet", "Nina", "Olivier", "Pieter"]
            let last = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois", "Lambert", "Aydin", "Vermeulen"]
            func pick(_ names: [String], _ expression: String) -> String {
                "CASE (\(expression)) % \(names.count) " + names.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ") + " END"
            }
            let name = isSQLite ? "\(pick(first, "g")) || ' ' || \(pick(last, "g / 16")) || ' ' || g"
                : "\(pick(first, "g")) || ' ' || \(pick(last, "g / 16")) || ' ' || CAST(g AS TEXT)"
            try await sql.raw("""
                INSERT INTO users (id, email, name, password_hash, role, profession, preferred_language, created_at, updated_at)
                SELECT \(unsafeRaw: id("00000000-0000-4000-8000-", "g")), 'learner-' || g || '@benchmark.invalid', \(unsafeRaw: name),
                  '-', 'learner', 'gp', 'nl', \(unsafeRaw: time(String(Int(now)))), \(unsafeRaw: time(String(Int(now))))
                FROM \(unsafeRaw: series(to: n)) AS s
                """).run()
            try await sql.raw("""
                INSERT INTO enrolments (id, user_id, course_id, version_id, status, enrolled_at, completed_at, queued_at, last_activity_at)
                SELECT \(unsafeRaw: id("00000000-0000-4000-9000-", "g")), \(unsafeRaw: id("00000000-0000-4000-8000-", "g")),
                  \(unsafeRaw: uuid(courseID)), \(unsafeRaw: uuid(versionID)), \(unsafeRaw: status), \(unsafeRaw: time(enrolled)),
                  CASE WHEN g % 100 < 25 THEN \(unsafeRaw: time(completed)) END,
                  CASE WHEN g % 100 >= 98 THEN \(unsafeRaw: time(enrolled)) END,
                  CASE WHEN g % 100 < 25 THEN \(unsafeRaw: time(completed))
                       WHEN g % 100 < 98 AND NOT (g % 100 >= 25 AND g % 100 < 95 AND g % 10 = 0) THEN \(unsafeRaw: time(enrolled + " + ((g * 13) % 1728000)")) END
                FROM \(unsafeRaw: series(to: n)) AS s
                """).run()
            // One attempt per learner and module reached; the last one of a learner still busy is incomplete.
            let modules = series("m", to: String(GenerateParticipantsCommand.moduleCount))
            try await sql.raw("""
                INSERT INTO module_attempts (id, enrolment_id, user_id, course_id, version_id, module_key, number, kind, completion, success,
                  score_scaled, started_at, updated_at, completed_at)
                SELECT \(unsafeRaw: id("00000000-0000-4000-A000-", "g * 100 + m")), \(unsafeRaw: id("00000000-0000-4000-9000-", "g")),
                  \(unsafeRaw: id("00000000-0000-4000-8000-", "g")), \(unsafeRaw: uuid(courseID)), \(unsafeRaw: uuid(versionID)),
                  'm' || m, 1, 'page',
                  CASE WHEN m = (\(unsafeRaw: reached)) AND g % 100 >= 25 THEN 'incomplete' ELSE 'completed' END, 'unknown', NULL,
                  \(unsafeRaw: time(enrolled + " + m * 3600")), \(unsafeRaw: time(enrolled + " + m * 3600 + 600")),
                  CASE WHEN m = (\(unsafeRaw: reached)) AND g % 100 >= 25 THEN NULL ELSE \(unsafeRaw: time(enrolled + " + m * 3600 + 600")) END
                FROM \(unsafeRaw: series(to: n)) AS s CROSS JOIN \(unsafeRaw: modules) AS mods
                WHERE m <= (\(unsafeRaw: reached))
                """).run()
            // Up to the number asked: second attempts at module 1 by learners who reached it, the first ones first.
            struct Count: Decodable { let n: Int }
            let have = try await sql.raw("SELECT COUNT(*) AS n FROM module_attempts WHERE course_id = \(unsafeRaw: uuid(courseID))").first(decoding: Count.self)?.n ?? 0
            if attempts > have {
                try await sql.raw("""
                    INSERT INTO module_attempts (id, enrolment_id, user_id, course_id, version_id, module_key, number, kind, completion, success,
                      started_at, updated_at, completed_at)
                    SELECT \(unsafeRaw: id("00000000-0000-4000-B000-", "g")), \(unsafeRaw: id("00000000-0000-4000-9000-", "g")),
                      \(unsafeRaw: id("00000000-0000-4000-8000-", "g")), \(unsafeRaw: uuid(courseID)), \(unsafeRaw: uuid(versionID)),
                      'm1', 2, 'page', 'completed', 'unknown', \(unsafeRaw: time(enrolled + " + 7200")), \(unsafeRaw: time(enrolled + " + 7800")),
                      \(unsafeRaw: time(enrolled + " + 7800"))
                    FROM \(unsafeRaw: series(to: n)) AS s WHERE (\(unsafeRaw: reached)) > 0
                    ORDER BY g LIMIT \(unsafeRaw: String(attempts - have))
                    """).run()
            }
            try await sql.raw("""
                INSERT INTO course_completions (id, enrolment_id, user_id, course_id, version_id, cycle, completed_at, score_scaled, evidence)
                SELECT \(unsafeRaw: id("00000000-0000-4000-C000-", "g")), \(unsafeRaw: id("00000000-0000-4000-9000-", "g")),
                  \(unsafeRaw: id("00000000-0000-4000-8000-", "g")), \(unsafeRaw: uuid(courseID)), \(unsafeRaw: uuid(versionID)), 1,
                  \(unsafeRaw: time(completed)), 0.45 + ((g * 37) % 56) / 100.0, '{}'
                FROM \(unsafeRaw: series(to: n)) AS s WHERE g % 100 < 25
                """).run()
            // Three learners in four belong to a care board, spread over the boards.
            if !boards.isEmpty {
                let board = "CASE g % \(boards.count) " + boards.enumerated().map { "WHEN \($0.offset) THEN \(uuid($0.element))" }.joined(separator: " ") + " END"
                try await sql.raw("""
                    INSERT INTO board_memberships (id, user_id, board_id, role, created_at, updated_at)
                    SELECT \(unsafeRaw: id("00000000-0000-4000-D000-", "g")), \(unsafeRaw: id("00000000-0000-4000-8000-", "g")), \(unsafeRaw: board),
                      'member', \(unsafeRaw: time(String(Int(now)))), \(unsafeRaw: time(String(Int(now))))
                    FROM \(unsafeRaw: series(to: n)) AS s WHERE g % 4 <> 0
                    """).run()
            }
        }
    }
}
