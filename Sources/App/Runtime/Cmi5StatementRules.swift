import Foundation

/// The identifiers cmi5 (Quartz, sections 9.3 and 9.6) defines.
enum Cmi5Vocabulary {
    enum Verb: String, Sendable, Codable, CaseIterable {
        case launched = "http://adlnet.gov/expapi/verbs/launched"
        case initialized = "http://adlnet.gov/expapi/verbs/initialized"
        case completed = "http://adlnet.gov/expapi/verbs/completed"
        case passed = "http://adlnet.gov/expapi/verbs/passed"
        case failed = "http://adlnet.gov/expapi/verbs/failed"
        case abandoned = "https://w3id.org/xapi/adl/verbs/abandoned"
        case waived = "https://w3id.org/xapi/adl/verbs/waived"
        case terminated = "http://adlnet.gov/expapi/verbs/terminated"
        case satisfied = "https://w3id.org/xapi/adl/verbs/satisfied"

        var name: String {
            switch self {
            case .launched: "launched"
            case .initialized: "initialized"
            case .completed: "completed"
            case .passed: "passed"
            case .failed: "failed"
            case .abandoned: "abandoned"
            case .waived: "waived"
            case .terminated: "terminated"
            case .satisfied: "satisfied"
            }
        }

        /// The verbs only the LMS may use (9.3.1, 9.3.6, 9.3.7, 9.3.9).
        var isLMSOnly: Bool { [.launched, .abandoned, .waived, .satisfied].contains(self) }
    }

    static let voided = "http://adlnet.gov/expapi/verbs/voided"
    static let cmi5Category = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
    static let moveOnCategory = "https://w3id.org/xapi/cmi5/context/categories/moveon"
    static let sessionID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
    static let masteryScore = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
    static let launchMode = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
    static let launchURL = "https://w3id.org/xapi/cmi5/context/extensions/launchurl"
    static let moveOn = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
    static let launchParameters = "https://w3id.org/xapi/cmi5/context/extensions/launchparameters"
    static let courseType = "https://w3id.org/xapi/cmi5/activitytype/course"
    static let blockType = "https://w3id.org/xapi/cmi5/activitytype/block"
    static let launchDataStateID = "LMS.LaunchData"
    static let learnerPreferencesProfileID = "cmi5LearnerPreferences"
}

/// What one launch session fixed: who, which registration and session, which AU and its moveOn rules.
struct Cmi5LaunchFacts: Sendable, Equatable {
    var actor: JSONValue
    var registration: UUID
    var sessionID: UUID
    /// The LMS-generated activity id of the AU (8.1.5): the object of its cmi5 defined statements.
    var activityID: String
    /// The AU's id in the course structure, in the context template's grouping (9.6.2.3).
    var publisherID: String
    var masteryScore: Double?
    var moveOn: String
}

/// Where a session stands (kept with the session as JSON).
/// cmi5 10.2.2 launchMode: Normal records outcomes; in Browse and Review the AU may not.
enum Cmi5LaunchMode: String, Sendable, Codable {
    case normal = "Normal", browse = "Browse", review = "Review"
}

struct Cmi5SessionState: Sendable, Equatable, Codable {
    /// `nil` in sessions stored before launch modes were kept: they were all Normal.
    var mode: Cmi5LaunchMode?
    var initialized = false
    var terminated = false
    /// The cmi5 defined verbs the AU used in this session, in order.
    var verbs: [Cmi5Vocabulary.Verb] = []
    var lastStatementAt: Date?
}

/// What an AU has reached within a registration (kept in its ModuleAttempt's state as JSON).
struct Cmi5AUState: Sendable, Equatable, Codable {
    var registration: UUID
    var completed = false
    var passed = false
    var failed = false
    var scoreScaled: Double?

    func satisfies(moveOn: String) -> Bool {
        Cmi5MoveOn.isSatisfied(moveOn: moveOn, completed: completed, passed: passed)
    }
}

enum Cmi5MoveOn {
    /// cmi5 13.1.4 moveOn: NotApplicable (and anything unknown, which the importer refuses) needs nothing.
    static func isSatisfied(moveOn: String, completed: Bool, passed: Bool) -> Bool {
        switch moveOn {
        case "Passed": passed
        case "Completed": completed
        case "CompletedAndPassed": completed && passed
        case "CompletedOrPassed": completed || passed
        default: true
        }
    }
}

