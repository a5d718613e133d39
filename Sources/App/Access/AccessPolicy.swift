import Foundation

/// A rule and what the catalogue does for people it denies.
public struct AccessPolicy: Sendable, Hashable, Codable {
    public enum WhenDenied: String, Sendable, Hashable, Codable {
        /// The course does not appear at all.
        case hide
        /// The course appears with a lock and the reasons.
        case showLocked = "show-locked"
    }

    public var rule: AccessRule
    public var whenDenied: WhenDenied

    public init(rule: AccessRule, whenDenied: WhenDenied) {
        self.rule = rule
        self.whenDenied = whenDenied
    }

    /// The policy a manifest carried; rule text that cannot be read denies everyone.
    public init(_ packaged: PackageAccessRule) {
        self.rule = AccessRule.failClosed(jsonString: packaged.ruleJSON)
        self.whenDenied = packaged.whenDenied == .hide ? .hide : .showLocked
    }

    public func evaluate(with evaluator: AccessEvaluator, course: AccessCourse? = nil) -> AccessPolicyDecision {
        let decision = evaluator.evaluate(rule, course: course)
        let visibility: AccessPolicyDecision.Visibility =
            decision.allowed ? .shown : (whenDenied == .hide ? .hidden : .locked)
        return AccessPolicyDecision(visibility: visibility, decision: decision)
    }

    /// Only the visibility, without reasons (see `AccessEvaluator.allows`).
    public func visibility(with evaluator: AccessEvaluator, course: AccessCourse? = nil) -> AccessPolicyDecision.Visibility {
        evaluator.allows(rule, course: course) ? .shown : (whenDenied == .hide ? .hidden : .locked)
    }

    public func evaluate(for subject: AccessSubject, in context: AccessContext) -> AccessPolicyDecision {
        evaluate(with: AccessEvaluator(subject: subject, context: context))
    }
}

public struct AccessPolicyDecision: Sendable, Hashable, Codable {
    public enum Visibility: String, Sendable, Hashable, Codable {
        case shown
        case locked
        case hidden
    }

    public var visibility: Visibility
    public var decision: AccessDecision

    public var allowed: Bool { decision.allowed }
}
