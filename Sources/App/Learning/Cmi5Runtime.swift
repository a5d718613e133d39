import Crypto
import Fluent
import Foundation

/// The storage side of cmi5: launches (registration, session, LMS.LaunchData, "launched", "abandoned"), the
/// one-time fetch URL, AU statements checked by `Cmi5StatementRules` and applied to the AU's ModuleAttempt,
/// and the "satisfied" statements for blocks and the course. Writes for one enrolment queue in the process
/// (`ProcessLocks`) and hold the enrolment's row (`RowLock`) for their transaction, like the other writers.
/// Callers ask the completion recorder after a write that changed an attempt (`Recorded.attemptChanged`).
///
/// A session left open is abandoned when the same AU is launched again, and once its auth token has expired
/// (`abandonExpired`, run by `Cmi5SessionSweeper` while serving): after that the AU can record nothing more.
/// "waived" (cmi5 9.3.7) is recorded when a trainer exempts a learner from an AU (`ModuleWaiver`).
///
/// An AU whose moveOn is already met in the registration launches in Review mode: the learner can look
/// again, and the AU may not record new outcomes (cmi5 10.2.2). Browse mode is not used: nobody opens an AU
/// without an enrolment (admins' previews do not launch AUs).
struct Cmi5Runtime: Sendable {
    let database: any Database
    let launcher: Cmi5Launch
    /// How long an auth token lives at most; cmi5 8.2.1 limits it to the session.
    var sessionLifetime: TimeInterval = 12 * 60 * 60
    /// After "terminated" the AU may still read and write state this long (cmi5 9.3.8: "a specified period").
    var afterTermination: TimeInterval = 10 * 60
    var now: @Sendable () -> Date = { Date() }

    init(database: any Database, baseURL: String) {
        self.database = database
        self.launcher = Cmi5Launch(baseURL: baseURL)
    }

    struct Refused: Error, Sendable {
        var status: Int
        var message: String
    }

    // MARK: Launch

    struct Launched: Sendable {
        let launchURL: String
        let sessionID: UUID
        let registration: UUID
        let fetchToken: String
        /// The launch recorded "satisfied" (a new registration whose AUs need nothing): ask the completion recorder.
        let satisfactionChanged: Bool
        let mode: Cmi5LaunchMode
    }