/// An xAPI agent as a key for storage and comparison: its inverse functional identifier.
enum XAPIAgentKey {
    static func of(_ agent: JSONValue?) -> String? {
        guard let agent else { return nil }
        if let account = agent["account"], let home = account["homePage"]?.string, let name = account["name"]?.string {
            return "account:\(home)|\(name)"
        }
        if let mbox = agent["mbox"]?.string { return "mbox:\(mbox)" }
        if let sha = agent["mbox_sha1sum"]?.string { return "sha1:\(sha)" }
        if let openid = agent["openid"]?.string { return "openid:\(openid)" }
        return nil
    }
}

/// Decides whether the AU of one launch session may record a statement (cmi5 sections 7.1, 9.1 to 9.7), and
/// what it changes. Pure: the xAPI endpoint hands in the session's and registration's state and stores the
/// result. cmi5 6.3 says the LMS SHOULD reject conflicting statements; the academy rejects them all, so it
/// never has to void one.
///
/// UNFINISHED: cmi5 9.3 orders statements by their `timestamp`; these rules use the order of arrival (the
/// AU sends them in order in practice).
enum Cmi5StatementRules {
    struct Refusal: Error, Sendable, Equatable {
        /// 400 for a statement that breaks the rules, 403 for one this launch may not make.
        var status: Int
        var message: String
    }

    struct Accepted: Sendable, Equatable {
        /// The cmi5 defined verb, or nil for a "cmi5 allowed" statement.
        var verb: Cmi5Vocabulary.Verb?
        var session: Cmi5SessionState
        var au: Cmi5AUState
    }

