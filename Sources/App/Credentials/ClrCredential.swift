import Crypto
import Foundation

/// A 1EdTech Comprehensive Learner Record 2.0: one learner's accreditation credentials of one calendar year,
/// gathered in a ClrCredential that the academy signs as a whole. The credentials inside are the same
/// OpenBadgeCredentials a learner can download one by one (there each carries its own signature).
struct ClrCredential: Codable, Sendable, Equatable {
    static let context = ["https://www.w3.org/ns/credentials/v2",
                          "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
                          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]

    struct Subject: Codable, Sendable, Equatable {
        var id: String
        var type = ["ClrSubject"]
        var identifier: [IdentityObject]
        var verifiableCredential: [OpenBadgeCredential]
        var achievement: [Achievement]
    }

    var context = Self.context
    var id: String
    var type = ["VerifiableCredential", "ClrCredential"]
    var name: String
    var description: String
    var issuer: IssuerProfile
    var validFrom: String
    /// False: every standing record of the year is in it.
    var partial = false
    var credentialSubject: Subject

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, name, description, issuer, validFrom, partial, credentialSubject
    }

    enum Refusal: Error, Equatable, CustomStringConvertible {
        case noCredentials(year: Int)
        case severalLearners

        var description: String {
            switch self {
            case .noCredentials(let year): "There are no accreditation records completed in \(year) to put in a transcript."
            case .severalLearners: "A transcript holds the credentials of one learner."
            }
        }
    }

    /// `credentials`: the learner's standing credentials of `year`, oldest first.
    init(learner: UUID, learnerName: String, year: Int, credentials: [OpenBadgeCredential], addresses: CredentialAddresses,
         issuedAt: Date, language: Language = .nl) throws {
        guard !credentials.isEmpty else { throw Refusal.noCredentials(year: year) }
        let subject = addresses.subjectID(learner: learner)
        guard credentials.allSatisfy({ $0.credentialSubject.id == subject }) else { throw Refusal.severalLearners }
        id = Self.transcriptID(learner: learner, year: year)
        name = MessageCatalogue.text("credentials.clr.name", language, [addresses.site.academyName, String(year)])
        description = MessageCatalogue.text("credentials.clr.description", language, [String(year)])
        issuer = IssuerProfile(addresses: addresses)
        validFrom = CredentialDate.string(issuedAt)
        var achievements: [Achievement] = []
        for credential in credentials where !achievements.contains(where: { $0.id == credential.credentialSubject.achievement.id }) {
            achievements.append(credential.credentialSubject.achievement)
        }
        credentialSubject = Subject(id: subject, identifier: [IdentityObject(identityHash: learnerName, identityType: "name")],
                                    verifiableCredential: credentials, achievement: achievements)
    }

    /// The same transcript (learner and year) keeps its id when issued again; `validFrom` tells the newest.
    static func transcriptID(learner: UUID, year: Int) -> String {
        var bytes = Array(SHA256.hash(data: Data("clr/\(learner.uuidString.lowercased())/\(year)".utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x80  // RFC 9562 version 8: a name-derived, implementation-specific UUID
        bytes[8] = bytes[8] & 0x3F | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return "urn:uuid:" + uuid.uuidString.lowercased()
    }

    var claims: CredentialClaims {
        CredentialClaims(issuer: issuer.id, id: id, subject: credentialSubject.id, validFrom: validFrom, validUntil: nil)
    }
}
