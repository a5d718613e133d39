/// The runtime data of one SCO attempt and the API state machine around it.
/// SCORM 1.2 RTE §3.3 (LMSInitialize/LMSFinish/LMSGetValue/LMSSetValue/LMSCommit, error 301 outside a
/// session) and §3.4.4 (cmi.core.entry, total_time, lesson_status with masteryscore and the LMS setting
/// "completed"/"browsed" on LMSFinish). SCORM 2004 4th Edition RTE §3.1.3-3.1.6 (API states and their
/// 1xx errors), §4.2 (cmi.entry, cmi.exit, total_time, the n-ordering rule, id-before-data dependencies)
/// and §4.2.4.1 / §4.2.22 (completion_status and success_status as evaluated by the LMS against
/// completion_threshold and scaled_passing_score).
import Foundation

/// What the LMS hands to a SCO at launch: learner, mode and the manifest's runtime data.
public struct ScormLaunchContext: Sendable, Codable, Equatable {
    public var learnerID: String
    public var learnerName: String
    public var credit: Bool
    /// "normal", "browse" or "review".
    public var mode: String
    public var launchData: String?
    /// SCORM 1.2 adlcp:masteryscore, 0...100.
    public var masteryScore: Double?
    /// As the manifest wrote it (CMITimespan in 1.2, ISO 8601 duration in 2004).
    public var maxTimeAllowed: String?
    public var timeLimitAction: String?
    /// SCORM 2004 adlcp:completionThreshold, 0...1.
    public var completionThreshold: Double?
    /// SCORM 2004 imsss:minNormalizedMeasure of the primary objective when satisfiedByMeasure, -1...1.
    public var scaledPassingScore: Double?

    public init(learnerID: String, learnerName: String, credit: Bool = true, mode: String = "normal",
                launchData: String? = nil, masteryScore: Double? = nil, maxTimeAllowed: String? = nil,
                timeLimitAction: String? = nil, completionThreshold: Double? = nil, scaledPassingScore: Double? = nil) {
        self.learnerID = learnerID
        self.learnerName = learnerName
        self.credit = credit
        self.mode = mode
        self.launchData = launchData
        self.masteryScore = masteryScore
        self.maxTimeAllowed = maxTimeAllowed
        self.timeLimitAction = timeLimitAction
        self.completionThreshold = completionThreshold
        self.scaledPassingScore = scaledPassingScore
    }

    /// Takes the manifest's values from the item. ScormItemData has no scaled passing score
    /// (it lives in the item's imsss:sequencing XML), so the caller passes it.
    public init(learnerID: String, learnerName: String, item: ScormItemData, scaledPassingScore: Double? = nil,
                credit: Bool = true, mode: String = "normal") {
        self.init(learnerID: learnerID, learnerName: learnerName, credit: credit, mode: mode,
                  launchData: item.dataFromLMS, masteryScore: item.masteryScore, maxTimeAllowed: item.maxTimeAllowed,
                  timeLimitAction: item.timeLimitAction, completionThreshold: item.completionThreshold,
                  scaledPassingScore: scaledPassingScore)
    }
}

/// Completion and success of an attempt as the course completion logic needs them.
public struct ScormOutcome: Sendable, Codable, Equatable {
    public enum Completion: String, Sendable, Codable { case completed, incomplete, notAttempted = "not attempted", unknown }
    public enum Success: String, Sendable, Codable { case passed, failed, unknown }
    public var completion: Completion
    public var success: Success
    /// Score in -1...1 (2004 cmi.score.scaled; 1.2 raw scaled by min/max, else raw / 100).
    public var scaledScore: Double?
    public var rawScore: Double?
    public var totalTimeSeconds: Double
    public var isCompleted: Bool { completion == .completed }
    public var isPassed: Bool { success == .passed }
}

public struct ScormAttemptState: Sendable, Codable, Equatable {
    public enum Phase: String, Sendable, Codable { case notInitialized, running, terminated }