    static func check(_ statement: JSONValue, launch: Cmi5LaunchFacts, session: Cmi5SessionState, au: Cmi5AUState,
                      now: Date = Date()) -> Result<Accepted, Refusal> {
        func bad(_ message: String) -> Result<Accepted, Refusal> { .failure(Refusal(status: 400, message: message)) }
        func forbidden(_ message: String) -> Result<Accepted, Refusal> { .failure(Refusal(status: 403, message: message)) }

        guard statement.object != nil else { return bad("A statement is a JSON object.") }
        guard let id = statement["id"]?.string, UUID(uuidString: id) != nil else {
            return bad("The statement has no \"id\": cmi5 9.1 requires the AU to give every statement a UUID.")
        }
        guard XAPIAgentKey.of(statement["actor"]) == XAPIAgentKey.of(launch.actor) else {
            return forbidden("The statement's actor is not the actor of this launch: use the \"actor\" launch parameter unchanged.")
        }
        guard let verbID = statement["verb"]?["id"]?.string else { return bad("The statement has no verb id.") }
        if verbID == Cmi5Vocabulary.voided {
            return forbidden("An AU may not void statements (cmi5 6.3).")
        }
        let context = statement["context"]
        guard let registration = context?["registration"]?.string else {
            return bad("The statement's context has no registration: use the \"registration\" launch parameter.")
        }
        guard UUID(uuidString: registration) == launch.registration else {
            return forbidden("The statement's registration \(registration) is not the registration of this launch.")
        }
        guard context?["extensions"]?[Cmi5Vocabulary.sessionID]?.string?.lowercased() == launch.sessionID.uuidString.lowercased() else {
            return bad("The statement's context lacks this session's id in the extension \(Cmi5Vocabulary.sessionID): start from the contextTemplate of LMS.LaunchData.")
        }
        let grouping = context?["contextActivities"]?["grouping"].flatMap(activityIDs) ?? []
        guard grouping.contains(launch.publisherID) else {
            return bad("The statement's contextActivities.grouping lacks the publisher id \(launch.publisherID) of the contextTemplate.")
        }
        if session.terminated {
            return bad("This session has ended with \"terminated\": no statements may follow it (cmi5 9.3.8). Launch the AU again.")
        }
        let categories = context?["contextActivities"]?["category"].flatMap(activityIDs) ?? []
        let isDefined = categories.contains(Cmi5Vocabulary.cmi5Category)
        let verb = Cmi5Vocabulary.Verb(rawValue: verbID)
        if !session.initialized, verb != .initialized || !isDefined {
            return bad("The first statement of a session must be the cmi5 \"initialized\" statement (cmi5 9.3.2).")
        }
        var session = session
        var au = au
        session.lastStatementAt = now
        guard isDefined else {
            // "cmi5 allowed": any verb, between initialized and terminated, not part of the session rules.
            return .success(Accepted(verb: nil, session: session, au: au))
        }
        guard let verb else {
            return bad("The verb \(verbID) is not defined by cmi5, so the statement may not carry the cmi5 category.")
        }
        if verb.isLMSOnly {
            return forbidden("Only the LMS records \"\(verb.name)\" statements.")
        }
        guard statement["object"]?["id"]?.string == launch.activityID else {
            return bad("The object of a cmi5 defined statement must be the AU, with the \"activityId\" launch parameter as its id (cmi5 9.4).")
        }
        if session.verbs.contains(verb) {
            return bad("\"\(verb.name)\" was already recorded in this session; cmi5 9.3 allows each verb once per session.")
        }
        let result = statement["result"]
        let success = result?["success"]
        let completion = result?["completion"]
        let score = result?["score"]
        let duration = result?["duration"]?.string
        let judged = verb == .passed || verb == .failed
        if let mode = session.mode, mode != .normal, judged || verb == .completed {
            return forbidden("This AU was launched in \(mode.rawValue) mode, in which it may not record \"\(verb.name)\" (cmi5 10.2.2): the learner's result already stands.")
        }
        if score != nil, !judged { return bad("Only passed and failed statements may carry a score (cmi5 9.5.1).") }
        if success != nil, !judged { return bad("Only passed and failed statements may carry result.success (cmi5 9.5.2).") }
        if completion != nil, verb != .completed { return bad("Only completed statements may carry result.completion (cmi5 9.5.3).") }
        let hasMoveOnCategory = categories.contains(Cmi5Vocabulary.moveOnCategory)
        let needsMoveOnCategory = success != nil || completion != nil
        if needsMoveOnCategory != hasMoveOnCategory {
            return bad(needsMoveOnCategory
                ? "A statement with result.success or result.completion must carry the moveOn category \(Cmi5Vocabulary.moveOnCategory) (cmi5 9.6.2.2)."
                : "Only statements with result.success or result.completion may carry the moveOn category (cmi5 9.6.2.2).")
        }
        if [.completed, .passed, .failed, .terminated].contains(verb), duration == nil {
            return bad("A \(verb.name) statement must carry result.duration (cmi5 9.5.4.1).")
        }
        var scaled: Double?
        if let score {
            if let value = score["scaled"] {
                guard let number = value.number, (0...1).contains(number) else {
                    return bad("result.score.scaled must be a number from 0 to 1 (cmi5 9.5.1).")
                }
                scaled = number
            }
            if score["raw"] != nil, score["min"] == nil || score["max"] == nil {
                return bad("A score with \"raw\" must also give \"min\" and \"max\" (cmi5 9.5.1).")
            }
        }
        switch verb {
        case .initialized:
            session.initialized = true
        case .completed:
            guard completion?.bool == true else { return bad("A completed statement must carry result.completion true (cmi5 9.5.3).") }
            if au.completed {
                return bad("This AU was already completed in this registration; cmi5 9.3 allows one completed statement per registration.")
            }
            au.completed = true
        case .passed:
            guard success?.bool == true else { return bad("A passed statement must carry result.success true (cmi5 9.5.2).") }
            if au.passed {
                return bad("This AU was already passed in this registration; cmi5 9.3 allows one passed statement per registration.")
            }
            if session.verbs.contains(.failed) { return bad("This session already recorded \"failed\": passed and failed exclude each other.") }
            if let mastery = launch.masteryScore, let scaled, scaled < mastery {
                return bad("A passed statement's scaled score (\(scaled)) must be at least the masteryScore \(mastery) (cmi5 9.3.4).")
            }
            au.passed = true
            if let scaled { au.scoreScaled = scaled }
        case .failed:
            guard success?.bool == false else { return bad("A failed statement must carry result.success false (cmi5 9.5.2).") }
            if au.passed { return bad("This AU was already passed in this registration; \"failed\" may not follow \"passed\" (cmi5 9.3).") }
            if session.verbs.contains(.passed) { return bad("This session already recorded \"passed\": passed and failed exclude each other.") }
            if let mastery = launch.masteryScore, let scaled, scaled >= mastery {
                return bad("A failed statement's scaled score (\(scaled)) must be below the masteryScore \(mastery) (cmi5 9.3.5).")
            }
            au.failed = true
            if let scaled { au.scoreScaled = scaled }
        case .terminated:
            session.terminated = true
        case .launched, .abandoned, .waived, .satisfied:
            break
        }
        session.verbs.append(verb)
        return .success(Accepted(verb: verb, session: session, au: au))
    }

    static func activityIDs(_ list: JSONValue) -> [String] {
        // xAPI allows a single activity where a list is expected.
        if let single = list["id"]?.string { return [single] }
        return (list.array ?? []).compactMap { $0["id"]?.string }
    }
}
