@testable import App
import Foundation
import JWTKit
import Testing

/// Open Badges 3.0 credentials and CLR 2.0 transcripts built from records, signed as VC-JWTs, checked against
/// the published schemas in ../shared (with Python's jsonschema, when both are there) and verified with the
/// public key as a JWKS publishes it.
@Suite struct OpenBadgeCredentialTests {
    static let addresses = CredentialAddresses(site: ExportSite(baseURL: "https://academy.vivel.be/", academyName: "VIVEL Academy"))
    static let shared = XAPIStatementTests.repository.deletingLastPathComponent().appendingPathComponent("shared/schemas")
    static let ob3Schema = shared.appendingPathComponent("ob3/achievementcredential.json")
    static let clrSchema = shared.appendingPathComponent("clr2/clr_v2p0_clrcredential_schema.json")
    static var canValidate: Bool {
        JSONSchemaCheck.isAvailable && FileManager.default.fileExists(atPath: ob3Schema.path)
            && FileManager.default.fileExists(atPath: clrSchema.path)
    }

    static func credential(shares: Bool = false, rubric: String? = "6", index: Int? = 7) -> OpenBadgeCredential {
        var item = RecordExportFormatTests.item()
        item.rubric = rubric
        return OpenBadgeCredential(record: item, statusIndex: index, sharesRegistrationNumber: shares, addresses: addresses)
    }

    static func signer() async throws -> CredentialSigner {
        try await CredentialSigner(privateKey: ES256PrivateKey(), addresses: addresses)
    }

    static func jwks(_ signer: CredentialSigner) throws -> String {
        String(decoding: try JSONEncoder().encode(signer.keySet), as: UTF8.self)
    }