    public let version: ScormVersion
    public var launch: ScormLaunchContext
    /// 1 for the first attempt; a resumed session keeps the number of the attempt it resumes.
    public private(set) var attemptNumber: Int
    /// Concrete element name -> value, e.g. "cmi.interactions.0.id".
    public private(set) var values: [String: String]
    /// Concrete array name -> _count, e.g. "cmi.interactions.0.objectives".
    public private(set) var counts: [String: Int]
    public private(set) var phase: Phase
    public private(set) var lastError: ScormErrorCode
    public private(set) var lastDiagnostic: String
    /// Total time of the attempt before this session; total_time = this + the session_time.
    public private(set) var totalSecondsBeforeSession: Double
    /// The last applied commit batch, for replaying a retried one (see RuntimeCommit).
    public internal(set) var lastCommitResult: RuntimeCommitResult?
    /// Counts the sessions (player page loads) of this attempt from 1, so that a batch from a page that was
    /// superseded by a later one is recognised. Optional only so that states stored before it decode.
    public internal(set) var session: Int?

    var model: CMIDataModel { .of(version) }

    /// A session of an attempt. With a previous session that exited with "suspend" this resumes that
    /// attempt (its data and total time carry over, entry = "resume"); otherwise it starts a new attempt
    /// (entry = "ab-initio"). SCORM 1.2 also allows entry "" for a non-suspended return to the same attempt;
    /// VIVEL starts a new attempt then instead.
    public init(version: ScormVersion, launch: ScormLaunchContext, previous: ScormAttemptState? = nil) {
        self.version = version
        self.launch = launch
        phase = .notInitialized
        lastError = .noError
        lastDiagnostic = ""
        lastCommitResult = nil
        let names = ElementNames(version)
        if let previous, previous.version == version, previous.values[names.exit] == "suspend" {
            attemptNumber = previous.attemptNumber
            values = previous.values
            counts = previous.counts
            totalSecondsBeforeSession = previous.totalSeconds
            for element in [names.exit, names.sessionTime, "adl.nav.request"] { values[element] = nil }
            values[names.entry] = "resume"
        } else {
            attemptNumber = (previous?.attemptNumber ?? 0) + 1
            values = [:]
            counts = [:]
            totalSecondsBeforeSession = 0
            values[names.entry] = "ab-initio"
            if version == .scorm12 { values["cmi.core.lesson_status"] = "not attempted" }
        }
        values[names.totalTime] = formatTime(totalSecondsBeforeSession)
        applyLaunchValues()
    }

    /// Names that differ between the versions.
    struct ElementNames {
        var exit, entry, sessionTime, totalTime: String
        init(_ version: ScormVersion) {
            switch version {
            case .scorm12:
                exit = "cmi.core.exit"; entry = "cmi.core.entry"
                sessionTime = "cmi.core.session_time"; totalTime = "cmi.core.total_time"
            case .scorm2004:
                exit = "cmi.exit"; entry = "cmi.entry"
                sessionTime = "cmi.session_time"; totalTime = "cmi.total_time"
            }
        }
    }

