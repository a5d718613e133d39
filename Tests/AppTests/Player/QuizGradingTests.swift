@testable import App
import Foundation
import Testing

/// Grading the academy's own quizzes: exact option sets, the pass mark, and the best try kept.
@Suite struct QuizGradingTests {
    /// Three questions: single (b), multiple (a + c), single (a); pass mark "two of three".
    static let quiz = PackageQuiz(passMark: 0.66, questions: [
        .init(key: "q1", text: ["nl": "Een"], multiple: false, options: [
            .init(key: "a", text: ["nl": "A"], correct: false), .init(key: "b", text: ["nl": "B"], correct: true)]),
        .init(key: "q2", text: ["nl": "Twee"], multiple: true, options: [
            .init(key: "a", text: ["nl": "A"], correct: true), .init(key: "b", text: ["nl": "B"], correct: false),
            .init(key: "c", text: ["nl": "C"], correct: true)]),
        .init(key: "q3", text: ["nl": "Drie"], multiple: false, options: [
            .init(key: "a", text: ["nl": "A"], correct: true), .init(key: "b", text: ["nl": "B"], correct: false)]),
    ])

    @Test func allRightScoresOneAndPasses() {
        let result = QuizGrading.grade(Self.quiz, answers: ["q1": ["b"], "q2": ["a", "c"], "q3": ["a"]])

        #expect(result.correct == 3)
        #expect(result.score == 1)
        #expect(result.passed)
        #expect(result.wrong.isEmpty)
        #expect(result.answers == ["q1": ["b"], "q2": ["a", "c"], "q3": ["a"]])
    }

    @Test func twoOfThreeReachesAPassMarkOf066() {
        let result = QuizGrading.grade(Self.quiz, answers: ["q1": ["b"], "q2": ["a"], "q3": ["a"]])

        #expect(result.correct == 2)
        #expect(result.passed, "2/3 = 0.667 >= 0.66")
        #expect(result.wrong == ["q2"], "a multiple-choice question needs all correct options")
    }

    @Test func aWrongExtraOptionMakesAMultipleChoiceQuestionWrong() {
        let result = QuizGrading.grade(Self.quiz, answers: ["q2": ["a", "b", "c"]])

        #expect(result.correct == 0)
        #expect(result.wrong == ["q1", "q2", "q3"], "unanswered questions count as wrong, in quiz order")
        #expect(!result.passed)
    }

    @Test func unknownOrSeveralOptionsOnASingleChoiceQuestionAreWrong() {
        let result = QuizGrading.grade(Self.quiz, answers: ["q1": ["b", "a"], "q3": ["z"], "q9": ["a"]])

        #expect(result.correct == 0)
        #expect(result.answers["q9"] == nil, "answers to questions the quiz does not have are dropped")
    }

    @Test(arguments: [(3, 4, 0.75, true), (2, 4, 0.75, false), (2, 3, 0.67, false), (2, 3, 0.66, true), (0, 3, 0.0, true)])
    func passMarkComparison(correct: Int, questions: Int, passMark: Double, passes: Bool) {
        #expect(QuizGrading.passes(score: Double(correct) / Double(questions), passMark: passMark) == passes)
    }

    @Test func theBestTryIsKeptWhenALaterOneFails() {
        let failed = QuizGrading.grade(Self.quiz, answers: ["q1": ["a"]])
        let passed = QuizGrading.grade(Self.quiz, answers: ["q1": ["b"], "q2": ["a", "c"], "q3": ["a"]])
        let failedAgain = QuizGrading.grade(Self.quiz, answers: ["q1": ["b"]])
        var state = QuizAttemptState()

        state.record(failed)
        let bestAfterFirst = state.best
        state.record(passed)
        state.record(failedAgain)

        #expect(bestAfterFirst == failed)
        #expect(state.tries == 3)
        #expect(state.best == passed)
        #expect(state.last == failedAgain)
    }
}
