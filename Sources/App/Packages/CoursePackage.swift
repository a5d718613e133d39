import Foundation

/// Text in several languages, keyed by BCP 47 language code ("nl", "fr", "en").
public typealias LocalizedText = [String: String]

extension Dictionary where Key == String, Value == String {
    /// The text in `language`, else Dutch, else English, else any.
    public func text(in language: String, fallback: String = "nl") -> String? {
        self[language] ?? self[fallback] ?? self["en"] ?? self.sorted { $0.key < $1.key }.first?.value
    }
}

/// A course as a package describes it, whatever standard the manifest follows. Free of storage and
/// web concerns: parsers produce it, the importer validates and stores it.
public struct CoursePackage: Sendable, Equatable, Codable {
    public enum Standard: String, Sendable, Codable, CaseIterable {
        case academy            // course.xml, the academy's own manifest
        case imsContentPackaging = "ims-cp"
        case scorm12 = "scorm-1.2"
        case scorm2004 = "scorm-2004"
        case cmi5
    }

    public var standard: Standard
    /// "1.0" for the academy's format; "2004 4th Edition", "1.2", "1.1.4" and so on for the others.
    public var standardVersion: String?
    /// The package's own identifier (manifest identifier, cmi5 course id, academy course key):
    /// importing a package with the same identifier makes a new version of the same course.
    public var identifier: String
    /// URL-safe key of the course; the academy's manifest sets it, others get one derived from the title.
    public var slug: String?
    /// Language of the content itself ("nl", "fr", "en", ...).
    public var language: String
    public var title: LocalizedText
    public var summary: LocalizedText = [:]
    public var description: LocalizedText = [:]
    public var learningGoals: [LocalizedText] = []
    public var keywords: [String] = []
    public var themes: [String] = []
    public var professions: [String] = []
    public var durationMinutes: Int?
    public var accreditation: PackageAccreditation?
    /// Further accreditations by other bodies (a course accredited for doctors and for pharmacists); `nil` when
    /// there are none. Optional so that stored packages without it still decode.
    public var additionalAccreditations: [PackageAccreditation]?
    /// Access rules as the manifest gives them; interpreted by the access rule engine.
    public var access: [PackageAccessRule] = []
    /// Top-level modules in order; folders hold further modules.
    public var modules: [PackageModule]
    /// Every content file the manifest names, relative to the package root (forward slashes, decoded).
    public var files: [String] = []
    /// Separate metadata files the manifest names (IMS/SCORM `adlcp:location`), package-relative; the parser
    /// reads them when given a loader. Optional so that stored packages without it still decode.
    public var metadataFiles: [String]?

    public init(standard: Standard, standardVersion: String? = nil, identifier: String, slug: String? = nil,
                language: String, title: LocalizedText, modules: [PackageModule]) {
        self.standard = standard
        self.standardVersion = standardVersion
        self.identifier = identifier
        self.slug = slug
        self.language = language
        self.title = title
        self.modules = modules
    }

    /// Every accreditation, the main one first.
    public var accreditations: [PackageAccreditation] {
        (accreditation.map { [$0] } ?? []) + (additionalAccreditations ?? [])
    }

    /// The package's own duration, else the sum of its modules' durations; `nil` when neither is known.
    public var totalDurationMinutes: Int? {
        if let durationMinutes { return durationMinutes }
        let total = allModules.compactMap(\.durationMinutes).reduce(0, +)
        return total > 0 ? total : nil
    }

    /// All modules depth-first, folders included.
    public var allModules: [PackageModule] {
        var result: [PackageModule] = []
        func walk(_ modules: [PackageModule]) {
            for module in modules {
                result.append(module)
                walk(module.children)
            }
        }
        walk(modules)
        return result
    }
}

public struct PackageAccreditation: Sendable, Equatable, Codable {
    /// Accreditation body key, e.g. "riziv-inami" (doctors), "apb" (pharmacists).
    public var body: String
    /// The activity number the body gave.
    public var number: String
    public var points: Double
    /// Unit of the points: "CP" for RIZIV credit points, "hours", ...
    public var unit: String = "CP"
    /// Rubric or domain, e.g. "6" (Ethics & Economics) or "A".
    public var rubric: String?
    /// Calendar days (Europe/Brussels), "YYYY-MM-DD".
    public var validFrom: String?
    public var validUntil: String?
    /// How many months a record earned with this accreditation counts, from the completion day; `nil`: it
    /// does not lapse. A lapsing record lets the learner take the course again in a new cycle (`CycleRenewal`).
    public var validityMonths: Int?

    public init(body: String, number: String, points: Double, unit: String = "CP", rubric: String? = nil,
                validFrom: String? = nil, validUntil: String? = nil, validityMonths: Int? = nil) {
        self.body = body
        self.number = number
        self.points = points
        self.unit = unit
        self.rubric = rubric
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.validityMonths = validityMonths
    }
}

