@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Corrections and revocations add records; the old ones stay as they were.
@Suite struct RecordCorrectionTests {
    @Test(arguments: TestDatabase.all)
    func aCorrectionSupersedesTheRecordAndLeavesItUntouched(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let done = try await CertificatePageTests.completed(app)
            let original = try #require(try await AccreditationRecord.query(on: app.db).first())
            let corrections = RecordCorrection(database: app.db)

            let corrected = try await corrections.correct(code: original.verificationCode.lowercased(),
                                                          changes: .init(points: 1, rubric: "2"), reason: "Verkeerde rubriek", by: nil)
            let again = await #expect(throws: RecordCorrection.Refusal.self) {
                try await corrections.correct(code: original.verificationCode, changes: .init(points: 2), reason: "Nog eens", by: nil)
            }
            let noReason = await #expect(throws: RecordCorrection.Refusal.self) {
                try await corrections.revoke(code: corrected.verificationCode, reason: " ", by: nil)
            }
            let oldPage = try await Browser(app).get("/verify/\(original.verificationCode)")
            let certificate = try await done.browser.get(SiteRoute.certificate(id: try done.completion.requireID()).path)
            let stored = try #require(try await AccreditationRecord.find(original.requireID(), on: app.db))

            #expect(corrected.kind == .correction && corrected.points == 1 && corrected.rubric == "2")
            #expect(corrected.$supersedes.id == original.id && corrected.reason == "Verkeerde rubriek")
            #expect(corrected.registrationNumber == original.registrationNumber && corrected.completedOn == original.completedOn)
            #expect(again == .alreadySuperseded(code: original.verificationCode, by: corrected.verificationCode))
            #expect(noReason == .reasonMissing)
            #expect(stored.points == 1.5 && stored.rubric == "6", "the original record is never changed")
            #expect(oldPage.body.string.contains("gecorrigeerd") && oldPage.body.string.contains("1 CP"))
            #expect(certificate.body.string.contains("1 CP") && !certificate.body.string.contains("1,5 CP"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoCorrectionsAtOnceMakeOne(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await CertificatePageTests.completed(app)
            let original = try #require(try await AccreditationRecord.query(on: app.db).first())

            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for points in [1.0, 2.0, 2.5, 3.0] {
                    group.addTask {
                        (try? await RecordCorrection(database: app.db).correct(
                            code: original.verificationCode, changes: .init(points: points), reason: "Punten", by: nil)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }

            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await AccreditationRecord.query(on: app.db).filter(\.$kind == .correction).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCommandRevokesAndSaysWhatIsWrong(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            _ = try await CertificatePageTests.completed(app)
            let original = try #require(try await AccreditationRecord.query(on: app.db).first())

            var missingReason = CommandContext(console: Terminal(), input: CommandInput(arguments: ["academy", "revoke", original.verificationCode]))
            missingReason.application = app
            let refused = await #expect(throws: CommandFailure.self) {
                try await app.asyncCommands.commands["records"]?.run(using: &missingReason)
            }
            var revoke = CommandContext(console: Terminal(), input: CommandInput(arguments: ["academy", "revoke", original.verificationCode,
                                                                                            "--reason", "Niet aanwezig"]))
            revoke.application = app
            try await app.asyncCommands.commands["records"]?.run(using: &revoke)

            #expect(refused?.description.contains("--reason") == true)
            let revocation = try #require(try await AccreditationRecord.query(on: app.db).filter(\.$kind == .revocation).first())
            #expect(revocation.$supersedes.id == original.id && revocation.reason == "Niet aanwezig")
        }
    }
}