    static func part(_ token: String, _ index: Int) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let bytes = try #require(Base64URL.decode(parts[index]))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func validate(_ documents: [[String: Any]], schema: URL) throws -> (status: Int32, output: String)? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try JSONSerialization.data(withJSONObject: documents).write(to: file)
        return try JSONSchemaCheck.run(schema: schema, documents: file)
    }

    @Test func theCredentialSaysWhoCompletedWhichAccreditedCourseWithItsCredits() throws {
        let credential = Self.credential()
        let subject = credential.credentialSubject
        let achievement = subject.achievement

        #expect(credential.type.contains("OpenBadgeCredential") && credential.id == "urn:uuid:6f1c2e0a-1111-4222-8333-944455556666")
        #expect(credential.issuer.id == "https://academy.vivel.be/credentials/issuer" && credential.issuer.url == "https://academy.vivel.be")
        #expect(subject.id == "urn:uuid:0b0c2e0a-1111-4222-8333-944455550000")
        #expect(achievement.name == "Wondzorg; thuis" && achievement.humanCode == "ACC-1" && achievement.creditsAvailable == 1.5)
        #expect(achievement.otherIdentifier.contains(IdentifierEntry(identifier: "riziv-inami", identifierType: OpenBadgeCredential.bodyType)))
        #expect(achievement.otherIdentifier.contains(IdentifierEntry(identifier: "ORG-7", identifierType: OpenBadgeCredential.organiserNumberType)))
        let credits = try #require(subject.result.first { $0.resultDescription.hasSuffix("#credits") })
        #expect(credits.value == "1.5" && achievement.resultDescription.contains { $0.id == credits.resultDescription })
        #expect(subject.result.contains { $0.resultDescription.hasSuffix("#rubric") && $0.value == "6" })
        #expect(achievement.description.contains("ACC-1") && achievement.description.contains("1,5 CP"))
        #expect(credential.credentialStatus == StatusListEntry(listURL: "https://academy.vivel.be/credentials/status/revocation", index: 7))
        #expect(credential.validFrom == "2026-11-18T11:06:40Z" && credential.awardedDate == credential.validFrom)
    }

    @Test func theRegistrationNumberIsSharedOnlyWhenTheLearnerChoseTo() throws {
        let kept = Self.credential(shares: false).credentialSubject.identifier
        let shared = Self.credential(shares: true).credentialSubject.identifier

        #expect(kept.map(\.identityType) == ["name"] && kept.first?.identityHash == "An Peeters")
        #expect(shared.contains(IdentityObject(identityHash: "12345625003", identityType: OpenBadgeCredential.registrationNumberType)))
        let encoded = String(decoding: try JSONEncoder().encode(Self.credential(shares: false)), as: UTF8.self)
        #expect(!encoded.contains("12345625003"))
    }

    @Test func aSignedCredentialVerifiesWithThePublishedKeyAndATamperedOneDoesNot() async throws {
        let signer = try await Self.signer()
        let token = try await signer.sign(Self.credential())
        let verifier = try await CredentialVerifier(jwks: try Self.jwks(signer))

        let header = try Self.part(token, 0)
        let verified = try await verifier.verify(token)
        // One byte of the payload changed, signature kept.
        let parts = token.split(separator: ".").map(String.init)
        var payload = try #require(Base64URL.decode(parts[1]))
        let at = try #require(payload.firstIndex(of: UInt8(ascii: "W")))
        payload[at] = UInt8(ascii: "V")
        let tampered = [parts[0], Base64URL.encode(payload), parts[2]].joined(separator: ".")
        let otherKey = try await Self.signer().sign(Self.credential())

        #expect(Set(header.keys) == ["alg", "kid", "typ"] && header["alg"] as? String == "ES256" && header["typ"] as? String == "JWT")
        #expect(header["kid"] as? String == signer.keyID && signer.keyID.hasPrefix("https://academy.vivel.be/credentials/keys/"))
        #expect(verified.jti == "urn:uuid:6f1c2e0a-1111-4222-8333-944455556666" && verified.sub == verified.credentialSubject.id)
        #expect(verified.iss == "https://academy.vivel.be/credentials/issuer")
        await #expect(throws: (any Error).self) { try await verifier.verify(tampered) }
        await #expect(throws: (any Error).self) { try await verifier.verify(otherKey) }
    }

    @Test func claimsThatDisagreeWithTheCredentialAreRefused() async throws {
        let signer = try await Self.signer()
        let credential = Self.credential()
        var claims = CredentialClaims(issuer: credential.issuer.id, id: credential.id, subject: credential.credentialSubject.id,
                                      validFrom: credential.validFrom, validUntil: nil)
        claims.iss = "https://elsewhere.example/issuer"
        let wrongIssuer = try await signer.sign(credential, claims: claims)
        var expired = credential
        expired.validUntil = "2020-01-01T00:00:00Z"
        let expiredToken = try await signer.sign(expired)
        let verifier = try await CredentialVerifier(jwks: try Self.jwks(signer))

        await #expect(throws: VerifiedCredential.Mismatch.claim("iss")) { try await verifier.verify(wrongIssuer) }
        await #expect(throws: VerifiedCredential.Mismatch.expired) { try await verifier.verify(expiredToken) }
        #expect(try Self.part(expiredToken, 1)["exp"] as? Int == 1_577_836_800)
    }

    @Test func theKeyIdentifierIsTheRFC7638Thumbprint() {
        // The EC key of RFC 7517 appendix A.1; the expected value was computed apart, with Python's hashlib, over
        // {"crv","kty","x","y"} in that order without spaces (RFC 7638 §3.2).
        let thumbprint = PublicJWK.thumbprint(x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                                              y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
        #expect(thumbprint == "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U")
    }

    @Test(.enabled(if: canValidate, "needs ../shared/schemas and Python's jsonschema"))
    func signedCredentialsValidateAgainstTheOpenBadgesSchema() async throws {
        let signer = try await Self.signer()
        var payloads: [[String: Any]] = []
        for credential in [Self.credential(), Self.credential(shares: true, rubric: nil, index: nil)] {
            payloads.append(try Self.part(try await signer.sign(credential), 1))
        }
        // A control: without its subject a credential must be refused, or the check checks nothing.
        var broken = payloads[0]
        broken["credentialSubject"] = nil

        let result = try #require(try Self.validate(payloads, schema: Self.ob3Schema))
        let control = try #require(try Self.validate([broken], schema: Self.ob3Schema))

        #expect(result.status == 0, "\(result.output)")
        #expect(control.status == 1, "the broken credential was not refused: \(control.output)")
    }

    @Test(.enabled(if: canValidate, "needs ../shared/schemas and Python's jsonschema"))
    func theYearlyTranscriptValidatesAgainstTheCLRSchema() async throws {
        var second = RecordExportFormatTests.item(points: 2)
        second.id = UUID()
        second.activityNumber = "ACC-2"
        let credentials = [Self.credential(),
                           OpenBadgeCredential(record: second, statusIndex: 8, sharesRegistrationNumber: false, addresses: Self.addresses)]
        let transcript = try ClrCredential(learner: RecordExportFormatTests.item().learnerID, learnerName: "An Peeters", year: 2026,
                                           credentials: credentials, addresses: Self.addresses, issuedAt: Date())
        let signer = try await Self.signer()
        let token = try await signer.sign(transcript, claims: transcript.claims)
        let payload = try Self.part(token, 1)
        var broken = payload
        broken["credentialSubject"] = ["type": ["ClrSubject"]]

        let verified = try await CredentialVerifier(jwks: try Self.jwks(signer)).verify(token)
        let result = try #require(try Self.validate([payload], schema: Self.clrSchema))
        let control = try #require(try Self.validate([broken], schema: Self.clrSchema))

        #expect(verified.type.contains("ClrCredential") && verified.jti == ClrCredential.transcriptID(learner: RecordExportFormatTests.item().learnerID, year: 2026))
        #expect(((payload["credentialSubject"] as? [String: Any])?["verifiableCredential"] as? [Any])?.count == 2)
        #expect(result.status == 0, "\(result.output)")
        #expect(control.status == 1, "the broken transcript was not refused: \(control.output)")
    }

    @Test func aTranscriptHoldsOneLearnersCredentialsOfAYear() throws {
        var stranger = RecordExportFormatTests.item()
        stranger.learnerID = UUID()
        let theirs = OpenBadgeCredential(record: stranger, statusIndex: 1, sharesRegistrationNumber: false, addresses: Self.addresses)
        let learner = RecordExportFormatTests.item().learnerID

        #expect(throws: ClrCredential.Refusal.noCredentials(year: 2025)) {
            try ClrCredential(learner: learner, learnerName: "An", year: 2025, credentials: [], addresses: Self.addresses, issuedAt: Date())
        }
        #expect(throws: ClrCredential.Refusal.severalLearners) {
            try ClrCredential(learner: learner, learnerName: "An", year: 2026, credentials: [Self.credential(), theirs],
                              addresses: Self.addresses, issuedAt: Date())
        }
        #expect(ClrCredential.transcriptID(learner: learner, year: 2026) == ClrCredential.transcriptID(learner: learner, year: 2026))
        #expect(ClrCredential.transcriptID(learner: learner, year: 2026) != ClrCredential.transcriptID(learner: learner, year: 2025))
    }
}