    private mutating func applyLaunchValues() {
        func format(_ number: Double) -> String {
            number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        }
        switch version {
        case .scorm12:
            values["cmi.core.student_id"] = launch.learnerID
            values["cmi.core.student_name"] = launch.learnerName
            values["cmi.core.credit"] = launch.credit ? "credit" : "no-credit"
            values["cmi.core.lesson_mode"] = launch.mode
            values["cmi.launch_data"] = launch.launchData ?? ""
            values["cmi.student_data.mastery_score"] = launch.masteryScore.map(format) ?? ""
            values["cmi.student_data.max_time_allowed"] = launch.maxTimeAllowed ?? ""
            values["cmi.student_data.time_limit_action"] = launch.timeLimitAction ?? ""
        case .scorm2004:
            values["cmi.learner_id"] = launch.learnerID
            values["cmi.learner_name"] = launch.learnerName
            values["cmi.credit"] = launch.credit ? "credit" : "no-credit"
            values["cmi.mode"] = launch.mode
            values["cmi.launch_data"] = launch.launchData
            values["cmi.completion_threshold"] = launch.completionThreshold.map(format)
            values["cmi.scaled_passing_score"] = launch.scaledPassingScore.map(format)
            values["cmi.max_time_allowed"] = launch.maxTimeAllowed
            values["cmi.time_limit_action"] = launch.timeLimitAction ?? "continue,no message"
            for (element, initial) in [("cmi.learner_preference.audio_level", "1"), ("cmi.learner_preference.language", ""),
                                       ("cmi.learner_preference.delivery_speed", "1"),
                                       ("cmi.learner_preference.audio_captioning", "0"),
                                       ("adl.nav.request", "_none_"),
                                       // Without a sequencing engine the LMS cannot tell yet.
                                       ("adl.nav.request_valid.continue", "unknown"),
                                       ("adl.nav.request_valid.previous", "unknown")] where values[element] == nil {
                values[element] = initial
            }
        }
    }

    private func formatTime(_ seconds: Double) -> String {
        version == .scorm12 ? CMITimeFormat.timespan(seconds: seconds) : CMITimeFormat.duration(seconds: seconds)
    }

    /// The session time the SCO reported, in seconds (0 when it reported none).
    public var sessionSeconds: Double {
        guard let text = values[ElementNames(version).sessionTime] else { return 0 }
        let seconds = version == .scorm12 ? CMITimeFormat.secondsFromTimespan(text) : CMITimeFormat.secondsFromDuration(text)
        return seconds ?? 0
    }

    /// Total time of the attempt including this session's reported session_time.
    public var totalSeconds: Double { totalSecondsBeforeSession + sessionSeconds }

    // MARK: - API calls

    private mutating func fail(_ code: ScormErrorCode, _ diagnostic: String) -> ScormErrorCode {
        lastError = code
        lastDiagnostic = diagnostic
        return code
    }

    private mutating func succeed() -> ScormErrorCode {
        lastError = .noError
        lastDiagnostic = ""
        return .noError
    }

    /// The session a player page load opens, given the latest stored state of the module (nil: none yet).
    /// - No state, or a terminated one: `init(previous:)` decides (a suspended attempt resumes, any other
    ///   starts the next attempt, also after a completed one: VIVEL has no review mode).
    /// - A session that never called Initialize: the same state again, under a new session number.
    /// - A session that was initialized but never reached Terminate (tab closed, connection lost, a SCO
    ///   that does not call Finish): resumed as if the SCO had set exit to "suspend", so that nothing the
    ///   learner did in it is lost; the SCO sees entry "resume".
    public static func opening(version: ScormVersion, launch: ScormLaunchContext, latest: ScormAttemptState?) -> ScormAttemptState {
        guard var latest, latest.version == version else {
            var first = ScormAttemptState(version: version, launch: launch, previous: nil)
            first.session = 1
            return first
        }
        switch latest.phase {
        case .notInitialized:
            latest.session = (latest.session ?? 1) + 1
            latest.lastCommitResult = nil
            latest.lastError = .noError
            latest.lastDiagnostic = ""
            return latest
        case .running:
            latest.values[ElementNames(version).exit] = "suspend"
        case .terminated:
            break
        }
        var next = ScormAttemptState(version: version, launch: launch, previous: latest)
        next.session = next.attemptNumber == latest.attemptNumber ? (latest.session ?? 1) + 1 : 1
        return next
    }

    /// LMSInitialize("") / Initialize("").
    @discardableResult
    public mutating func initialize(_ parameter: String = "") -> ScormErrorCode {
        switch (version, phase) {
        case (.scorm12, .running): return fail(.generalException, "LMSInitialize was already called.")
        case (.scorm12, .terminated): return fail(.generalException, "LMSFinish was already called; the session is over.")
        case (.scorm2004, .running): return fail(.alreadyInitialized, "Initialize was already called.")
        case (.scorm2004, .terminated): return fail(.contentInstanceTerminated, "Terminate was already called.")
        case (_, .notInitialized): break
        }
        guard parameter.isEmpty else { return fail(.invalidArgument12, "The parameter must be an empty string.") }
        phase = .running
        return succeed()
    }

