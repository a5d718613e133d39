import Foundation

/// Where a learner stands in every module of a course version and in the course as a whole, for the
/// player's outline and "My learning". A module is done when one of its attempts satisfies what the
/// course completion rule asks of it, so "3 of 5" here is the count the completion is decided on.
struct LearnerProgress: Sendable, Equatable {
    enum State: String, Sendable, Equatable {
        case notStarted = "not-started"
        case inProgress = "in-progress"
        case done
    }

    struct Module: Sendable, Equatable {
        var key: String
        var parentKey: String?
        var required: Bool
        /// What the completion rule asks; `nil` for folders.
        var requirement: CourseCompletionRule.Requirement?
    }

    struct Attempt: Sendable, Equatable {
        var moduleKey: String
        var number: Int
        var completion: ModuleAttempt.Completion
        var success: ModuleAttempt.Success
    }

    let states: [String: State]
    let requiredDone: Int
    let requiredTotal: Int

    init(modules: [Module], attempts: [Attempt]) {
        let byModule = Dictionary(grouping: attempts, by: \.moduleKey)
        var states: [String: State] = [:]
        var done = 0
        var total = 0
        // Modules come parent first, so walking backwards meets every folder after its children.
        for module in modules.reversed() {
            let state: State
            if let requirement = module.requirement {
                state = Self.state(of: byModule[module.key] ?? [], requirement: requirement)
                if module.required {
                    total += 1
                    if state == .done { done += 1 }
                }
            } else {
                let children = modules.filter { $0.parentKey == module.key }
                state = Self.folderState(children.map { ($0.required, states[$0.key] ?? .notStarted) })
            }
            states[module.key] = state
        }
        self.states = states
        self.requiredDone = done
        self.requiredTotal = total
    }

    /// 0...100, for a progress bar.
    var percent: Int {
        requiredTotal == 0 ? 0 : Int((Double(requiredDone) / Double(requiredTotal) * 100).rounded(.down))
    }

    func state(_ key: String) -> State { states[key] ?? .notStarted }

    static func state(of attempts: [Attempt], requirement: CourseCompletionRule.Requirement) -> State {
        // cmi5's moveOn "NotApplicable": satisfied without being launched, as the completion rule counts it.
        if requirement == .none { return .done }
        let satisfied = attempts.contains { attempt in
            CourseCompletionRule.satisfies(
                .init(id: UUID(), moduleKey: attempt.moduleKey, number: attempt.number,
                      completed: attempt.completion == .completed, passed: attempt.success == .passed,
                      scoreScaled: nil, at: .distantPast),
                requirement)
        }
        if satisfied { return .done }
        return attempts.contains { $0.completion != .notAttempted || $0.success != .unknown } ? .inProgress : .notStarted
    }

    /// A folder is done when its required modules are (all of them when none is required).
    static func folderState(_ children: [(required: Bool, state: State)]) -> State {
        guard !children.isEmpty else { return .notStarted }
        let counted = children.contains { $0.required } ? children.filter(\.required) : children
        if counted.allSatisfy({ $0.state == .done }) { return .done }
        return children.contains { $0.state != .notStarted } ? .inProgress : .notStarted
    }
}
