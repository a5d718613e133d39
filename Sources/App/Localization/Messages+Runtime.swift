/// The SCORM and cmi5 runtimes in the player.
let runtimeMessages: [Language: [String: String]] = [
    .nl: [:],
    .fr: [:],
    .en: [:],
]
