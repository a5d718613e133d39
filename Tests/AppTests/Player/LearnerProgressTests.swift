@testable import App
import Foundation
import Testing

/// Module states and the course count the outline shows.
@Suite struct LearnerProgressTests {
    static let modules: [LearnerProgress.Module] = [
        .init(key: "intro", parentKey: nil, required: true, requirement: .completed),
        .init(key: "part", parentKey: nil, required: true, requirement: nil),
        .init(key: "video", parentKey: "part", required: true, requirement: .completed),
        .init(key: "extra", parentKey: "part", required: false, requirement: .completed),
        .init(key: "quiz", parentKey: nil, required: true, requirement: .passed),
    ]

    static func attempt(_ key: String, _ completion: ModuleAttempt.Completion, _ success: ModuleAttempt.Success = .unknown,
                        number: Int = 1) -> LearnerProgress.Attempt {
        .init(moduleKey: key, number: number, completion: completion, success: success)
    }

    @Test func nothingDoneYet() {
        let progress = LearnerProgress(modules: Self.modules, attempts: [])

        #expect(progress.requiredTotal == 3, "folders and optional modules do not count")
        #expect(progress.requiredDone == 0)
        #expect(progress.percent == 0)
        #expect(progress.state("part") == .notStarted)
    }

    @Test func statesFollowTheAttemptsAndFoldersTheirRequiredModules() {
        let progress = LearnerProgress(modules: Self.modules, attempts: [
            Self.attempt("intro", .completed),
            Self.attempt("video", .completed),
            Self.attempt("quiz", .incomplete, .failed),
        ])

        #expect(progress.state("intro") == .done)
        #expect(progress.state("part") == .done, "the optional module inside does not hold the folder back")
        #expect(progress.state("extra") == .notStarted)
        #expect(progress.state("quiz") == .inProgress, "a failed quiz is not done")
        #expect(progress.requiredDone == 2)
        #expect(progress.percent == 66)
    }

    @Test func aFolderIsInProgressWhenSomethingInsideStarted() {
        let progress = LearnerProgress(modules: Self.modules, attempts: [Self.attempt("extra", .incomplete)])

        #expect(progress.state("part") == .inProgress)
    }

    @Test func anyAttemptThatSatisfiesCounts() {
        let progress = LearnerProgress(modules: Self.modules, attempts: [
            Self.attempt("quiz", .completed, .failed, number: 1),
            Self.attempt("quiz", .completed, .passed, number: 2),
        ])

        #expect(progress.state("quiz") == .done)
    }
}