    /// Starts a session of `module` for this enrolment: abandons the AU's open sessions, writes LMS.LaunchData
    /// and "launched", and returns the URL to open. `auURL` is where the AU's file is served (absolute);
    /// `fetchURL` turns the new fetch token into the fetch URL; `returnURL` is the player's page.
    func launch(enrolment: Enrolment, course: Course, module: CourseModule, auURL: String, returnURL: String,
                fetchURL: @escaping @Sendable (String) -> String) async throws -> Launched {
        let enrolmentID = try enrolment.requireID()
        let courseID = try course.requireID()
        let au = module.runtime.cmi5 ?? Cmi5AUData()
        let actor = launcher.actor(userID: enrolment.$user.id)
        let activityID = launcher.auActivityID(courseID: courseID, publisherID: module.key)
        let fetchToken = Self.randomToken()
        let moduleKey = module.key
        let title = module.title
        let result: (Launched, Bool) = try await ProcessLocks.writes.withLock("cmi5:\(enrolmentID)") {
            try await database.transaction { db in
                try await RowLock.hold(Enrolment.schema, enrolmentID, on: db)
                // Read under the lock: the round (cycle) decides which attempts count.
                let current = try await Enrolment.find(enrolmentID, on: db) ?? enrolment
                let time = now()
                let (registration, isNew) = try await Self.registration(of: enrolmentID, on: db, now: time)
                let open = try await Cmi5Session.query(on: db).filter(\.$enrolment.$id == enrolmentID)
                    .filter(\.$moduleKey == moduleKey).filter(\.$terminatedAt == nil).filter(\.$abandonedAt == nil).all()
                for session in open {
                    try await abandon(session, publisherID: moduleKey, title: title, type: au.activityType, registration: registration, on: db)
                }
                let mode = try await Self.launchMode(enrolment: current, moduleKey: moduleKey, moveOn: au.moveOn,
                                                     registration: registration, on: db)
                let session = Cmi5Session()
                let sessionID = UUID()
                session.id = sessionID
                session.$registration.id = registration
                session.$enrolment.id = enrolmentID
                session.moduleKey = moduleKey
                session.activityID = activityID
                session.actor = actor.canonicalText
                session.fetchTokenHash = Self.hash(fetchToken)
                session.sessionState = Cmi5SessionState(mode: mode)
                session.launchedAt = time
                session.expiresAt = time.addingTimeInterval(sessionLifetime)
                try await session.create(on: db)

                let launchData = launcher.launchData(au: au, publisherID: moduleKey, sessionID: sessionID, returnURL: returnURL, mode: mode)
                try await Self.putState(activityID: activityID, agentKey: XAPIAgentKey.of(actor) ?? "", registration: registration.uuidString.lowercased(),
                                        stateID: Cmi5Vocabulary.launchDataStateID, contentType: "application/json",
                                        content: Data(launchData.canonicalText.utf8), on: db, now: time)
                let url = Cmi5Launch.launchURL(auURL: auURL, endpoint: launcher.endpoint, fetch: fetchURL(fetchToken), actor: actor,
                                               registration: registration, activityID: activityID)
                let launched = launcher.statement(
                    verb: .launched, actor: actor,
                    object: .init(activityID: activityID, publisherID: moduleKey, title: title, type: au.activityType),
                    registration: registration, sessionID: sessionID,
                    extensions: Cmi5Launch.launchedExtensions(au: au, launchURL: auURL, mode: mode), timestamp: time)
                try await Self.store(launched, origin: "lms", registration: registration, session: sessionID, on: db, now: time)
                // cmi5 9.6.1: moveOn is evaluated at registration; blocks of NotApplicable AUs are satisfied at once.
                var changed = false
                if isNew {
                    changed = try await recordSatisfaction(enrolment: current, course: course, registration: registration,
                                                           sessionID: sessionID, actor: actor, on: db)
                }
                return (Launched(launchURL: url, sessionID: sessionID, registration: registration, fetchToken: fetchToken,
                                 satisfactionChanged: changed, mode: mode), changed)
            }
        }
        return result.0
    }

    /// Review once the AU's moveOn is met in this registration (a NotApplicable AU is met from the start, so
    /// it needs a completion or a pass of its own to count as done); Normal otherwise.
    static func launchMode(enrolment: Enrolment, moduleKey: String, moveOn: String, registration: UUID,
                           on db: any Database) async throws -> Cmi5LaunchMode {
        guard let attempt = try await ModuleAttempt.ofRound(enrolment, on: db)
            .filter(\.$moduleKey == moduleKey).sort(\.$number, .descending).first() else { return .normal }
        let state = auState(of: attempt, registration: registration)
        let met = moveOn == "NotApplicable" ? state.completed || state.passed : state.satisfies(moveOn: moveOn)
        return met ? .review : .normal
    }

    static func registration(of enrolmentID: UUID, on db: any Database, now: Date) async throws -> (UUID, Bool) {
        if let existing = try await Cmi5Registration.query(on: db).filter(\.$enrolment.$id == enrolmentID).first() {
            return (try existing.requireID(), false)
        }
        let registration = Cmi5Registration(enrolmentID: enrolmentID, now: now)
        try await registration.create(on: db)
        return (try registration.requireID(), true)
    }

