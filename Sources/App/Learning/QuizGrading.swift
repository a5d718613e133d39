import Foundation

/// One try at a quiz: what the learner chose and how it scored.
struct QuizTry: Sendable, Codable, Equatable {
    /// Question key -> the option keys chosen, sorted.
    var answers: [String: [String]]
    var correct: Int
    var questions: Int
    /// correct / questions, 0...1.
    var score: Double
    var passed: Bool
    /// Keys of the questions answered wrongly or not at all, in quiz order.
    var wrong: [String]

    /// A passed try beats a failed one; between equals the higher score wins.
    func beats(_ other: QuizTry) -> Bool {
        if passed != other.passed { return passed }
        return score > other.score
    }
}

/// What a quiz module keeps in its attempt's `state`: how many tries, the best and the latest. The best
/// counts for completion, so a failed retake never undoes a pass.
struct QuizAttemptState: Sendable, Codable, Equatable {
    var tries = 0
    var best: QuizTry?
    var last: QuizTry?

    mutating func record(_ result: QuizTry) {
        tries += 1
        last = result
        if best.map({ result.beats($0) }) ?? true { best = result }
    }
}

/// Grades a quiz of the academy's manifest: a question is right when the chosen options are exactly its
/// correct ones (for multiple choice: all of them and no other); the score is the share of right
/// questions, and the quiz is passed when it reaches the pass mark.
enum QuizGrading {
    static func grade(_ quiz: PackageQuiz, answers: [String: Set<String>]) -> QuizTry {
        var correct = 0
        var wrong: [String] = []
        var given: [String: [String]] = [:]
        for question in quiz.questions {
            let chosen = answers[question.key] ?? []
            if !chosen.isEmpty { given[question.key] = chosen.sorted() }
            let right = Set(question.options.filter(\.correct).map(\.key))
            if !chosen.isEmpty, chosen == right {
                correct += 1
            } else {
                wrong.append(question.key)
            }
        }
        let total = quiz.questions.count
        let score = total == 0 ? 0 : Double(correct) / Double(total)
        return QuizTry(answers: given, correct: correct, questions: total, score: score,
                       passed: total > 0 && passes(score: score, passMark: quiz.passMark), wrong: wrong)
    }

    /// The manual compares the share of right questions with the pass mark ("two of three" is 0.66): a
    /// little tolerance keeps 3/4 = 0.75 from failing 0.75 through rounding.
    static func passes(score: Double, passMark: Double) -> Bool {
        score + 1e-9 >= passMark
    }
}
