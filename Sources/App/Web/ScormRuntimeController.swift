import Fluent
import SQLKit
import Vapor

/// The JSON runtime endpoint behind the SCORM API adapter (templates/static/js/scorm-runtime.js):
///
/// - GET /learn/:slug/:module/runtime opens a session of the learner's current attempt
///   (`ScormAttemptState.opening`: resume a suspended or unfinished attempt, else start the next one) and
///   answers `Start`: the data model values the adapter reads GetValue from, the element table it checks
///   SetValue against, and the attempt, session and last sequence its batches must name.
/// - POST takes one `RuntimeCommit` batch (JSON) and answers `Committed`. A batch whose sequence was
///   already applied changes nothing and gets the first answer again; an older one is ignored ("stale");
///   a batch of an attempt or session that a later page load replaced gets 409.
///
/// Signed-in learners with an active or completed enrolment only (401 and 403 otherwise, as JSON); the
/// POST carries the CSRF token in the X-CSRF-Token header (or `_csrf` in the query for a beacon).
/// Every change happens in one transaction with the attempt row locked, so two tabs or a retried post
/// never interleave; course completion is recorded after it commits.
struct ScormRuntimeController: RouteCollection {
    /// 2004's suspend_data alone is 64,000 characters, up to six bytes each once escaped in JSON.
    static let maxBatchBytes = 2 * 1024 * 1024

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.Pattern.scormRuntime, use: start)
        routes.on(.POST, SiteRoute.Pattern.scormRuntime, body: .collect(maxSize: ByteCount(value: Self.maxBatchBytes)), use: commit)
    }

    struct Start: Content {
        var version: String
        var attempt: Int
        var session: Int
        /// The last batch applied in this session (0: none); the adapter's next batch is this plus one.
        var sequence: Int
        var entry: String
        var values: [String: String]
        var counts: [String: Int]
        /// SCORM 2004: the LMS evaluates completion_status and success_status against these (RTE 4.2.4.1, 4.2.22).
        var completionThreshold: Double?
        var scaledPassingScore: Double?
        var model: ScormClientModel
        var completion: String
        var success: String
        var courseComplete: Bool
    }

    struct Committed: Content {
        var result: RuntimeCommitResult
        /// The server's data model after the batch, only when a call failed: the adapter replaces its own
        /// copy (which accepted the call) with it.
        var values: [String: String]?
        var counts: [String: Int]?
        var completion: String
        var success: String
        var scoreScaled: Double?
        var courseComplete: Bool
    }

    struct Refusal: Content {
        var error: String
        var detail: String?
    }

    /// A request the endpoint answers with a JSON refusal instead of a result.
    struct Refused: Error {
        var status: HTTPResponseStatus
        var refusal: Refusal
        init(_ status: HTTPResponseStatus, _ error: String, _ detail: String? = nil) {
            self.status = status
            refusal = Refusal(error: error, detail: detail)
        }
    }

    /// The learner, their enrolment and the SCO module a request is about.
    struct Launch: Sendable {
        let userID: UUID
        let userName: String
        let enrolmentID: UUID
        let enrolment: Enrolment
        let module: CourseModule
        let version: ScormVersion

        var launchContext: ScormLaunchContext {
            let item = module.runtime.scorm ?? ScormItemData()
            let name = version == .scorm12 ? ScormLaunchContext.scorm12StudentName(userName) : userName
            return ScormLaunchContext(learnerID: userID.uuidString.lowercased(), learnerName: name, item: item,
                                      scaledPassingScore: version == .scorm2004
                                          ? ScormSequencingRules.scaledPassingScore(sequencingXML: item.sequencingXML) : nil)
        }
    }

    func start(req: Request) async throws -> Response {
        do {
            let launch = try await resolve(req)
            let opened = try await req.application.courseLocks.withLock(launch.enrolmentID) {
                try await req.db.transaction { db in try await Self.openSession(launch, on: db) }
            }
            let body = Start(version: launch.version.rawValue, attempt: opened.row.number, session: opened.state.session ?? 1,
                             sequence: opened.state.lastCommitResult?.sequence ?? 0,
                             entry: opened.state.values[launch.version == .scorm12 ? "cmi.core.entry" : "cmi.entry"] ?? "",
                             values: opened.state.values, counts: opened.state.counts,
                             completionThreshold: opened.state.launch.completionThreshold,
                             scaledPassingScore: opened.state.launch.scaledPassingScore,
                             model: ScormClientModel(launch.version),
                             completion: opened.row.completion.rawValue, success: opened.row.success.rawValue,
                             courseComplete: try await Self.courseIsComplete(launch.enrolmentID, on: req.db))
            return try await Self.json(body, for: req)
        } catch let refused as Refused {
            return try await Self.json(refused.refusal, status: refused.status, for: req)
        }
    }

    func commit(req: Request) async throws -> Response {
        do {
            let launch = try await resolve(req)
            let batch = try Self.decodeBatch(req)
            let applied = try await req.application.courseLocks.withLock(launch.enrolmentID) {
                try await req.db.transaction { db in try await Self.apply(batch, launch, on: db) }
            }
            // After the commit, never inside it: the recorder runs its own transactions and retries. A replayed
            // batch asks again, in case the post that first applied it failed before getting this far.
            let courseComplete: Bool
            if applied.outcomeChanged || applied.result.disposition == .replayed {
                courseComplete = try await req.completionRecorder().attemptChanged(enrolmentID: launch.enrolmentID) != nil
            } else {
                courseComplete = try await Self.courseIsComplete(launch.enrolmentID, on: req.db)
            }
            let failed = !applied.result.succeeded && applied.result.disposition != .stale
            let body = Committed(result: applied.result, values: failed ? applied.state.values : nil,
                                 counts: failed ? applied.state.counts : nil,
                                 completion: applied.completion.rawValue, success: applied.success.rawValue,
                                 scoreScaled: applied.scoreScaled, courseComplete: courseComplete)
            return try await Self.json(body, for: req)
        } catch let refused as Refused {
            return try await Self.json(refused.refusal, status: refused.status, for: req)
        }
    }

    // MARK: - Access

    func resolve(_ req: Request) async throws -> Launch {
        guard let user = req.auth.get(User.self), let userID = user.id else { throw Refused(.unauthorized, "not-signed-in") }
        guard let slug = req.parameters.get("slug"), let key = req.parameters.get("module"),
              let course = try await Course.query(on: req.db).filter(\.$slug == slug).first(), let courseID = course.id else {
            throw Refused(.notFound, "not-found")
        }
        guard let enrolment = try await Enrolment.query(on: req.db)
            .filter(\.$user.$id == userID).filter(\.$course.$id == courseID)
            .filter(\.$status ~~ [.active, .completed]).first(), let enrolmentID = enrolment.id else {
            throw Refused(.forbidden, "not-enrolled")
        }
        guard let module = try await CourseModule.query(on: req.db)
            .filter(\.$version.$id == enrolment.$version.id).filter(\.$key == key).first(),
              module.moduleKind == .sco else {
            throw Refused(.notFound, "not-found", "The course has no SCO with this key.")
        }
        // Only the standard: a whole version row decodes the course's texts and rules on every commit.
        let standard = try await CourseVersion.query(on: req.db).filter(\.$id == enrolment.$version.id)
            .field(\.$id).field(\.$standard).first()?.standard
        return Launch(userID: userID, userName: user.name, enrolmentID: enrolmentID, enrolment: enrolment, module: module,
                      version: Self.scormVersion(standard: standard))
    }

    static func scormVersion(standard: String?) -> ScormVersion {
        standard == CoursePackage.Standard.scorm2004.rawValue ? .scorm2004 : .scorm12
    }

    static func decodeBatch(_ req: Request) throws -> RuntimeCommit {
        // Decoded whatever the Content-Type says: a beacon sent while the page unloads comes as text/plain.
        guard let body = req.body.data, body.readableBytes > 0 else { throw Refused(.badRequest, "bad-batch", "The body is empty.") }
        let batch: RuntimeCommit
        do {
            batch = try JSONDecoder().decode(RuntimeCommit.self, from: body)
        } catch {
            throw Refused(.badRequest, "bad-batch", "The body is not a runtime batch: \(error)")
        }
        guard batch.sequence >= 1, batch.attempt != nil, batch.session != nil else {
            throw Refused(.badRequest, "bad-batch", "A batch names its attempt and session and has a sequence of 1 or more.")
        }
        return batch
    }

    // MARK: - Persistence

    struct Opened: Sendable {
        let row: ModuleAttempt
        let state: ScormAttemptState
    }

    static func openSession(_ launch: Launch, on db: any Database) async throws -> Opened {
        try await lock(table: "enrolments", id: launch.enrolmentID, touching: "status", on: db)
        // The round as it is under the lock: a new accreditation cycle starts its SCOs afresh.
        let cycle = try await Enrolment.find(launch.enrolmentID, on: db)?.cycle ?? launch.enrolment.cycle
        let latest = try await ModuleAttempt.ofRound(launch.enrolment, cycle: cycle, on: db)
            .filter(\.$moduleKey == launch.module.key)
            .sort(\.$number, .descending).first()
        let latestState = try latest.flatMap { try decodeState($0) }
        let state = ScormAttemptState.opening(version: launch.version, launch: launch.launchContext, latest: latestState)
        let now = Date()
        let row: ModuleAttempt
        if let latest, let latestState, latestState.version == launch.version, state.attemptNumber == latestState.attemptNumber {
            row = latest
        } else {
            // A row whose state cannot be read (another standard, a damaged value) is left as evidence and
            // the next number is taken; the row's number is what identifies the attempt from here on.
            row = try ModuleAttempt(enrolment: launch.enrolment, moduleKey: launch.module.key, kind: .sco,
                                    number: try await ModuleAttempt.nextNumber(enrolmentID: launch.enrolmentID,
                                                                               moduleKey: launch.module.key, on: db), now: now)
            row.cycle = cycle
        }
        row.state = try encodeState(state)
        row.lastSequence = nil
        row.updatedAt = now
        try await row.save(on: db)
        return Opened(row: row, state: state)
    }

    struct Applied: Sendable {
        let result: RuntimeCommitResult
        let state: ScormAttemptState
        let completion: ModuleAttempt.Completion
        let success: ModuleAttempt.Success
        let scoreScaled: Double?
        let outcomeChanged: Bool
    }

    static func apply(_ batch: RuntimeCommit, _ launch: Launch, on db: any Database) async throws -> Applied {
        let superseded = Refused(.conflict, "superseded", "A later page load opened another session of this module.")
        // A write before the first read: on SQLite a transaction that reads first cannot write once another
        // connection has committed meanwhile ("database is locked", busy snapshot); the benchmark met it.
        try await lock(table: "enrolments", id: launch.enrolmentID, touching: "status", on: db)
        // An attempt of an earlier round is evidence of its completion: a tab left open from then is superseded.
        let cycle = try await Enrolment.find(launch.enrolmentID, on: db)?.cycle ?? launch.enrolment.cycle
        guard let found = try await ModuleAttempt.query(on: db)
            .filter(\.$enrolment.$id == launch.enrolmentID).filter(\.$moduleKey == launch.module.key)
            .filter(\.$number == batch.attempt ?? 0).filter(\.$cycle == cycle).first(), let rowID = found.id else { throw superseded }
        try await lock(table: "module_attempts", id: rowID, touching: "number", on: db)
        // Read again under the lock: the row may have changed while this request waited for it.
        guard let row = try await ModuleAttempt.find(rowID, on: db), var state = try decodeState(row),
              state.session == batch.session else { throw superseded }
        let newer = try await ModuleAttempt.query(on: db)
            .filter(\.$enrolment.$id == launch.enrolmentID).filter(\.$moduleKey == launch.module.key)
            .filter(\.$number > row.number).count()
        guard newer == 0 else { throw superseded }

        let before = (row.completion, row.success, row.scoreScaled)
        let result = state.apply(batch)
        if result.disposition == .applied {
            let now = Date()
            record(state, on: row, now: now)
            row.state = try encodeState(state)
            row.lastSequence = batch.sequence
            row.updatedAt = now
            try await row.save(on: db)
        }
        let changed = before.0 != row.completion || before.1 != row.success || before.2 != row.scoreScaled
        return Applied(result: result, state: state, completion: row.completion, success: row.success,
                       scoreScaled: row.scoreScaled, outcomeChanged: changed)
    }

    /// What course completion reads from an attempt. Completion never goes back once reached (a SCO that
    /// later says "incomplete" does not undo it); success and score follow the SCO's latest values.
    /// SCORM 1.2: passed, failed and completed all mean completed; passed and failed set success.
    static func record(_ state: ScormAttemptState, on row: ModuleAttempt, now: Date) {
        let outcome = state.outcome
        if row.completion != .completed {
            row.completion = outcome.isCompleted ? .completed : (state.phase == .notInitialized ? .notAttempted : .incomplete)
        }
        if row.completion == .completed, row.completedAt == nil { row.completedAt = now }
        row.success = ModuleAttempt.Success(rawValue: outcome.success.rawValue) ?? .unknown
        row.scoreScaled = outcome.scaledScore
        if let progress = state.values["cmi.progress_measure"].flatMap(Double.init) {
            row.progress = progress
        } else if row.completion == .completed {
            row.progress = 1
        }
    }

    /// Takes the row's lock for the rest of the transaction: PostgreSQL locks the row; SQLite has no row
    /// locks, so a write that changes nothing takes its database write lock at once (as BEGIN IMMEDIATE
    /// would) instead of failing later with "database is locked" when the transaction first writes.
    static func lock(table: String, id: UUID, touching column: String, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("UPDATE \(ident: table) SET \(ident: column) = \(ident: column) WHERE id = \(bind: id)").run()
        } else {
            try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
        }
    }

    static func decodeState(_ row: ModuleAttempt) throws -> ScormAttemptState? {
        guard let text = row.state else { return nil }
        return try? JSONDecoder().decode(ScormAttemptState.self, from: Data(text.utf8))
    }

    static func encodeState(_ state: ScormAttemptState) throws -> String {
        String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
    }

    static func courseIsComplete(_ enrolmentID: UUID, on db: any Database) async throws -> Bool {
        try await CourseCompletion.query(on: db).filter(\.$enrolment.$id == enrolmentID).count() > 0
    }

    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok, for req: Request) async throws -> Response {
        let response = Response(status: status)
        try response.content.encode(value, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
