import Foundation

/// An Open Badges 3.0 AchievementCredential ("OpenBadgeCredential") for one accreditation record: the academy
/// states that the learner completed the course, accredited by a body as an activity with its credits. Built
/// here as plain data; `CredentialSigner` turns it into a VC-JWT.
struct OpenBadgeCredential: Codable, Sendable, Equatable {
    static let context = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]

    var context: [String] = Self.context
    var id: String
    var type: [String] = ["VerifiableCredential", "OpenBadgeCredential"]
    var name: String
    var issuer: IssuerProfile
    var validFrom: String
    var validUntil: String?
    var awardedDate: String
    var credentialSubject: AchievementSubject
    var credentialStatus: StatusListEntry?

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, name, issuer, validFrom, validUntil, awardedDate, credentialSubject, credentialStatus
    }
}

/// The issuer: the academy, as an OB 3.0 Profile.
struct IssuerProfile: Codable, Sendable, Equatable {
    var id: String
    var type: [String] = ["Profile"]
    var name: String
    var url: String

    init(addresses: CredentialAddresses) {
        id = addresses.issuerID
        name = addresses.site.academyName
        url = addresses.baseURL
    }
}

struct AchievementSubject: Codable, Sendable, Equatable {
    var id: String
    var type: [String] = ["AchievementSubject"]
    /// The learner's name, and the registration number when the learner chose to share it.
    var identifier: [IdentityObject]
    var achievement: Achievement
    var activityEndDate: String
    var creditsEarned: Double
    var result: [AchievementResult]
}

/// Takes a string `type`, unlike most OB 3.0 classes.
struct IdentityObject: Codable, Sendable, Equatable {
    var type = "IdentityObject"
    var hashed = false
    var identityHash: String
    var identityType: String
}

struct Achievement: Codable, Sendable, Equatable {
    var id: String
    var type: [String] = ["Achievement"]
    var achievementType = "Course"
    var name: String
    var description: String
    var criteria: Criteria
    var creator: IssuerProfile
    var creditsAvailable: Double
    /// The accreditation's activity number, as a person would quote it.
    var humanCode: String
    var fieldOfStudy: String?
    var inLanguage: String?
    var version: String
    var otherIdentifier: [IdentifierEntry]
    var resultDescription: [ResultDescription]
    var tag: [String]
}

struct Criteria: Codable, Sendable, Equatable {
    var narrative: String
}

/// Takes a string `type`, unlike most OB 3.0 classes.
struct IdentifierEntry: Codable, Sendable, Equatable {
    var type = "IdentifierEntry"
    var identifier: String
    var identifierType: String
}

struct ResultDescription: Codable, Sendable, Equatable {
    var id: String
    var type: [String] = ["ResultDescription"]
    var name: String
    var resultType: String
    var allowedValue: [String]?
    var valueMin: String?
    var valueMax: String?
}

struct AchievementResult: Codable, Sendable, Equatable {
    var type: [String] = ["Result"]
    var resultDescription: String
    var value: String
}

/// W3C Bitstring Status List entry: bit `statusListIndex` of the list at `statusListCredential`.
struct StatusListEntry: Codable, Sendable, Equatable {
    var id: String
    var type = "BitstringStatusListEntry"
    var statusPurpose = "revocation"
    var statusListIndex: String
    var statusListCredential: String

    init(listURL: String, index: Int) {
        id = listURL + "#\(index)"
        statusListIndex = String(index)
        statusListCredential = listURL
    }
}

extension OpenBadgeCredential {
    /// Identity types outside OB 3.0's vocabulary carry the "ext:" prefix.
    static let registrationNumberType = "ext:RIZIVNumber"
    static let activityNumberType = "ext:AccreditationActivityNumber"
    static let organiserNumberType = "ext:AccreditationOrganiserNumber"
    static let bodyType = "ext:AccreditationBody"
    static let creditsResultType = "ext:AccreditationCredits"
    static let rubricResultType = "ext:AccreditationRubric"