    /// LMSFinish("") / Terminate(""): commits, applies the LMS's end-of-session rules, ends the session.
    @discardableResult
    public mutating func terminate(_ parameter: String = "") -> ScormErrorCode {
        switch (version, phase) {
        case (.scorm12, .notInitialized), (.scorm12, .terminated): return fail(.notInitialized12, "LMSInitialize was not called or LMSFinish was already called.")
        case (.scorm2004, .notInitialized): return fail(.terminationBeforeInitialization, "Terminate before Initialize.")
        case (.scorm2004, .terminated): return fail(.terminationAfterTermination, "Terminate was already called.")
        case (_, .running): break
        }
        guard parameter.isEmpty else { return fail(.invalidArgument12, "The parameter must be an empty string.") }
        recordTotalTime()
        if version == .scorm12 {
            // RTE 1.2 §3.4.4 cmi.core.lesson_status: a SCO that never set a status is "completed" on
            // LMSFinish, or "browsed" in browse mode.
            if values["cmi.core.lesson_status"] == "not attempted" {
                values["cmi.core.lesson_status"] = launch.mode == "browse" ? "browsed" : "completed"
            }
            if let judged = masteryJudgement12 { values["cmi.core.lesson_status"] = judged }
        }
        phase = .terminated
        return succeed()
    }

    /// LMSCommit("") / Commit("").
    @discardableResult
    public mutating func commit(_ parameter: String = "") -> ScormErrorCode {
        switch (version, phase) {
        case (.scorm12, .notInitialized), (.scorm12, .terminated): return fail(.notInitialized12, "LMSCommit outside a session.")
        case (.scorm2004, .notInitialized): return fail(.commitBeforeInitialization, "Commit before Initialize.")
        case (.scorm2004, .terminated): return fail(.commitAfterTermination, "Commit after Terminate.")
        case (_, .running): break
        }
        guard parameter.isEmpty else { return fail(.invalidArgument12, "The parameter must be an empty string.") }
        recordTotalTime()
        return succeed()
    }

    private mutating func recordTotalTime() {
        values[ElementNames(version).totalTime] = formatTime(totalSeconds)
    }

    /// GetErrorString: the standard's text for a code of this version.
    public func errorString(for code: ScormErrorCode) -> String { version.errorString(for: code) }

    /// GetDiagnostic: details of the last error (for "" or the last error's code), else the code's string.
    public func diagnostic(for parameter: String = "") -> String {
        if parameter.isEmpty || parameter == lastError.description { return lastDiagnostic }
        return Int(parameter).map { errorString(for: ScormErrorCode($0)) } ?? ""
    }

    /// Outcome of a GetValue call: the value ("" on error) and the error code.
    public struct GetResult: Sendable, Equatable {
        public var value: String
        public var error: ScormErrorCode
    }

    private var undefinedElement: ScormErrorCode { version == .scorm12 ? .invalidArgument12 : .undefinedDataModelElement }

    /// LMSGetValue / GetValue.
    public mutating func getValue(_ element: String) -> GetResult {
        let code = readValue(element)
        switch code {
        case .success(let value):
            _ = succeed()
            return GetResult(value: value, error: .noError)
        case .failure(let problem):
            return GetResult(value: "", error: fail(problem.code, problem.diagnostic))
        }
    }

    struct Problem: Error {
        var code: ScormErrorCode
        var diagnostic: String
    }

