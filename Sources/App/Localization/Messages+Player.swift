/// The course player and native modules (pages, video, PDF, links, quizzes).
let playerMessages: [Language: [String: String]] = [
    .nl: [:],
    .fr: [:],
    .en: [:],
]
