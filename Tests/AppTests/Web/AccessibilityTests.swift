@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Every kind of page, as a visitor, a learner and an admin sees it, checked by axe-core in headless
/// Chromium against WCAG 2.0 A and AA and WCAG 2.1 AA (the bundled axe-core has no 2.1 A tag): no serious or critical violation may remain.
/// axe-core comes from PyPI's axe-selenium-python (which bundles axe.min.js); .ci/run installs it.
@Suite(.serialized) struct AccessibilityTests {
    static let axeScript: String? = {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c",
                             "import axe_selenium_python, os; print(os.path.join(os.path.dirname(axe_selenium_python.__file__), 'node_modules', 'axe-core', 'axe.min.js'))"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        let path = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return try? String(contentsOfFile: path, encoding: .utf8)
    }()

    static var available: Bool { WebDriverSession.isAvailable && axeScript != nil }

    /// The serious and critical violations on the current page: "rule (impact): selector, selector".
    static func violations(_ chromium: WebDriverSession) async throws -> [String] {
        _ = try await chromium.execute(try #require(axeScript) + "\n;return true;")
        let script = """
            var done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } })
              .then(function (result) {
                done(result.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                  .map(function (v) { return v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 4).map(function (n) { return n.target.join(' '); }).join(', '); }));
              })
              .catch(function (error) { done(['axe failed: ' + error]); });
            """
        let value = try await chromium.call(.POST, "/session/\(chromium.sessionID)/execute/async", ["script": script, "args": [Any]()])
        return value as? [String] ?? ["axe gave no answer"]
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["CI"] != nil || AccessibilityTests.available,
                   "needs chromium, chromium-driver and PyPI's axe-selenium-python"),
          .timeLimit(.minutes(5)))
    func pagesHaveNoSeriousOrCriticalViolations() async throws {
        try #require(Self.available, "chromium, chromium-driver and axe-selenium-python are installed in CI")
        try await withAcademy(.sqlite) { app in
            try await TestCourses.publish(TestCourses.package(slug: "veilige-communicatie", title: "Veilige communicatie in zorg",
                                                              summary: "GDPR voor zorgverleners"), on: app.db)
            await app.catalogue.invalidate()
            let learner = Browser(app)
            try await BoardAccessPageTests.signUp(learner, email: "leerling@example.be")
            let admin = Browser(app)
            try await BoardAccessPageTests.signUp(admin, email: "beheer@example.be")
            let adminUser = try #require(try await User.query(on: app.db).filter(\.$email == "beheer@example.be").first())
            adminUser.role = .admin
            try await adminUser.save(on: app.db)
            _ = try await learner.post("/courses/veilige-communicatie/enrol", form: [:])

            let pages: [(who: Browser?, path: String)] = [
                (nil, "/"), (nil, "/courses/veilige-communicatie"), (nil, "/login"), (nil, "/register"),
                (nil, "/password/forgot"), (nil, "/verify"), (nil, "/does-not-exist"),
                (learner, "/my-learning"), (learner, "/profile"), (learner, "/account/sessions"),
                (learner, "/learn/veilige-communicatie"), (learner, "/account/two-factor"),
                (admin, "/workspace"), (admin, "/trainer/courses"), (admin, "/trainer/packages"),
                (admin, "/trainer/courses/veilige-communicatie/participants"),
                (admin, "/trainer/courses/veilige-communicatie/insight"),
                (admin, "/admin/users"), (admin, "/admin/audit"), (admin, "/admin/settings"), (admin, "/admin/boards"), (admin, "/admin/groups"),
                (admin, "/admin/partners"),
            ]
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let site = "http://127.0.0.1:\(port)"
            let chromium = try await WebDriverSession.start(client: app.client)
            var found: [String: [String]] = [:]
            do {
                for (who, path) in pages {
                    try await chromium.navigate(to: site + "/healthz")
                    _ = try await chromium.call(.DELETE, "/session/\(chromium.sessionID)/cookie", nil)
                    if let who, let session = who.cookies["academy-session"] {
                        try await chromium.addCookie(name: "academy-session", value: session)
                    }
                    try await chromium.navigate(to: site + path)
                    let problems = try await Self.violations(chromium)
                    if !problems.isEmpty { found[path] = problems }
                }
            } catch {
                await chromium.quit()
                await app.server.shutdown()
                throw error
            }
            await chromium.quit()
            await app.server.shutdown()

            #expect(found.isEmpty, "axe-core: \(found.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: "; "))" }.joined(separator: "\n"))")
        }
    }
}