    private func readValue(_ element: String) -> Result<String, Problem> {
        let is12 = version == .scorm12
        switch (version, phase) {
        case (.scorm12, .notInitialized), (.scorm12, .terminated): return .failure(Problem(code: .notInitialized12, diagnostic: "GetValue outside a session."))
        case (.scorm2004, .notInitialized): return .failure(Problem(code: .retrieveDataBeforeInitialization, diagnostic: "GetValue before Initialize."))
        case (.scorm2004, .terminated): return .failure(Problem(code: .retrieveDataAfterTermination, diagnostic: "GetValue after Terminate."))
        case (_, .running): break
        }
        guard !element.isEmpty else {
            return .failure(Problem(code: is12 ? .invalidArgument12 : .generalGetFailure, diagnostic: "No element was named."))
        }
        if !is12, element.hasPrefix("adl.nav.request_valid.choice.{target=") || element.hasPrefix("adl.nav.request_valid.jump.{target=") {
            // Without a sequencing engine the LMS cannot tell yet.
            return .success("unknown")
        }
        guard let path = CMIDataModel.Path(element) else {
            return .failure(Problem(code: undefinedElement, diagnostic: "\(element) is not a data model element."))
        }
        let model = self.model
        let last = path.components.last ?? ""
        if last == "_children" || last == "_count" {
            let parentPattern = String(path.pattern.dropLast(last.count + 1))
            let parentName = String(element.dropLast(last.count + 1))
            guard model.knows(parentPattern) else {
                return .failure(Problem(code: undefinedElement, diagnostic: "\(parentName) is not a data model element."))
            }
            if last == "_children" {
                guard let list = model.children[parentPattern] else {
                    return .failure(Problem(code: is12 ? .elementCannotHaveChildren12 : .generalGetFailure,
                                            diagnostic: "\(parentName) has no children."))
                }
                return .success(list)
            }
            guard model.arrays.contains(parentPattern) else {
                return .failure(Problem(code: is12 ? .elementNotAnArray12 : .generalGetFailure,
                                        diagnostic: "\(parentName) is not an array and has no _count."))
            }
            return .success(String(counts[parentName] ?? 0))
        }
        if path.pattern == "cmi._version" { return .success(is12 ? "3.4" : "1.0") }
        guard let definition = model.elements[path.pattern] else {
            return .failure(Problem(code: undefinedElement, diagnostic: "\(element) is not a data model element."))
        }
        guard definition.access.canRead else {
            return .failure(Problem(code: is12 ? .elementIsWriteOnly12 : .elementIsWriteOnly, diagnostic: "\(element) is write-only."))
        }
        for (level, index) in path.indices.enumerated() {
            let array = path.arrayName(level: level)
            let count = counts[array] ?? 0
            guard index < count else {
                return .failure(Problem(code: is12 ? .invalidArgument12 : .generalGetFailure,
                                        diagnostic: "\(array) has \(count) entries; index \(index) does not exist."))
            }
        }
        if !is12, element == "cmi.completion_status" { return .success(evaluatedCompletionStatus2004) }
        if !is12, element == "cmi.success_status" { return .success(evaluatedSuccessStatus2004) }
        if let value = values[element] { return .success(value) }
        if is12 { return .success("") }
        return .failure(Problem(code: .valueNotInitialized, diagnostic: "\(element) has no value yet."))
    }

    /// LMSSetValue / SetValue.
    @discardableResult
    public mutating func setValue(_ element: String, _ value: String) -> ScormErrorCode {
        switch writeValue(element, value) {
        case .success: return succeed()
        case .failure(let problem): return fail(problem.code, problem.diagnostic)
        }
    }

