@testable import App
import Fluent
import Foundation
import Testing

@Suite struct CareBoardRegisterTests {
    static let seedFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seed/care-boards.csv").path

    @Test func theSeedRegisterReadsWithUniqueCodesAndKnownProvinces() throws {
        let register = try CareBoardRegister.read(try Data(contentsOf: URL(fileURLWithPath: Self.seedFile)))

        let codes = register.entries.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(register.entries.count <= 60, "Flanders and Brussels have 60 primary care zones")
        #expect(Set(register.entries.map(\.province)) == Set(Province.known), "every province and Brussels has boards")
        #expect(register.entries.filter { $0.province == .brussel }.count == 1, "Brussels is one zone")
        #expect(register.entries.allSatisfy { $0.name.hasPrefix("Zorgraad ") && $0.zone.hasPrefix("Eerstelijnszone ") })
        let herkenrode = try #require(register.entries.first { $0.code == "ZR-HERKENRODE" })
        #expect(herkenrode.province == .limburg)
    }

    @Test func everyProblemIsListedWithItsLineAndNothingIsKept() throws {
        let text = """
            code;name;zone;province;email
            ZR-A;Zorgraad A;Eerstelijnszone A;limburg;info@zorgraad-a.be
            zr-b;Zorgraad B;Eerstelijnszone B;limburg;
            ZR-A;Zorgraad A bis;Eerstelijnszone A;limburg;
            ZR-C;;Eerstelijnszone C;luxemburg;geen-adres
            """

        #expect {
            try CareBoardRegister.read(Data(text.utf8))
        } throws: { error in
            guard let refused = error as? CareBoardRegister.Refused else { return false }
            return refused.problems.map(\.description) == [
                "line 3: code 'zr-b' must be upper-case letters, digits and hyphens, e.g. ZR-HERKENRODE",
                "line 4: code ZR-A is on line 2 already",
                "line 5: name is empty",
                "line 5: unknown province 'luxemburg'; valid: antwerpen, limburg, oost-vlaanderen, vlaams-brabant, west-vlaanderen, brussel",
                "line 5: 'geen-adres' is not an e-mail address",
            ]
        }
    }

    @Test func aHeaderWithoutTheProvinceIsRefused() {
        #expect(throws: CareBoardRegister.Refused.self) {
            try CareBoardRegister.read(Data("code,name,zone\nZR-A,Zorgraad A,Eerstelijnszone A\n".utf8))
        }
    }

    @Test(arguments: TestDatabase.all)
    func loadingTwiceChangesNothingAndAChangedNameIsUpdated(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let first = try await CareBoardLoader(file: Self.seedFile).load(on: app.db)
            let second = try await CareBoardLoader(file: Self.seedFile).load(on: app.db)
            let edited = NSTemporaryDirectory() + "care-boards-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: edited) }
            let original = try String(contentsOfFile: Self.seedFile, encoding: .utf8)
            try original.replacingOccurrences(of: "ZR-GENT,Zorgraad Gent,", with: "ZR-GENT,Zorgraad Gent (nieuw),")
                .write(toFile: edited, atomically: true, encoding: .utf8)
            let third = try await CareBoardLoader(file: edited).load(on: app.db)

            #expect(first.added.count == (original.split(separator: "\n").count - 1))
            #expect(second.added.isEmpty && second.changed.isEmpty && second.unchanged.count == first.added.count)
            #expect(third.changed == ["ZR-GENT"])
            let gent = try #require(try await CareBoard.query(on: app.db).filter(\.$code == "ZR-GENT").first())
            #expect(gent.name == "Zorgraad Gent (nieuw)")
            #expect(gent.province == "oost-vlaanderen")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aNewAcademyLoadsTheRegisterOnFirstStartOnly(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            app.academySettings.seedOnFirstStart = true
            app.academySettings.careBoardsFile = Self.seedFile
            app.environment.arguments = ["academy", "serve"]

            try await StartupTasks().didBootAsync(app)
            let gent = try #require(try await CareBoard.query(on: app.db).filter(\.$code == "ZR-GENT").first())
            gent.name = "Renamed by an operator"
            try await gent.save(on: app.db)
            try await StartupTasks().didBootAsync(app)

            let register = try CareBoardRegister.read(try Data(contentsOf: URL(fileURLWithPath: Self.seedFile)))
            #expect(try await CareBoard.query(on: app.db).count() == register.entries.count)
            #expect(try await CareBoard.query(on: app.db).filter(\.$code == "ZR-GENT").first()?.name == "Renamed by an operator",
                    "a later start leaves the boards alone; academy seed brings them back in line")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMissingRegisterDoesNotStopTheAcademy(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            app.academySettings.seedOnFirstStart = true
            app.academySettings.careBoardsFile = "/nonexistent/care-boards.csv"
            let noCourses = NSTemporaryDirectory() + "no-courses-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: noCourses, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: noCourses) }
            app.academySettings.coursesDirectory = noCourses
            app.environment.arguments = ["academy", "serve"]

            try await StartupTasks().didBootAsync(app)

            #expect(try await CareBoard.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedRegisterWritesNothing(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            let file = NSTemporaryDirectory() + "care-boards-\(UUID().uuidString).csv"
            defer { try? FileManager.default.removeItem(atPath: file) }
            try "code,name,zone,province\nZR-A,Zorgraad A,Eerstelijnszone A,limburg\nZR-B,Zorgraad B,Eerstelijnszone B,atlantis\n"
                .write(toFile: file, atomically: true, encoding: .utf8)

            await #expect(throws: CareBoardRegister.Refused.self) {
                try await CareBoardLoader(file: file).load(on: app.db)
            }
            #expect(try await CareBoard.query(on: app.db).count() == 0)
        }
    }
}
