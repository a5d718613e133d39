/// The batch the browser's API adapter (window.API for SCORM 1.2, window.API_1484_11 for SCORM 2004)
/// posts to the runtime endpoint: its buffered SetValue calls, then Commit and/or Terminate, as
/// SCORM 1.2 RTE §3.3 and SCORM 2004 4th Ed. RTE §3.1 order them. A sequence number makes a retried
/// post (after a lost connection) change nothing and get the first answer again.
import Foundation

public struct RuntimeCommit: Sendable, Codable, Equatable {
    public struct SetValueCall: Sendable, Codable, Equatable {
        public var element: String
        public var value: String
        public init(element: String, value: String) {
            self.element = element
            self.value = value
        }
    }

    /// Increases by one per batch within a session, starting at 1.
    public var sequence: Int
    /// The attempt and session the batch belongs to, as the runtime endpoint's GET handed them out; a
    /// batch for another (older) attempt or session is refused rather than applied to the wrong one.
    public var attempt: Int?
    public var session: Int?
    /// True when the adapter's Initialize happened since the last batch (the first batch of a session).
    public var initialize: Bool
    public var calls: [SetValueCall]
    public var commit: Bool
    public var terminate: Bool

    public init(sequence: Int, initialize: Bool = false, calls: [SetValueCall] = [], commit: Bool = false, terminate: Bool = false,
                attempt: Int? = nil, session: Int? = nil) {
        self.sequence = sequence
        self.attempt = attempt
        self.session = session
        self.initialize = initialize
        self.calls = calls
        self.commit = commit
        self.terminate = terminate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sequence = try container.decode(Int.self, forKey: .sequence)
        attempt = try container.decodeIfPresent(Int.self, forKey: .attempt)
        session = try container.decodeIfPresent(Int.self, forKey: .session)
        initialize = try container.decodeIfPresent(Bool.self, forKey: .initialize) ?? false
        calls = try container.decodeIfPresent([SetValueCall].self, forKey: .calls) ?? []
        commit = try container.decodeIfPresent(Bool.self, forKey: .commit) ?? false
        terminate = try container.decodeIfPresent(Bool.self, forKey: .terminate) ?? false
    }
}

public struct RuntimeCommitResult: Sendable, Codable, Equatable {
    public struct CallResult: Sendable, Codable, Equatable {
        public var element: String
        public var error: Int
        /// What was wrong, for GetDiagnostic; nil when the call succeeded.
        public var diagnostic: String? = nil
    }

    public enum Disposition: String, Sendable, Codable {
        /// Applied now.
        case applied
        /// The same sequence number as the last applied batch: nothing changed, the first answer is repeated.
        case replayed
        /// Older than the last applied batch: nothing changed.
        case stale
    }

    public var sequence: Int
    public var disposition: Disposition
    public var initializeError: Int?
    public var calls: [CallResult]
    public var commitError: Int?
    public var terminateError: Int?

    /// Whether every call in the batch succeeded.
    public var succeeded: Bool {
        ([initializeError, commitError, terminateError].compactMap { $0 } + calls.map(\.error)).allSatisfy { $0 == 0 }
    }
}

extension ScormAttemptState {
    /// Applies a batch in order: Initialize, the SetValue calls, Commit, Terminate. A batch whose sequence
    /// number is not above the last applied one changes nothing.
    @discardableResult
    public mutating func apply(_ commit: RuntimeCommit) -> RuntimeCommitResult {
        if let last = lastCommitResult {
            if commit.sequence == last.sequence {
                var replay = last
                replay.disposition = .replayed
                return replay
            }
            if commit.sequence < last.sequence {
                return RuntimeCommitResult(sequence: commit.sequence, disposition: .stale, initializeError: nil,
                                           calls: [], commitError: nil, terminateError: nil)
            }
        }
        var result = RuntimeCommitResult(sequence: commit.sequence, disposition: .applied, initializeError: nil,
                                         calls: [], commitError: nil, terminateError: nil)
        if commit.initialize { result.initializeError = initialize().rawValue }
        for call in commit.calls {
            let code = setValue(call.element, call.value)
            result.calls.append(.init(element: call.element, error: code.rawValue, diagnostic: code.isError ? lastDiagnostic : nil))
        }
        if commit.commit { result.commitError = self.commit().rawValue }
        if commit.terminate { result.terminateError = terminate().rawValue }
        lastCommitResult = result
        return result
    }
}