    private mutating func writeValue(_ element: String, _ value: String) -> Result<Void, Problem> {
        let is12 = version == .scorm12
        switch (version, phase) {
        case (.scorm12, .notInitialized), (.scorm12, .terminated): return .failure(Problem(code: .notInitialized12, diagnostic: "SetValue outside a session."))
        case (.scorm2004, .notInitialized): return .failure(Problem(code: .storeDataBeforeInitialization, diagnostic: "SetValue before Initialize."))
        case (.scorm2004, .terminated): return .failure(Problem(code: .storeDataAfterTermination, diagnostic: "SetValue after Terminate."))
        case (_, .running): break
        }
        let setFailure: ScormErrorCode = is12 ? .invalidArgument12 : .generalSetFailure
        guard !element.isEmpty else { return .failure(Problem(code: setFailure, diagnostic: "No element was named.")) }
        guard let path = CMIDataModel.Path(element) else {
            return .failure(Problem(code: undefinedElement, diagnostic: "\(element) is not a data model element."))
        }
        let model = self.model
        let last = path.components.last ?? ""
        if ["_children", "_count", "_version"].contains(last) {
            let parentPattern = String(path.pattern.dropLast(last.count + 1))
            guard model.knows(parentPattern) || path.pattern == "cmi._version" else {
                return .failure(Problem(code: undefinedElement, diagnostic: "\(element) is not a data model element."))
            }
            return .failure(Problem(code: is12 ? .elementIsKeyword12 : .elementIsReadOnly, diagnostic: "\(element) is a keyword and read-only."))
        }
        guard let definition = model.elements[path.pattern] else {
            return .failure(Problem(code: undefinedElement, diagnostic: "\(element) is not a data model element."))
        }
        guard definition.access.canWrite else {
            return .failure(Problem(code: is12 ? .elementIsReadOnly12 : .elementIsReadOnly, diagnostic: "\(element) is read-only."))
        }
        var newEntries: [String] = []
        for (level, index) in path.indices.enumerated() {
            let array = path.arrayName(level: level)
            let count = counts[array] ?? 0
            guard index <= count else {
                return .failure(Problem(code: setFailure,
                                        diagnostic: "\(array) has \(count) entries; the next one must have index \(count), not \(index)."))
            }
            if index == count {
                let arrayPattern = path.arrayPattern(level: level)
                if !is12, arrayPattern == "cmi.objectives" || arrayPattern == "cmi.interactions",
                   path.pattern != arrayPattern + ".n.id" {
                    return .failure(Problem(code: .dependencyNotEstablished,
                                            diagnostic: "Set \(array).\(index).id before other data of that entry."))
                }
                newEntries.append(array)
            }
        }
        if let problem = definition.type.problem(with: value) {
            let code: ScormErrorCode = is12 ? .incorrectDataType12 : (problem == .outOfRange ? .valueOutOfRange : .typeMismatch)
            return .failure(Problem(code: code, diagnostic: problem == .outOfRange
                                    ? "\(value) is out of range for \(element)." : "\(value.prefix(80)) is not a valid value for \(element)."))
        }
        if !is12, let problem = dependencyProblem2004(path: path, element: element, value: value) {
            return .failure(problem)
        }
        for array in newEntries { counts[array, default: 0] += 1 }
        values[element] = value
        return .success(())
    }

    /// SCORM 2004 RTE §4.2.9 / §4.2.17: ids are unique and fixed once set; responses need the interaction type.
    private func dependencyProblem2004(path: CMIDataModel.Path, element: String, value: String) -> Problem? {
        switch path.pattern {
        case "cmi.objectives.n.id":
            if let current = values[element], current != value {
                return Problem(code: .generalSetFailure, diagnostic: "An objective id cannot change once set.")
            }
            let others = (0..<(counts["cmi.objectives"] ?? 0)).filter { $0 != path.indices[0] }
            if others.contains(where: { values["cmi.objectives.\($0).id"] == value }) {
                return Problem(code: .generalSetFailure, diagnostic: "Objective id \(value) is already used.")
            }
        case "cmi.interactions.n.objectives.n.id":
            let interaction = "cmi.interactions.\(path.indices[0])"
            let others = (0..<(counts[interaction + ".objectives"] ?? 0)).filter { $0 != path.indices[1] }
            if others.contains(where: { values["\(interaction).objectives.\($0).id"] == value }) {
                return Problem(code: .generalSetFailure, diagnostic: "Objective id \(value) is already used in this interaction.")
            }
        case "cmi.interactions.n.learner_response", "cmi.interactions.n.correct_responses.n.pattern":
            let interaction = "cmi.interactions.\(path.indices[0])"
            guard let type = values[interaction + ".type"] else {
                return Problem(code: .dependencyNotEstablished, diagnostic: "Set \(interaction).type before responses.")
            }
            let isPattern = path.pattern.hasSuffix(".pattern")
            if isPattern, let limit = CMIInteractionResponse.maximumPatternCount(type: type), path.indices[1] >= limit {
                return Problem(code: .generalSetFailure, diagnostic: "A \(type) interaction has at most \(limit) correct response.")
            }
            guard CMIInteractionResponse.isValid(value, type: type, isPattern: isPattern) else {
                return Problem(code: .typeMismatch, diagnostic: "\(value.prefix(80)) is not a valid \(type) response.")
            }
        default: break
        }
        return nil
    }

