import Foundation

/// The BitstringStatusListCredential that every badge's `credentialStatus` points to: bit N set means the
/// credential with `statusListIndex` N was revoked (its record was corrected or revoked). Signed like the
/// badges, and issued afresh whenever it is asked for, so that `validFrom` says how current it is.
struct StatusListCredential: Codable, Sendable, Equatable {
    struct Subject: Codable, Sendable, Equatable {
        var id: String
        var type = "BitstringStatusList"
        var statusPurpose = "revocation"
        var encodedList: String
    }

    var context = ["https://www.w3.org/ns/credentials/v2"]
    var id: String
    var type = ["VerifiableCredential", "BitstringStatusListCredential"]
    var issuer: String
    var validFrom: String
    var credentialSubject: Subject

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, issuer, validFrom, credentialSubject
    }

    init(list: BitstringStatusList, addresses: CredentialAddresses, issuedAt: Date) throws {
        id = addresses.statusListURL
        issuer = addresses.issuerID
        validFrom = CredentialDate.string(issuedAt)
        credentialSubject = Subject(id: addresses.statusListURL + "#list", encodedList: try list.encodedList())
    }

    var claims: CredentialClaims {
        CredentialClaims(issuer: issuer, id: id, subject: credentialSubject.id, validFrom: validFrom, validUntil: nil)
    }
}