    /// cmi5 9.3.6: a new launch with the registration of an open session abandons that session.
    func abandon(_ session: Cmi5Session, publisherID: String, title: [String: String], type: String?, registration: UUID,
                 on db: any Database) async throws {
        let time = now()
        let state = session.sessionState
        let last = state.lastStatementAt ?? session.launchedAt
        let statement = launcher.statement(
            verb: .abandoned, actor: session.actorValue,
            object: .init(activityID: session.activityID, publisherID: publisherID, title: title, type: type),
            registration: registration, sessionID: try session.requireID(),
            result: .object(["duration": .string(XAPITime.duration(last.timeIntervalSince(session.launchedAt)))]), timestamp: time)
        try await Self.store(statement, origin: "lms", registration: registration, session: session.requireID(), on: db, now: time)
        session.abandonedAt = time
        try await session.save(on: db)
    }

    /// Records "abandoned" for sessions whose token expired without "terminated" (at most `limit` of them
    /// per call, oldest first) and returns how many. Each is re-read under its enrolment's lock, so a
    /// relaunch or a late "terminated" racing the sweep leaves one outcome.
    @discardableResult
    func abandonExpired(limit: Int = 200) async throws -> Int {
        let time = now()
        let expired = try await Cmi5Session.query(on: database).filter(\.$terminatedAt == nil).filter(\.$abandonedAt == nil)
            .filter(\.$expiresAt <= time).sort(\.$expiresAt).limit(limit).all()
        var count = 0
        for candidate in expired {
            let sessionID = try candidate.requireID()
            let enrolmentID = candidate.$enrolment.id
            let abandoned: Bool = try await ProcessLocks.writes.withLock("cmi5:\(enrolmentID)") {
                try await database.transaction { db in
                    try await RowLock.hold(Enrolment.schema, enrolmentID, on: db)
                    guard let session = try await Cmi5Session.find(sessionID, on: db),
                          session.terminatedAt == nil, session.abandonedAt == nil else { return false }
                    var module: CourseModule?
                    if let enrolment = try await Enrolment.find(enrolmentID, on: db) {
                        module = try await CourseModule.query(on: db).filter(\.$version.$id == enrolment.$version.id)
                            .filter(\.$key == session.moduleKey).first()
                    }
                    try await abandon(session, publisherID: session.moduleKey, title: module?.title ?? [:],
                                      type: module?.runtime.cmi5?.activityType, registration: session.$registration.id, on: db)
                    return true
                }
            }
            if abandoned { count += 1 }
        }
        return count
    }

    // MARK: Fetch URL (8.2)

    enum FetchAnswer: Sendable, Equatable {
        case token(String)
        /// cmi5 8.2.3.2: 1 already used or expired, 2 security (unknown token), 3 application error.
        case error(code: String, text: String)
    }

    func fetch(_ token: String) async throws -> FetchAnswer {
        guard let found = try await Cmi5Session.query(on: database).filter(\.$fetchTokenHash == Self.hash(token)).first(),
              let sessionID = found.id else {
            return .error(code: "2", text: "This fetch URL is not known: launch the AU from the course player again.")
        }
        return try await ProcessLocks.writes.withLock("cmi5:\(found.$enrolment.id)") {
            try await database.transaction { db in
                try await RowLock.hold(Cmi5Session.schema, sessionID, on: db)
                guard let session = try await Cmi5Session.find(sessionID, on: db) else {
                    return .error(code: "3", text: "The session of this fetch URL is gone.")
                }
                if session.fetchedAt != nil {
                    return .error(code: "1", text: "The authorization token has already been returned: a fetch URL works once.")
                }
                if session.abandonedAt != nil || session.terminatedAt != nil || session.expiresAt <= now() {
                    return .error(code: "1", text: "This AU session has ended or expired: launch the AU from the course player again.")
                }
                let secret = Self.randomToken()
                let token = Data("\(sessionID.uuidString.lowercased()):\(secret)".utf8).base64EncodedString()
                session.fetchedAt = now()
                session.authTokenHash = Self.hash(token)
                try await session.save(on: db)
                return .token(token)
            }
        }
    }