/// An access rule carried by a manifest: where it applies and the rule itself in the access engine's
/// serialised form (see docs/access-rules.md).
public struct PackageAccessRule: Sendable, Equatable, Codable {
    public enum Scope: String, Sendable, Codable {
        case visibility   // who sees the course in the catalogue
        case enrolment    // who may enrol
        case module       // who may open one module (moduleKey set)
    }
    public enum WhenDenied: String, Sendable, Codable {
        case hide
        case showLocked = "show-locked"
    }

    public var scope: Scope
    public var moduleKey: String?
    public var whenDenied: WhenDenied
    /// The rule as JSON text in the access engine's format.
    public var ruleJSON: String

    public init(scope: Scope, moduleKey: String? = nil, whenDenied: WhenDenied, ruleJSON: String) {
        self.scope = scope
        self.moduleKey = moduleKey
        self.whenDenied = whenDenied
        self.ruleJSON = ruleJSON
    }
}

public struct PackageModule: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case folder      // groups modules, no content of its own
        case page        // HTML page
        case video
        case pdf
        case link        // external URL
        case quiz        // defined in the academy's manifest
        case sco         // SCORM SCO (talks to the runtime API)
        case asset       // SCORM asset / IMS CP webcontent (launch only)
        case au          // cmi5 assignable unit
    }

    /// Stable key within the course (item identifier, AU id, module key).
    public var key: String
    public var title: LocalizedText
    public var kind: Kind
    public var durationMinutes: Int?
    /// Whether the module counts for course completion.
    public var required: Bool = true
    /// Launch location: a package-relative path (with query string when the manifest gives one), or an absolute URL.
    public var launch: String?
    /// Files this module needs (its resource's files and dependencies), package-relative.
    public var files: [String] = []
    public var children: [PackageModule] = []
    public var completion: ModuleCompletion?
    public var quiz: PackageQuiz?
    public var scorm: ScormItemData?
    public var cmi5: Cmi5AUData?

    public init(key: String, title: LocalizedText, kind: Kind, durationMinutes: Int? = nil, launch: String? = nil,
                children: [PackageModule] = []) {
        self.key = key
        self.title = title
        self.kind = kind
        self.durationMinutes = durationMinutes
        self.launch = launch
        self.children = children
    }
}

/// How a native module is completed.
public enum ModuleCompletion: Sendable, Equatable, Codable {
    case viewed
    case markedDone
    case quizPassed
    /// Video watched to this fraction (0...1).
    case watched(fraction: Double)
}

public struct PackageQuiz: Sendable, Equatable, Codable {
    public struct Question: Sendable, Equatable, Codable {
        public var key: String
        public var text: LocalizedText
        public var multiple: Bool
        public var options: [Option]
        public init(key: String, text: LocalizedText, multiple: Bool, options: [Option]) {
            self.key = key; self.text = text; self.multiple = multiple; self.options = options
        }
    }
    public struct Option: Sendable, Equatable, Codable {
        public var key: String
        public var text: LocalizedText
        public var correct: Bool
        public init(key: String, text: LocalizedText, correct: Bool) {
            self.key = key; self.text = text; self.correct = correct
        }
    }
    /// Fraction of questions to answer correctly (0...1).
    public var passMark: Double
    public var questions: [Question]
    public init(passMark: Double, questions: [Question]) {
        self.passMark = passMark
        self.questions = questions
    }
}

/// What SCORM 1.2 and 2004 say about an item, kept for the runtime.
public struct ScormItemData: Sendable, Equatable, Codable {
    public var scormType: String?           // "sco" or "asset"
    public var masteryScore: Double?        // SCORM 1.2 adlcp:masteryscore (0...100)
    public var prerequisites: String?       // SCORM 1.2 adlcp:prerequisites
    public var dataFromLMS: String?
    public var maxTimeAllowed: String?
    public var timeLimitAction: String?
    public var completionThreshold: Double? // SCORM 2004
    public var isVisible: Bool = true
    /// Raw imsss:sequencing XML of the item, kept for a later sequencing engine.
    public var sequencingXML: String?
    /// adlnav:presentation hidden controls, e.g. ["continue", "previous"].
    public var hideLMSUI: [String] = []
    public init() {}
}

/// What cmi5 says about an AU.
public struct Cmi5AUData: Sendable, Equatable, Codable {
    public var launchMethod: String = "AnyWindow"   // AnyWindow | OwnWindow
    public var moveOn: String = "NotApplicable"     // Passed | Completed | CompletedAndPassed | CompletedOrPassed | NotApplicable
    public var masteryScore: Double?
    public var activityType: String?
    public var launchParameters: String?
    public var entitlementKey: String?
    /// Id of the block the AU sits in, if any.
    public var blockID: String?
    public init() {}
}
