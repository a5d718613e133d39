@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Completion and accreditation records on both databases: written once when the last required step is
/// recorded, also when the same completion arrives many times at once.
@Suite struct CompletionRecorderTests {
    struct Setup {
        let user: User
        let enrolment: Enrolment
    }

    static func setup(_ app: Application, registrationNumber: String? = "1-23456-78-901") async throws -> Setup {
        var package = TestCourses.package(slug: "wondzorg", title: "Wondzorg",
                                          accreditation: PackageAccreditation(body: "riziv-inami", number: "ACC-123", points: 1.5, rubric: "6"),
                                          modules: 3)
        package.additionalAccreditations = [PackageAccreditation(body: "apb", number: "APB-9", points: 2, unit: "points", rubric: "B")]
        package.modules[2].required = false
        let written = try await TestCourses.publish(package, on: app.db)
        let user = User(email: "an@praktijk.be", name: "An Peeters", passwordHash: "-", role: .learner, profession: "gp",
                        registrationNumber: registrationNumber)
        try await user.create(on: app.db)
        let version = try #require(try await CourseVersion.query(on: app.db).filter(\.$course.$id == written.courseID).first())
        let enrolment = Enrolment(userID: try user.requireID(), courseID: written.courseID, versionID: try version.requireID())
        try await enrolment.create(on: app.db)
        return Setup(user: user, enrolment: enrolment)
    }

    static func complete(_ module: String, of enrolment: Enrolment, on db: any Database) async throws {
        let attempt = try ModuleAttempt(enrolment: enrolment, moduleKey: module, kind: .page)
        attempt.completion = .completed
        attempt.completedAt = Date()
        try await attempt.create(on: db)
    }

    static func recorder(_ app: Application) -> CompletionRecorder {
        CompletionRecorder(database: app.db, organiserNumbers: ["riziv-inami": "ORG-77"])
    }

    @Test(arguments: TestDatabase.all)
    func theLastRequiredModuleCompletesTheCourseAndIssuesItsRecords(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.setup(app)
            let enrolmentID = try setup.enrolment.requireID()

            try await Self.complete("m1", of: setup.enrolment, on: app.db)
            let afterFirst = try await Self.recorder(app).attemptChanged(enrolmentID: enrolmentID)
            try await Self.complete("m2", of: setup.enrolment, on: app.db)
            let afterSecond = try await Self.recorder(app).attemptChanged(enrolmentID: enrolmentID)
            let again = try await Self.recorder(app).attemptChanged(enrolmentID: enrolmentID)

            #expect(afterFirst == nil, "one required module is still open")
            let completion = try #require(afterSecond)
            #expect(again?.id == completion.id)
            #expect(completion.cycle == 1)
            let evidence = try JSONDecoder.iso8601.decode(CompletionEvidence.self, from: Data(completion.evidenceJSON.utf8))
            #expect(evidence.steps.map(\.module) == ["m1", "m2"], "the optional m3 is not needed")
            let enrolment = try #require(try await Enrolment.find(enrolmentID, on: app.db))
            #expect(enrolment.status == .completed && enrolment.completedAt == completion.completedAt)

            let records = try await AccreditationRecord.query(on: app.db).sort(\.$body).all()
            #expect(records.map(\.body) == ["apb", "riziv-inami"])
            let riziv = try #require(records.last)
            #expect(riziv.registrationNumber == "1-23456-78-901" && riziv.learnerName == "An Peeters")
            #expect(riziv.activityNumber == "ACC-123" && riziv.points == 1.5 && riziv.rubric == "6" && riziv.unit == "CP")
            #expect(riziv.organiserNumber == "ORG-77" && records.first?.organiserNumber == nil)
            #expect(riziv.courseTitle == "Wondzorg" && riziv.versionNumber == 1 && riziv.kind == .issued)
            #expect(riziv.completedOn == CalendarDay(completion.completedAt).description)
            #expect(VerificationCode.normalise(riziv.verificationCode) == riziv.verificationCode)
            #expect(Set(records.map(\.verificationCode)).count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func recordsWaitForTheRegistrationNumberAndAreIssuedOnceItIsGiven(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.setup(app, registrationNumber: nil)
            try await Self.complete("m1", of: setup.enrolment, on: app.db)
            try await Self.complete("m2", of: setup.enrolment, on: app.db)

            let completion = try await Self.recorder(app).attemptChanged(enrolmentID: try setup.enrolment.requireID())
            let recordsBefore = try await AccreditationRecord.query(on: app.db).count()
            setup.user.registrationNumber = "1-23456-78-901"
            try await setup.user.save(on: app.db)
            try await Self.recorder(app).issueWaitingRecords(userID: try setup.user.requireID())
            try await Self.recorder(app).issueWaitingRecords(userID: try setup.user.requireID())
            let recordsAfter = try await AccreditationRecord.query(on: app.db).all()

            #expect(completion != nil)
            #expect(recordsBefore == 0, "no record without a registration number")
            #expect(recordsAfter.count == 2 && recordsAfter.allSatisfy { $0.registrationNumber == "1-23456-78-901" })
            #expect(recordsAfter.allSatisfy { $0.completedAt == completion?.completedAt }, "the record keeps the day of completion")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSameCompletionArrivingManyTimesAtOnceMakesOneCompletionAndOneRecordPerBody(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let setup = try await Self.setup(app)
            let enrolmentID = try setup.enrolment.requireID()
            try await Self.complete("m1", of: setup.enrolment, on: app.db)
            try await Self.complete("m2", of: setup.enrolment, on: app.db)

            let results = try await withThrowingTaskGroup(of: UUID?.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await Self.recorder(app).attemptChanged(enrolmentID: enrolmentID)?.requireID() }
                }
                return try await group.reduce(into: [UUID?]()) { $0.append($1) }
            }

            #expect(Set(results).count == 1 && results.allSatisfy { $0 != nil })
            #expect(try await CourseCompletion.query(on: app.db).count() == 1)
            #expect(try await AccreditationRecord.query(on: app.db).count() == 2)
        }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