    // MARK: Authorising xAPI calls

    /// The session an `Authorization: Basic <token>` header belongs to, while its token is valid.
    func session(authorization: String?) async throws -> Cmi5Session {
        guard let header = authorization?.trimmingCharacters(in: .whitespaces), header.lowercased().hasPrefix("basic "),
              case let token = String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces), !token.isEmpty else {
            throw Refused(status: 401, message: "Send the auth-token from the fetch URL as \"Authorization: Basic <token>\".")
        }
        guard let session = try await Cmi5Session.query(on: database).filter(\.$authTokenHash == Self.hash(token)).first() else {
            throw Refused(status: 401, message: "This auth token is not known.")
        }
        let time = now()
        if session.abandonedAt != nil {
            throw Refused(status: 401, message: "This session was abandoned (the AU was launched again, or the session expired); its token no longer works: launch the AU again.")
        }
        if session.expiresAt <= time {
            throw Refused(status: 401, message: "This session's auth token has expired: launch the AU again.")
        }
        if let terminated = session.terminatedAt, terminated.addingTimeInterval(afterTermination) <= time {
            throw Refused(status: 401, message: "This session ended with \"terminated\"; its token no longer works.")
        }
        return session
    }

    // MARK: Statements

    struct Recorded: Sendable {
        var ids: [UUID]
        var attemptChanged: Bool
        var enrolmentID: UUID
    }

    /// Stores AU statements of `session` in one transaction: all are accepted or none (xAPI batch semantics).
    /// A statement id already stored with the same content is accepted again without effect; with other
    /// content it is a 409.
    func record(_ statements: [JSONValue], session given: Cmi5Session) async throws -> Recorded {
        let sessionID = try given.requireID()
        let enrolmentID = given.$enrolment.id
        return try await ProcessLocks.writes.withLock("cmi5:\(enrolmentID)") {
            try await database.transaction { db in
                try await RowLock.hold(Enrolment.schema, enrolmentID, on: db)
                guard let session = try await Cmi5Session.find(sessionID, on: db),
                      let enrolment = try await Enrolment.find(enrolmentID, on: db),
                      let course = try await Course.find(enrolment.$course.id, on: db),
                      let module = try await CourseModule.query(on: db).filter(\.$version.$id == enrolment.$version.id)
                          .filter(\.$key == session.moduleKey).first() else {
                    throw Refused(status: 404, message: "The AU of this session is no longer in the course.")
                }
                if session.abandonedAt != nil {
                    throw Refused(status: 403, message: "This session was abandoned; no statements may be recorded for it (cmi5 9.3.6).")
                }
                guard enrolment.status == .active || enrolment.status == .completed else {
                    throw Refused(status: 403, message: "The learner is no longer enrolled in this course.")
                }
                let au = module.runtime.cmi5 ?? Cmi5AUData()
                let registration = session.$registration.id
                let facts = Cmi5LaunchFacts(actor: session.actorValue, registration: registration, sessionID: sessionID,
                                            activityID: session.activityID, publisherID: module.key,
                                            masteryScore: au.masteryScore, moveOn: au.moveOn)
                let attempt = try await Self.attempt(enrolment: enrolment, moduleKey: module.key, on: db, now: now())
                var auState = Self.auState(of: attempt, registration: registration)
                var sessionState = session.sessionState
                var ids: [UUID] = []
                var seen: [UUID: String] = [:]
                var anyNew = false
                for statement in statements {
                    guard let idText = statement["id"]?.string, let id = UUID(uuidString: idText) else {
                        throw Refused(status: 400, message: "The statement has no \"id\": cmi5 9.1 requires the AU to give every statement a UUID.")
                    }
                    let text = statement.canonicalText
                    if let earlier = seen[id] {
                        if earlier != text { throw Refused(status: 409, message: "The batch holds two different statements with the id \(idText).") }
                        ids.append(id)
                        continue
                    }
                    if let stored = try await XAPIStatementRecord.find(id, on: db) {
                        guard stored.body == text else {
                            throw Refused(status: 409, message: "A different statement with the id \(idText) is already stored; statement ids are unique.")
                        }
                        seen[id] = text
                        ids.append(id)
                        continue
                    }
                    switch Cmi5StatementRules.check(statement, launch: facts, session: sessionState, au: auState, now: now()) {
                    case .failure(let refusal):
                        throw Refused(status: refusal.status, message: refusal.message)
                    case .success(let accepted):
                        sessionState = accepted.session
                        auState = accepted.au
                    }
                    try await Self.store(statement, origin: "au", registration: registration, session: sessionID, on: db, now: now())
                    seen[id] = text
                    ids.append(id)
                    anyNew = true
                }
                guard anyNew else { return Recorded(ids: ids, attemptChanged: false, enrolmentID: enrolmentID) }
                let time = now()
                session.sessionState = sessionState
                if sessionState.terminated, session.terminatedAt == nil { session.terminatedAt = time }
                try await session.save(on: db)
                let before = (attempt.completion, attempt.success, attempt.scoreScaled)
                Self.apply(auState, initialized: sessionState.initialized, to: attempt, now: time)
                try await attempt.save(on: db)
                var changed = before != (attempt.completion, attempt.success, attempt.scoreScaled)
                if changed {
                    changed = try await recordSatisfaction(enrolment: enrolment, course: course, registration: registration,
                                                           sessionID: sessionID, actor: session.actorValue, on: db) || changed
                }
                return Recorded(ids: ids, attemptChanged: changed, enrolmentID: enrolmentID)
            }
        }
    }

    static func attempt(enrolment: Enrolment, moduleKey: String, on db: any Database, now: Date) async throws -> ModuleAttempt {
        if let existing = try await ModuleAttempt.ofRound(enrolment, on: db)
            .filter(\.$moduleKey == moduleKey).sort(\.$number, .descending).first() {
            return existing
        }
        let number = try await ModuleAttempt.nextNumber(enrolmentID: enrolment.requireID(), moduleKey: moduleKey, on: db)
        let attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: moduleKey, kind: .au, number: number, now: now)
        try await attempt.create(on: db)
        return attempt
    }

    static func auState(of attempt: ModuleAttempt, registration: UUID) -> Cmi5AUState {
        if let text = attempt.state, let state = try? JSONDecoder().decode(Cmi5AUState.self, from: Data(text.utf8)),
           state.registration == registration {
            return state
        }
        return Cmi5AUState(registration: registration)
    }

    /// What the completion rule reads: completed, passed/failed and the score; completion never goes back.
    static func apply(_ state: Cmi5AUState, initialized: Bool, to attempt: ModuleAttempt, now: Date) {
        attempt.state = String(decoding: (try? JSONEncoder().encode(state)) ?? Data(), as: UTF8.self)
        if state.completed {
            attempt.completion = .completed
            if attempt.completedAt == nil { attempt.completedAt = now }
            attempt.progress = 1
        } else if initialized, attempt.completion == .notAttempted {
            attempt.completion = .incomplete
        }
        attempt.success = state.passed ? .passed : state.failed ? .failed : attempt.success
        if let score = state.scoreScaled { attempt.scoreScaled = score }
        attempt.updatedAt = now
    }

    // MARK: Satisfaction (9.3.9)

    /// Records "satisfied" for every block whose AUs all met their moveOn and for the course once all its AUs
    /// did, each once per registration. Returns whether it recorded any.
    func recordSatisfaction(enrolment: Enrolment, course: Course, registration: UUID, sessionID: UUID, actor: JSONValue,
                            on db: any Database) async throws -> Bool {
        let courseID = try course.requireID()
        let modules = try await CourseModule.query(on: db).filter(\.$version.$id == enrolment.$version.id).sort(\.$position).all()
        let attempts = try await ModuleAttempt.ofRound(enrolment, on: db).all()
        var satisfied: [String: Bool] = [:]
        for module in modules where module.moduleKind == .au {
            let moveOn = module.runtime.cmi5?.moveOn ?? "NotApplicable"
            let state = attempts.filter { $0.moduleKey == module.key }.max { $0.number < $1.number }
                .map { Self.auState(of: $0, registration: registration) } ?? Cmi5AUState(registration: registration)
            satisfied[module.key] = state.satisfies(moveOn: moveOn)
        }
        guard !satisfied.isEmpty else { return false }
        let parents = Dictionary(modules.map { ($0.key, $0.parentKey) }, uniquingKeysWith: { first, _ in first })
        func isInside(_ key: String, _ block: String) -> Bool {
            var parent = parents[key] ?? nil
            while let current = parent {
                if current == block { return true }
                parent = parents[current] ?? nil
            }
            return false
        }
        var targets: [Cmi5Launch.Target] = []
        for block in modules where block.moduleKind == .folder {
            let inside = satisfied.filter { isInside($0.key, block.key) }
            guard !inside.isEmpty, inside.values.allSatisfy({ $0 }) else { continue }
            targets.append(.init(activityID: launcher.blockActivityID(courseID: courseID, publisherID: block.key),
                                 publisherID: block.key, title: block.title, type: Cmi5Vocabulary.blockType))
        }
        if satisfied.values.allSatisfy({ $0 }) {
            let title = try await CourseVersion.find(enrolment.$version.id, on: db)?.title ?? [:]
            targets.append(.init(activityID: launcher.courseActivityID(courseID: courseID), publisherID: course.packageIdentifier,
                                 title: title, type: Cmi5Vocabulary.courseType))
        }
        var recorded = false
        for target in targets {
            let exists = try await XAPIStatementRecord.query(on: db).filter(\.$registrationID == registration)
                .filter(\.$verbID == Cmi5Vocabulary.Verb.satisfied.rawValue).filter(\.$objectID == target.activityID).count() > 0
            if exists { continue }
            let time = now()
            let statement = launcher.statement(verb: .satisfied, actor: actor, object: target, registration: registration,
                                               sessionID: sessionID, timestamp: time)
            try await Self.store(statement, origin: "lms", registration: registration, session: sessionID, on: db, now: time)
            recorded = true
        }
        return recorded
    }

    // MARK: Storage

    static func store(_ statement: JSONValue, origin: String, registration: UUID?, session: UUID?, on db: any Database,
                      now: Date) async throws {
        let record = XAPIStatementRecord()
        record.id = statement["id"]?.string.flatMap(UUID.init(uuidString:)) ?? UUID()
        record.registrationID = registration
        record.sessionID = session
        record.verbID = statement["verb"]?["id"]?.string ?? ""
        record.objectID = statement["object"]?["id"]?.string ?? ""
        record.agentKey = XAPIAgentKey.of(statement["actor"]) ?? ""
        record.body = statement.canonicalText
        record.origin = origin
        record.storedAt = now
        try await record.create(on: db)
    }

    static func putState(activityID: String, agentKey: String, registration: String, stateID: String, contentType: String,
                         content: Data, on db: any Database, now: Date) async throws {
        let document = try await XAPIStateDocument.query(on: db).filter(\.$activityID == activityID).filter(\.$agentKey == agentKey)
            .filter(\.$registration == registration).filter(\.$stateID == stateID).first() ?? XAPIStateDocument()
        document.activityID = activityID
        document.agentKey = agentKey
        document.registration = registration
        document.stateID = stateID
        document.contentType = contentType
        document.content = content
        document.updatedAt = now
        try await document.save(on: db)
    }

    static func randomToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func withoutQuery(_ url: String) -> String {
        String(url[..<(url.firstIndex { $0 == "?" || $0 == "#" } ?? url.endIndex)])
    }
}
