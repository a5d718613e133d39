@testable import App
import Fluent
import Foundation
import JWTKit
import Testing
import Vapor
import VaporTesting

/// Rotating the signing key: a new kid signs from then on, earlier keys stay in the JWKS so that credentials
/// signed before still verify, and a retired key drops out and its credentials are reported as such.
@Suite struct CredentialKeyRotationTests {
    static func signed(_ app: Application, _ record: AccreditationRecord) async throws -> String {
        try #require(try await app.credentialIssuance(on: app.db).issue([try RecordExportItem(record)]).first?.credential)
    }

    static func get(_ app: Application, _ path: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path)
    }

    static func kids(_ jwks: TestingHTTPResponse) throws -> [String] {
        try JSONDecoder().decode(JWKSet.self, from: Data(jwks.body.readableBytesView)).keys.map(\.kid)
    }

    static func path(_ kid: String) -> String {
        "/" + kid.split(separator: "/").dropFirst(2).joined(separator: "/")
    }

    @Test(arguments: TestDatabase.all)
    func earlierCredentialsVerifyAfterARotationUntilTheirKeyIsRetired(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let base = try await AccreditationRecordAPITests.base(app)
            let record = try await AccreditationRecordAPITests.record(base, body: "riziv-inami", name: "An Peeters", on: app.db)
            let before = try await Self.signed(app, record)
            let oldKid = try #require(CredentialKeyStore.keyID(of: before))

            let outcome = try await app.credentialKeyRotation(on: app.db).rotate(retirePreviousAfter: nil)
            let after = try await Self.signed(app, record)
            let newKid = try #require(CredentialKeyStore.keyID(of: after))
            let statusList = try await app.credentialIssuance(on: app.db).statusList()
            let jwks = try await Self.get(app, CredentialAddresses.jwksPath)
            let verifier = try await CredentialVerifier(jwks: jwks.body.string)

            #expect(newKid != oldKid && newKid == outcome.current.keyID)
            #expect(CredentialKeyStore.keyID(of: statusList) == newKid, "the status list is signed with the current key")
            #expect(try Self.kids(jwks) == [newKid, oldKid])
            _ = try await verifier.verify(before)
            _ = try await verifier.verify(after)
            #expect(try await Self.get(app, Self.path(oldKid)).status == .ok)
            let kept = try #require(outcome.previousKeyFile)
            #expect(FileManager.default.fileExists(atPath: kept))

            // Retiring in the future keeps the key published until then.
            let store = app.credentialKeyStore(on: app.db)
            let current = try await app.credentialKeyring.current()
            let later = Date().addingTimeInterval(86_400)
            try await store.retire(oldKid, after: later, current: current)
            let check = CredentialCheck(store: store, current: current)
            let stillPublished = try await check.check(before)
            #expect(stillPublished.trusted)
            #expect(try Self.kids(try await Self.get(app, CredentialAddresses.jwksPath)).contains(oldKid))

            // Retired since a minute ago: gone from the JWKS, 410 at its address, reported as retired.
            let past = Date().addingTimeInterval(-60)
            try await store.retire(oldKid, after: past, current: current)
            let retiredReport = try await check.check(before)
            let currentReport = try await check.check(after)
            let jwksAfterRetirement = try await Self.get(app, CredentialAddresses.jwksPath)
            let retiredKey = try await Self.get(app, Self.path(oldKid))

            #expect(try Self.kids(jwksAfterRetirement) == [newKid])
            #expect(retiredKey.status == .gone)
            if case .retired = retiredReport.standing {} else { Issue.record("expected retired, got \(retiredReport.standing)") }
            #expect(retiredReport.signatureChecked && retiredReport.signatureError == nil && !retiredReport.trusted)
            #expect(currentReport.standing == .current && currentReport.trusted)
            await #expect(throws: CredentialKeyStore.Failure.self) {
                try await store.retire(newKid, after: past, current: current)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aKeyFromTheEnvironmentIsReplacedByTheOperatorAndTheNewOneIsPublishedAtOnce(database: TestDatabase) async throws {
        let pem = ES256PrivateKey().pemRepresentation
        try await withAcademy(database, settings: { $0.credentialKeyPEM = pem }) { app in
            let oldKid = try await app.credentialKeyring.current().keyID

            let outcome = try await app.credentialKeyRotation(on: app.db).rotate(retirePreviousAfter: Date().addingTimeInterval(3_600))
            let jwks = try await Self.get(app, CredentialAddresses.jwksPath)
            let tampered = try await CredentialCheck(store: app.credentialKeyStore(on: app.db), current: try await app.credentialKeyring.current())
                .check("eyJhbGciOiJFUzI1NiJ9.e30.c2ln")

            #expect(outcome.pemForEnvironment.map { (try? ES256PrivateKey(pem: $0)) != nil } == true)
            #expect(outcome.previousKeyFile == nil)
            #expect(try await app.credentialKeyring.current().keyID == oldKid, "the environment decides until the operator changes it")
            #expect(Set(try Self.kids(jwks)) == [oldKid, outcome.current.keyID])
            #expect(tampered.standing == .unknown && !tampered.trusted)
        }
    }
}
