import Foundation

/// When is a course complete? When every required module is satisfied by one of its attempts. What
/// "satisfied" means depends on the module: a native module by its completion criterion, a SCORM SCO by
/// completion (and a pass where the manifest sets a mastery or passing score), a cmi5 AU by its moveOn.
/// Free of storage: the recorder hands in the modules and attempts it read.
struct CourseCompletionRule: Sendable {
    enum Requirement: String, Sendable, Codable, Equatable {
        case completed, passed, completedAndPassed, completedOrPassed
        /// cmi5 moveOn "NotApplicable": satisfied without launching.
        case none
    }

    struct Module: Sendable, Equatable {
        var key: String
        var required: Bool
        var requirement: Requirement
    }

    struct Attempt: Sendable, Equatable {
        var id: UUID
        var moduleKey: String
        var number: Int
        var completed: Bool
        var passed: Bool
        var scoreScaled: Double?
        var at: Date
    }

    struct Decision: Sendable, Equatable {
        var complete: Bool
        /// Required modules satisfied and in all (for "3 of 5").
        var satisfied: Int
        var required: Int
        var evidence: CompletionEvidence
        /// The mean of the scaled scores of the attempts that satisfied required modules, when any had one.
        var scoreScaled: Double?
        /// When the last required step was recorded.
        var completedAt: Date?
    }

    var modules: [Module]

    static func requirement(kind: PackageModule.Kind, runtime: ModuleRuntime) -> Requirement? {
        switch kind {
        case .folder: return nil
        case .quiz: return .passed
        case .page, .video, .pdf, .link:
            return runtime.completion == .quizPassed ? .passed : .completed
        case .asset: return .completed
        case .sco:
            let scorm = runtime.scorm
            // A mastery score makes the LMS decide passed/failed (SCORM 1.2 RTE 3.4.4.2); without one a
            // SCO is done when it says it is complete.
            return scorm?.masteryScore != nil ? .passed : .completed
        case .au:
            switch runtime.cmi5?.moveOn ?? "NotApplicable" {
            case "Passed": return .passed
            case "Completed": return .completed
            case "CompletedAndPassed": return .completedAndPassed
            case "CompletedOrPassed": return .completedOrPassed
            default: return Requirement.none
            }
        }
    }

    static func satisfies(_ attempt: Attempt, _ requirement: Requirement) -> Bool {
        switch requirement {
        case .completed: attempt.completed
        case .passed: attempt.passed
        case .completedAndPassed: attempt.completed && attempt.passed
        case .completedOrPassed: attempt.completed || attempt.passed
        case .none: true
        }
    }

    func decide(_ attempts: [Attempt]) -> Decision {
        let byModule = Dictionary(grouping: attempts, by: \.moduleKey)
        var evidence: [CompletionEvidence.Step] = []
        var satisfied = 0
        var required = 0
        var scores: [Double] = []
        var last: Date?
        for module in modules where module.required {
            required += 1
            if module.requirement == .none {
                satisfied += 1
                evidence.append(.init(module: module.key, attempt: nil, number: nil, scoreScaled: nil, at: nil))
                continue
            }
            // The earliest attempt that satisfied the module is the evidence; a later weaker one changes nothing.
            let candidates = (byModule[module.key] ?? []).filter { Self.satisfies($0, module.requirement) }
            guard let best = candidates.min(by: { ($0.at, $0.number) < ($1.at, $1.number) }) else { continue }
            satisfied += 1
            if let score = best.scoreScaled { scores.append(score) }
            last = max(last ?? best.at, best.at)
            evidence.append(.init(module: module.key, attempt: best.id, number: best.number, scoreScaled: best.scoreScaled, at: best.at))
        }
        // A course without required modules is complete once anything in it is done.
        let complete = required > 0 ? satisfied == required : attempts.contains { $0.completed || $0.passed }
        if required == 0, complete { last = attempts.map(\.at).max() }
        return Decision(complete: complete, satisfied: satisfied, required: required,
                        evidence: CompletionEvidence(steps: evidence),
                        scoreScaled: scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count),
                        completedAt: complete ? last : nil)
    }
}

/// Which modules and attempts made a course complete, kept with the completion.
struct CompletionEvidence: Sendable, Codable, Equatable {
    struct Step: Sendable, Codable, Equatable {
        var module: String
        var attempt: UUID?
        var number: Int?
        var scoreScaled: Double?
        var at: Date?
    }
    var steps: [Step]
}
