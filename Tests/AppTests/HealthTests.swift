@testable import App
import Testing
import VaporTesting

@Suite struct HealthTests {
    @Test(arguments: TestDatabase.all)
    func healthAndReadiness(database: TestDatabase) async throws {
        try await withAcademy(database) { app in
            try await app.testing().test(.GET, "healthz") { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "readyz") { res in
                #expect(res.status == .ok)
                #expect(res.body.string == "ready")
            }
        }
    }
}
