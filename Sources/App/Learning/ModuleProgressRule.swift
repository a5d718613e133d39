import Foundation

/// How a module is completed: the manifest's criterion, else the module kind's default.
enum ModuleCriterion: Sendable, Equatable {
    case viewed
    case markedDone
    case quizPassed
    /// The share of the video watched (0...1).
    case watched(fraction: Double)
    /// SCORM SCOs and cmi5 AUs report their own status through their runtimes.
    case runtime
    /// Folders have no content; they are done when their modules are.
    case none

    init(kind: PackageModule.Kind?, completion: ModuleCompletion?) {
        switch kind {
        case .folder?: self = .none
        case .sco?, .au?: self = .runtime
        // A SCORM asset cannot talk to the runtime: launching it is all there is.
        case .asset?: self = .viewed
        default:
            switch completion {
            case .viewed?: self = .viewed
            case .markedDone?: self = .markedDone
            case .quizPassed?: self = .quizPassed
            case .watched(let fraction)?: self = .watched(fraction: fraction)
            case nil: self = kind == .quiz ? .quizPassed : .viewed
            }
        }
    }

    /// Whether the academy itself writes this module's attempt (rather than a runtime, or nobody).
    var isNative: Bool {
        switch self {
        case .runtime, .none: false
        default: true
        }
    }

    /// Whether `event` means anything for a module completed this way. "Mark as done" also serves as the
    /// fallback of a video when the browser runs no script.
    func accepts(_ event: ModuleEvent) -> Bool {
        switch (self, event) {
        case (.runtime, _), (.none, _): false
        case (_, .opened): true
        case (.markedDone, .markedDone), (.viewed, .markedDone), (.watched, .markedDone): true
        case (.watched, .watched): true
        case (.quizPassed, .quizGraded): true
        default: false
        }
    }
}

/// What the learner did in a native module.
enum ModuleEvent: Sendable, Equatable {
    case opened
    case markedDone
    case watched(fraction: Double)
    case quizGraded(QuizTry)
}

/// The part of a native module's attempt that progress moves. Progress only goes forward: completed
/// stays completed, a pass stays a pass, the watched share and the best score never drop.
struct NativeAttemptProgress: Sendable, Equatable {
    var completion: ModuleAttempt.Completion = .notAttempted
    var success: ModuleAttempt.Success = .unknown
    var scoreScaled: Double?
    var progress: Double?
    var quiz: QuizAttemptState?
    var completedAt: Date?

    func applying(_ event: ModuleEvent, criterion: ModuleCriterion, at now: Date) -> NativeAttemptProgress {
        guard criterion.accepts(event) else { return self }
        var next = self
        if next.completion == .notAttempted { next.completion = .incomplete }
        switch event {
        case .opened:
            if criterion == .viewed { next.complete(at: now) }
        case .markedDone:
            next.complete(at: now)
        case .watched(let fraction):
            let share = fraction.isFinite ? min(max(fraction, 0), 1) : 0
            let watched = max(next.progress ?? 0, share)
            next.progress = watched
            if case .watched(let threshold) = criterion, watched + 1e-9 >= threshold { next.complete(at: now) }
        case .quizGraded(let result):
            var quiz = next.quiz ?? QuizAttemptState()
            quiz.record(result)
            next.quiz = quiz
            if let best = quiz.best {
                next.scoreScaled = best.score
                next.success = best.passed ? .passed : .failed
                if best.passed { next.complete(at: now) }
            }
        }
        return next
    }

    private mutating func complete(at now: Date) {
        completion = .completed
        if completedAt == nil { completedAt = now }
    }
}
