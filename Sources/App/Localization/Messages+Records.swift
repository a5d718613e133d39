/// Completions, accreditation records, certificates and their verification.
let recordMessages: [Language: [String: String]] = [
    .nl: [:],
    .fr: [:],
    .en: [:],
]