    /// The credential of one issued or corrected record. Revocations have none: they set the status bit of
    /// the credential they revoke. The registration number is left out unless the learner chose to share it.
    init(record item: RecordExportItem, statusIndex: Int?, sharesRegistrationNumber: Bool,
         addresses: CredentialAddresses, language: Language = .nl) {
        let achievementID = addresses.achievementID(course: item.courseID, body: item.body, activityNumber: item.activityNumber)
        let bodyName = MessageCatalogue.has("accreditation.body.\(item.body)", language)
            ? MessageCatalogue.text("accreditation.body.\(item.body)", language) : item.body
        let points = CreditPoints.text(item.points, unit: item.unit, language: language)
        var identifiers = [IdentifierEntry(identifier: item.activityNumber, identifierType: Self.activityNumberType),
                           IdentifierEntry(identifier: item.body, identifierType: Self.bodyType)]
        if let organiser = item.organiserNumber, !organiser.isEmpty {
            identifiers.append(IdentifierEntry(identifier: organiser, identifierType: Self.organiserNumberType))
        }
        var descriptions = [ResultDescription(id: achievementID + "#credits",
                                              name: MessageCatalogue.text("credentials.result.credits", language, [item.unit]),
                                              resultType: Self.creditsResultType, valueMin: "0",
                                              valueMax: Self.number(item.points))]
        var results = [AchievementResult(resultDescription: achievementID + "#credits", value: Self.number(item.points))]
        var description = MessageCatalogue.text("credentials.achievement.description", language,
                                                [item.courseTitle, bodyName, item.activityNumber, points])
        if let rubric = item.rubric, !rubric.isEmpty {
            descriptions.append(ResultDescription(id: achievementID + "#rubric",
                                                  name: MessageCatalogue.text("credentials.result.rubric", language),
                                                  resultType: Self.rubricResultType, allowedValue: [rubric]))
            results.append(AchievementResult(resultDescription: achievementID + "#rubric", value: rubric))
            description += " " + MessageCatalogue.text("credentials.achievement.rubric", language, [rubric])
        }
        var people = [IdentityObject(identityHash: item.learnerName, identityType: "name")]
        if sharesRegistrationNumber, !item.registrationNumber.isEmpty {
            people.append(IdentityObject(identityHash: item.registrationNumber, identityType: Self.registrationNumberType))
        }
        let issuer = IssuerProfile(addresses: addresses)
        self.init(
            id: addresses.credentialID(record: item.id),
            name: item.courseTitle,
            issuer: issuer,
            validFrom: CredentialDate.string(item.recordedAt),
            validUntil: item.validUntil.flatMap(CredentialDate.endOfDay).map(CredentialDate.string),
            awardedDate: CredentialDate.string(item.completedAt),
            credentialSubject: AchievementSubject(
                id: addresses.subjectID(learner: item.learnerID),
                identifier: people,
                achievement: Achievement(
                    id: achievementID, name: item.courseTitle, description: description,
                    criteria: Criteria(narrative: MessageCatalogue.text("credentials.achievement.criteria", language)),
                    creator: issuer, creditsAvailable: item.points, humanCode: item.activityNumber,
                    fieldOfStudy: item.rubric.map { MessageCatalogue.text("credentials.result.rubric", language) + " " + $0 },
                    inLanguage: nil, version: String(item.courseVersion), otherIdentifier: identifiers,
                    resultDescription: descriptions, tag: [item.body] + (item.rubric.map { ["rubric-\($0)"] } ?? [])),
                activityEndDate: CredentialDate.string(item.completedAt),
                creditsEarned: item.points,
                result: results),
            credentialStatus: statusIndex.map { StatusListEntry(listURL: addresses.statusListURL, index: $0) })
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}

/// Credential timestamps: UTC, whole seconds, so that `nbf` and `validFrom` name the same instant.
enum CredentialDate {
    /// "2026-11-23T09:05:00Z". Written by hand: a signed export makes four per credential, and an
    /// ISO8601DateFormatter per call (ICU underneath) took 40 % of the time of signing one.
    static func string(_ date: Date) -> String {
        CivilTime(seconds: Int64(seconds(date))).iso8601
    }

    static func seconds(_ date: Date) -> Double { date.timeIntervalSince1970.rounded(.down) }

    /// The instant of "YYYY-MM-DDTHH:MM:SSZ"; other RFC 3339 forms (offsets) go through Foundation.
    static func parse(_ text: String) -> Date? {
        if let seconds = CivilTime.seconds(utc: text) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The last second of a "YYYY-MM-DD" day in Brussels, when a record counts until that day.
    static func endOfDay(_ day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = BrusselsTime.timeZone
        guard let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
              let next = calendar.date(byAdding: .day, value: 1, to: start) else { return nil }
        return next.addingTimeInterval(-1)
    }
}
