@testable import App
import Foundation
import Testing

/// Completion criteria of native modules and how progress moves: forward only.
@Suite struct ModuleProgressRuleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theCriterionFallsBackOnTheKind() {
        #expect(ModuleCriterion(kind: .quiz, completion: nil) == .quizPassed)
        #expect(ModuleCriterion(kind: .page, completion: nil) == .viewed)
        #expect(ModuleCriterion(kind: .video, completion: .watched(fraction: 0.8)) == .watched(fraction: 0.8))
        #expect(ModuleCriterion(kind: .pdf, completion: .markedDone) == .markedDone)
        #expect(ModuleCriterion(kind: .asset, completion: nil) == .viewed)
        #expect(ModuleCriterion(kind: .sco, completion: nil) == .runtime)
        #expect(ModuleCriterion(kind: .au, completion: nil) == .runtime)
        #expect(ModuleCriterion(kind: .folder, completion: nil) == ModuleCriterion.none)
    }

    @Test func openingCompletesAViewedModuleAndStartsTheOthers() {
        let start = NativeAttemptProgress()

        let viewed = start.applying(.opened, criterion: .viewed, at: now)
        let marked = start.applying(.opened, criterion: .markedDone, at: now)

        #expect(viewed.completion == .completed)
        #expect(viewed.completedAt == now)
        #expect(marked.completion == .incomplete)
        #expect(marked.completedAt == nil)
    }

    @Test func markingDoneCompletesOnceAndStays() {
        let done = NativeAttemptProgress().applying(.markedDone, criterion: .markedDone, at: now)
        let later = done.applying(.markedDone, criterion: .markedDone, at: now.addingTimeInterval(60))
            .applying(.opened, criterion: .markedDone, at: now.addingTimeInterval(120))

        #expect(done.completion == .completed)
        #expect(later == done, "nothing changes, not even the completion time")
    }

    @Test func aQuizCannotBeMarkedDone() {
        let start = NativeAttemptProgress()

        #expect(!ModuleCriterion.quizPassed.accepts(.markedDone))
        #expect(start.applying(.markedDone, criterion: .quizPassed, at: now) == start)
        #expect(!ModuleCriterion.markedDone.accepts(.watched(fraction: 1)))
    }

    @Test func theWatchedShareOnlyGrowsAndCompletesAtTheThreshold() {
        let criterion = ModuleCriterion.watched(fraction: 0.8)
        let half = NativeAttemptProgress().applying(.watched(fraction: 0.5), criterion: criterion, at: now)
        let less = half.applying(.watched(fraction: 0.3), criterion: criterion, at: now)
        let enough = less.applying(.watched(fraction: 0.8), criterion: criterion, at: now)
        let beyond = enough.applying(.watched(fraction: 7), criterion: criterion, at: now)

        #expect(half.completion == .incomplete)
        #expect(less == half)
        #expect(enough.completion == .completed)
        #expect(beyond.progress == 1, "clamped to 0...1")
        #expect(beyond.completion == .completed)
    }

    @Test func aPassedQuizStaysPassedWhenARetakeFails() {
        let quiz = QuizGradingTests.quiz
        let failed = QuizGrading.grade(quiz, answers: [:])
        let passed = QuizGrading.grade(quiz, answers: ["q1": ["b"], "q2": ["a", "c"], "q3": ["a"]])

        let first = NativeAttemptProgress().applying(.quizGraded(failed), criterion: .quizPassed, at: now)
        let second = first.applying(.quizGraded(passed), criterion: .quizPassed, at: now)
        let third = second.applying(.quizGraded(failed), criterion: .quizPassed, at: now.addingTimeInterval(60))

        #expect(first.completion == .incomplete)
        #expect(first.success == .failed)
        #expect(first.scoreScaled == 0)
        #expect(second.completion == .completed)
        #expect(second.success == .passed)
        #expect(third.success == .passed)
        #expect(third.scoreScaled == 1)
        #expect(third.completedAt == now)
        #expect(third.quiz?.tries == 3)
        #expect(third.quiz?.last == failed)
    }
}
