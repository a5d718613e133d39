@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Signed credentials through the running academy, on both databases: the learner's badge and transcript,
/// verified with the keys the academy serves; the sharing choice; revocation in the served status list; and
/// the partners' ob3 export.
@Suite struct CredentialPageTests {
    static func body(_ response: TestingHTTPResponse) -> String {
        String(decoding: response.body.readableBytesView, as: UTF8.self)
    }

    static func verifier(_ app: Application) async throws -> CredentialVerifier {
        let jwks = try await Browser(app).get(CredentialRoute.jwks.path)
        #expect(jwks.status == .ok && jwks.headers.first(name: .contentType) == "application/jwk-set+json")
        return try await CredentialVerifier(jwks: Self.body(jwks))
    }

    static func record(_ app: Application, of completion: CourseCompletion) async throws -> AccreditationRecord {
        try #require(try await AccreditationRecord.query(on: app.db).filter(\.$completion.$id == completion.requireID()).first())
    }

    static func subject(_ token: String) throws -> [String: Any] {
        try #require(try OpenBadgeCredentialTests.part(token, 1)["credentialSubject"] as? [String: Any])
    }

    static func identityTypes(_ token: String) throws -> [String] {
        ((try subject(token)["identifier"] as? [[String: Any]]) ?? []).compactMap { $0["identityType"] as? String }
    }

    @Test(arguments: TestDatabase.all)
    func theLearnersBadgeComesFromTheCertificateAndVerifiesWithTheServedKey(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await CertificatePageTests.completed(app)
            let record = try await Self.record(app, of: done.completion)
            let badgePath = CredentialRoute.badge(record: try record.requireID()).path

            let certificate = try await done.browser.get(SiteRoute.certificate(id: try done.completion.requireID()).path)
            let badge = try await done.browser.get(badgePath)
            let token = Self.body(badge)
            let verified = try await Self.verifier(app).verify(token)
            let kid = try #require(try OpenBadgeCredentialTests.part(token, 0)["kid"] as? String)
            let key = try await Browser(app).get(String(kid.dropFirst(app.academySettings.baseURL.count)))
            let stranger = try await TrainerUploadTests.signIn(app, role: .learner, email: "jan@praktijk.be")
            let theirs = try await stranger.get(badgePath)

            #expect(Self.body(certificate).contains("href=\"\(badgePath)\""))
            #expect(badge.status == .ok && badge.headers.first(name: .contentType) == "application/vc+jwt")
            #expect(badge.headers.first(name: .contentDisposition)?.contains("badge-\(record.verificationCode).jwt") == true)
            #expect(verified.jti == "urn:uuid:" + (try record.requireID()).uuidString.lowercased())
            #expect(key.status == .ok && Self.body(key).contains(#""kid":"\#(kid)""#) && !Self.body(key).contains(#""d""#))
            #expect(try Self.identityTypes(token) == ["name"], "no registration number unless the learner shares it")
            #expect(theirs.status == .notFound)
            if OpenBadgeCredentialTests.canValidate {
                let result = try #require(try OpenBadgeCredentialTests.validate([try OpenBadgeCredentialTests.part(token, 1)],
                                                                                schema: OpenBadgeCredentialTests.ob3Schema))
                #expect(result.status == 0, "\(result.output)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theLearnersChoiceDecidesWhetherTheRegistrationNumberIsShared(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await CertificatePageTests.completed(app)
            let badgePath = CredentialRoute.badge(record: try await Self.record(app, of: done.completion).requireID()).path

            let before = try await done.browser.get("/my-learning")
            let forged = try await done.browser.post(CredentialRoute.sharing.path, form: ["share": "on"], csrf: false)
            let on = try await done.browser.post(CredentialRoute.sharing.path, form: ["share": "on"])
            let shared = Self.body(try await done.browser.get(badgePath))
            let after = try await done.browser.get("/my-learning")
            let off = try await done.browser.post(CredentialRoute.sharing.path, form: [:])
            let kept = Self.body(try await done.browser.get(badgePath))

            #expect(Self.body(before).contains("action=\"\(CredentialRoute.sharing.path)\"") && !Self.body(before).contains(" checked"))
            #expect(forged.status == .forbidden)
            #expect(on.status == .seeOther && off.status == .seeOther)
            #expect(try Self.identityTypes(shared).contains(OpenBadgeCredential.registrationNumberType))
            #expect(Self.body(after).contains(" checked"))
            #expect(try Self.identityTypes(kept) == ["name"])
            let user = try #require(try await User.find(done.user.requireID(), on: app.db))
            #expect(user.shareRegistrationNumber == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRevokedRecordsBitIsSetInTheServedStatusList(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await CertificatePageTests.completed(app)
            let record = try await Self.record(app, of: done.completion)
            let token = Self.body(try await done.browser.get(CredentialRoute.badge(record: try record.requireID()).path))
            let status = try #require(try OpenBadgeCredentialTests.part(token, 1)["credentialStatus"] as? [String: Any])
            let index = try #require((status["statusListIndex"] as? String).flatMap(Int.init))
            let verifier = try await Self.verifier(app)