    // MARK: - Outcomes

    /// SCORM 1.2 (RTE §3.4.4 and Conformance Requirements cmi.core.lesson_status): with a mastery score,
    /// credit and a raw score the LMS decides passed/failed, unless the SCO said "incomplete".
    private var masteryJudgement12: String? {
        guard version == .scorm12, launch.credit, launch.mode == "normal", let mastery = launch.masteryScore,
              values["cmi.core.lesson_status"] != "incomplete",
              let raw = values["cmi.core.score.raw"].flatMap(CMIValueType.decimal) else { return nil }
        return raw >= mastery ? "passed" : "failed"
    }

    /// SCORM 2004 RTE §4.2.4.1 (Table 4.2.4.1a).
    var evaluatedCompletionStatus2004: String {
        if let threshold = launch.completionThreshold {
            guard let progress = values["cmi.progress_measure"].flatMap(CMIValueType.decimal) else { return "unknown" }
            return progress >= threshold ? "completed" : "incomplete"
        }
        return values["cmi.completion_status"] ?? "unknown"
    }

    /// SCORM 2004 RTE §4.2.22 (Table 4.2.22a).
    var evaluatedSuccessStatus2004: String {
        if let passing = launch.scaledPassingScore {
            guard let scaled = values["cmi.score.scaled"].flatMap(CMIValueType.decimal) else { return "unknown" }
            return scaled >= passing ? "passed" : "failed"
        }
        return values["cmi.success_status"] ?? "unknown"
    }

    public var outcome: ScormOutcome {
        switch version {
        case .scorm12:
            let status = masteryJudgement12 ?? values["cmi.core.lesson_status"] ?? "not attempted"
            let completion: ScormOutcome.Completion
            let success: ScormOutcome.Success
            switch status {
            case "passed": (completion, success) = (.completed, .passed)
            case "failed": (completion, success) = (.completed, .failed)
            case "completed": (completion, success) = (.completed, .unknown)
            case "incomplete", "browsed": (completion, success) = (.incomplete, .unknown)
            default: (completion, success) = (.notAttempted, .unknown)
            }
            let raw = values["cmi.core.score.raw"].flatMap(CMIValueType.decimal)
            let low = values["cmi.core.score.min"].flatMap(CMIValueType.decimal) ?? 0
            let high = values["cmi.core.score.max"].flatMap(CMIValueType.decimal) ?? 100
            let scaled = raw.map { high > low ? min(1, max(0, ($0 - low) / (high - low))) : $0 / 100 }
            return ScormOutcome(completion: completion, success: success, scaledScore: scaled, rawScore: raw,
                                totalTimeSeconds: totalSeconds)
        case .scorm2004:
            return ScormOutcome(completion: ScormOutcome.Completion(rawValue: evaluatedCompletionStatus2004) ?? .unknown,
                                success: ScormOutcome.Success(rawValue: evaluatedSuccessStatus2004) ?? .unknown,
                                scaledScore: values["cmi.score.scaled"].flatMap(CMIValueType.decimal),
                                rawScore: values["cmi.score.raw"].flatMap(CMIValueType.decimal),
                                totalTimeSeconds: totalSeconds)
        }
    }
}
