import Foundation

/// An accreditation record as an xAPI 1.0.3 statement: "learner completed course", with the points, body and
/// activity number as context extensions. A correction is a new "completed" statement that names the one
/// it replaces in its context; a revocation voids the statement of the record it revokes.
struct XAPIStatement: Encodable, Sendable {
    struct Agent: Encodable, Sendable {
        struct Account: Encodable, Sendable { let homePage: String; let name: String }
        let objectType = "Agent"
        let name: String
        let account: Account
    }

    struct Verb: Encodable, Sendable {
        let id: String
        let display: [String: String]
        static let completed = Verb(id: "http://adlnet.gov/expapi/verbs/completed", display: ["en-US": "completed", "nl-BE": "voltooide"])
        static let voided = Verb(id: "http://adlnet.gov/expapi/verbs/voided", display: ["en-US": "voided"])
    }

    enum Object: Encodable, Sendable {
        case activity(id: String, name: [String: String])
        case statement(UUID)

        enum CodingKeys: String, CodingKey { case objectType, id, definition }
        struct Definition: Encodable { let name: [String: String]; let type: String }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .activity(let id, let name):
                try container.encode("Activity", forKey: .objectType)
                try container.encode(id, forKey: .id)
                try container.encode(Definition(name: name, type: "http://adlnet.gov/expapi/activities/course"), forKey: .definition)
            case .statement(let id):
                try container.encode("StatementRef", forKey: .objectType)
                try container.encode(id.uuidString.lowercased(), forKey: .id)
            }
        }
    }

    struct Result: Encodable, Sendable { let completion: Bool }

    struct Context: Encodable, Sendable {
        struct StatementRef: Encodable, Sendable { let objectType = "StatementRef"; let id: String }
        let platform: String
        let language: String
        let statement: StatementRef?
        let extensions: [String: ExtensionValue]
    }

    enum ExtensionValue: Encodable, Sendable {
        case text(String)
        case number(Double)
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            }
        }
    }

    /// Extension IRIs, the same for every academy instance so that partners can rely on them.
    static let extensionBase = "https://academy.vivel.be/xapi/extensions/"

    let id: String
    let actor: Agent
    let verb: Verb
    let object: Object
    let result: Result?
    let context: Context?
    let timestamp: String
    let version = "1.0.3"

    init(_ item: RecordExportItem, site: ExportSite) {
        id = item.id.uuidString.lowercased()
        actor = Agent(name: item.learnerName, account: .init(homePage: site.baseURL, name: item.learnerID.uuidString.lowercased()))
        let formatter = ISO8601DateFormatter()
        timestamp = formatter.string(from: item.kind == "revocation" ? item.recordedAt : item.completedAt)
        if item.kind == "revocation", let superseded = item.supersedes {
            verb = .voided
            object = .statement(superseded)
            result = nil
            context = nil
            return
        }
        verb = .completed
        object = .activity(id: "\(site.baseURL)/activities/courses/\(item.courseID.uuidString.lowercased())",
                           name: ["nl-BE": item.courseTitle])
        result = Result(completion: true)
        var extensions: [String: ExtensionValue] = [
            Self.extensionBase + "accreditation-body": .text(item.body),
            Self.extensionBase + "activity-number": .text(item.activityNumber),
            Self.extensionBase + "points": .number(item.points),
            Self.extensionBase + "unit": .text(item.unit),
            Self.extensionBase + "registration-number": .text(item.registrationNumber),
            Self.extensionBase + "verification-code": .text(item.verificationCode),
        ]
        if let rubric = item.rubric { extensions[Self.extensionBase + "rubric"] = .text(rubric) }
        if let organiser = item.organiserNumber { extensions[Self.extensionBase + "organiser-number"] = .text(organiser) }
        context = Context(platform: site.academyName, language: "nl-BE",
                          statement: item.supersedes.map { .init(id: $0.uuidString.lowercased()) }, extensions: extensions)
    }
}

/// Who exports: the academy's public address and name, for identifiers in statements and credentials.
struct ExportSite: Sendable, Equatable {
    var baseURL: String
    var academyName: String

    init(baseURL: String = "http://localhost:8080", academyName: String = "VIVEL Academy") {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.academyName = academyName
    }
}