            func servedList() async throws -> BitstringStatusList {
                let response = try await Browser(app).get(CredentialRoute.statusList.path)
                #expect(response.status == .ok && response.headers.first(name: .contentType) == "application/vc+jwt")
                let listToken = Self.body(response)
                let verified = try await verifier.verify(listToken)
                #expect(verified.type.contains("BitstringStatusListCredential") && verified.id == status["statusListCredential"] as? String)
                let subject = try #require(try OpenBadgeCredentialTests.part(listToken, 1)["credentialSubject"] as? [String: Any])
                #expect(subject["statusPurpose"] as? String == "revocation")
                return try BitstringStatusList(encodedList: try #require(subject["encodedList"] as? String))
            }
            let before = try await servedList()
            _ = try await RecordCorrection(database: app.db).revoke(code: record.verificationCode, reason: "Dubbel geregistreerd", by: nil)
            let after = try await servedList()

            #expect(status["type"] as? String == "BitstringStatusListEntry")
            #expect(!before.isSet(index))
            #expect(after.isSet(index) && after.length >= BitstringStatusList.minimumLength)
            #expect((0..<after.length).filter { after.isSet($0) } == [index], "only the revoked credential's bit")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theYearlyTranscriptAndTheBadgesDownloadFromMyLearning(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await CertificatePageTests.completed(app)
            let year = BrusselsTime.calendar.component(.year, from: Date())

            let page = Self.body(try await done.browser.get("/my-learning"))
            let transcript = try await done.browser.get(CredentialRoute.transcript(year: year).path)
            let badges = try await done.browser.get(CredentialRoute.badges.path)
            let empty = try await done.browser.get(CredentialRoute.transcript(year: 2001).path)
            let nonsense = try await done.browser.get("/my-learning/records?format=clr&year=soon")
            let token = Self.body(transcript)
            let verified = try await Self.verifier(app).verify(token)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(badges.body.readableBytesView)) as? [String: Any])
            let issued = try #require(document["credentials"] as? [[String: Any]])

            #expect(page.contains(CredentialRoute.transcript(year: year).path.replacingOccurrences(of: "&", with: "&amp;"))
                    || page.contains(CredentialRoute.transcript(year: year).path))
            #expect(transcript.status == .ok && verified.type == ["VerifiableCredential", "ClrCredential"])
            #expect(((try Self.subject(token))["verifiableCredential"] as? [Any])?.count == 1)
            #expect(issued.count == 1 && (issued.first?["credential"] as? String).map { $0.split(separator: ".").count } == 3)
            #expect(empty.status == .notFound && nonsense.status == .badRequest)
            if OpenBadgeCredentialTests.canValidate {
                let result = try #require(try OpenBadgeCredentialTests.validate([try OpenBadgeCredentialTests.part(token, 1)],
                                                                                schema: OpenBadgeCredentialTests.clrSchema))
                #expect(result.status == 0, "\(result.output)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func partnersReceiveSignedCredentialsAndRevocationsInTheirScope(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await AccreditationRecordAPITests.base(app)
            let first = try await AccreditationRecordAPITests.record(base, body: "riziv-inami", name: "Arts Een", on: app.db)
            try await AccreditationRecordAPITests.record(base, body: "apb", name: "Apotheker Een", on: app.db)
            _ = try await RecordCorrection(database: app.db).revoke(code: first.verificationCode, reason: "Fout", by: nil)
            let token = try await AccreditationRecordAPITests.partner(app, name: "medi-Campus", bodies: ["riziv-inami"])
            try await AccreditationRecordAPITests.settle(app)

            let json = try await AccreditationRecordAPITests.get(app, "/api/v1/accreditation-records?format=ob3", token: token)
            let ndjson = try await AccreditationRecordAPITests.get(app, "/api/v1/accreditation-records?format=ob3-ndjson", token: token)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(json.body.readableBytesView)) as? [String: Any])
            let entries = try #require(document["credentials"] as? [[String: Any]])
            let verifier = try await Self.verifier(app)
            let issued = try #require(entries.first?["credential"] as? String)
            let verified = try await verifier.verify(issued)
            let revocation = try #require(entries.last)
            let revokedStatus = try #require(revocation["revokedStatus"] as? [String: Any])
            let credentialStatus = try #require(try OpenBadgeCredentialTests.part(issued, 1)["credentialStatus"] as? [String: Any])

            #expect(json.status == .ok && entries.map { $0["kind"] as? String } == ["issued", "revocation"], "only riziv-inami records")
            #expect(verified.jti == "urn:uuid:" + (try first.requireID()).uuidString.lowercased())
            #expect(revocation["credential"] == nil && revocation["revokedCredential"] as? String == verified.jti)
            #expect(revokedStatus["statusListIndex"] as? String == credentialStatus["statusListIndex"] as? String)
            #expect(document["next"] as? String == json.headers.first(name: "Academy-Next-Cursor"))
            #expect(Self.body(ndjson).split(separator: "\n").count == 2)
            #expect(ndjson.headers.first(name: .contentType)?.hasPrefix("application/x-ndjson") == true)
            // The audit line is written once the body has gone out, which can be a moment after the client has it.
            var formats: [String] = []
            for _ in 0..<50 where formats.count < 2 {
                formats = try await ExportLog.query(on: app.db).all().map(\.format).sorted()
                if formats.count < 2 { try await Task.sleep(nanoseconds: 20_000_000) }
            }
            #expect(formats == ["ob3", "ob3-ndjson"])
        }
    }
}
