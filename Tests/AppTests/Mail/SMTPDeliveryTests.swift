@testable import App
import Fluent
import Foundation
import Testing
import VaporTesting

/// Mail really leaves through a real SMTP server (aiosmtpd, started per test): STARTTLS, AUTH PLAIN,
/// retries when the server is away, no retries when it refuses the recipient for good.
@Suite(.serialized) struct SMTPDeliveryTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Mail")

    /// aiosmtpd from PyPI; .ci/run installs it, so in CI its absence is a failure, not a skip.
    static let serverAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    final class MailServer: @unchecked Sendable {
        let port: Int
        let directory: URL
        private let process = Process()
        private let input = Pipe()

        init(port: Int, rejecting: String? = nil) throws {
            self.port = port
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", fixtures.appendingPathComponent("smtp-server.py").path, String(port), directory.path,
                                 fixtures.appendingPathComponent("localhost-cert.pem").path,
                                 fixtures.appendingPathComponent("localhost-key.pem").path, "an", "geheim"]
                + (rejecting.map { ["--reject-recipient", $0] } ?? [])
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            let ready = output.fileHandleForReading.availableData
            guard String(decoding: ready, as: UTF8.self).hasPrefix("ready") else {
                throw DescribedError(NSError(domain: "smtp-server did not start", code: 1))
            }
        }

        var mails: [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap {
                try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)
            }
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Away from PostgreSQL's CI port (25432) and the ephemeral range.
    static func freePort() -> Int { Int.random(in: 20_000...24_999) }

    static func withMail(_ database: TestDatabase, port: Int, _ test: (Application) async throws -> Void) async throws {
        try await withAcademy(database, settings: {
            $0.smtpURL = "smtp://an:geheim@localhost:\(port)"
            $0.smtpTrustedCertificatesFile = fixtures.appendingPathComponent("localhost-cert.pem").path
            $0.mailFrom = "VIVEL Academy <academy@vivel.be>"
        }, test)
    }

    static func requestReset(_ app: Application, email: String) async throws {
        let browser = Browser(app)
        var form = AccountPageTests.goodForm
        form["email"] = email
        try await browser.post("/register", form: form)
        try await browser.post("/logout", form: [:])
        try await browser.post("/password/forgot", form: ["email": email])
    }

    static func decodedBody(_ mail: String) -> String {
        let parts = mail.components(separatedBy: "\r\n\r\n")
        let base64 = parts.dropFirst().joined().components(separatedBy: .whitespacesAndNewlines).joined()
        return Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    @Test(arguments: TestDatabase.all)
    func aPasswordResetMailReachesTheServerOverTLSAndIsMarkedSent(database: TestDatabase) async throws {
        try #require(Self.serverAvailable || ProcessInfo.processInfo.environment["CI"] == nil, "aiosmtpd is missing in CI")
        guard Self.serverAvailable else { return }
        let server = try MailServer(port: Self.freePort())
        defer { server.stop() }
        try await Self.withMail(database, port: server.port) { app in
            try await Self.requestReset(app, email: "anais@example.be")

            let outcome = try await #require(app.outboxDelivery).deliverDue()
            let again = try await #require(app.outboxDelivery).deliverDue()
            let row = try #require(try await OutboxMail.query(on: app.db).first())
            let mail = try #require(server.mails.first)

            #expect(outcome == .init(sent: 1, failed: 0))
            #expect(again == .init(sent: 0, failed: 0), "a sent mail is not sent twice")
            #expect(row.sentAt != nil && row.attempts == 1 && row.lastError == nil)
            #expect(server.mails.count == 1)
            #expect(mail.contains("X-TLS: True") && mail.contains("X-Authenticated: True"))
            #expect(mail.contains("X-Envelope-From: academy@vivel.be") && mail.contains("X-Envelope-To: anais@example.be"))
            #expect(Self.decodedBody(mail).contains("/password/reset/"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aServerThatIsAwayIsTriedAgainLaterAndARefusedRecipientIsNot(database: TestDatabase) async throws {
        try #require(Self.serverAvailable || ProcessInfo.processInfo.environment["CI"] == nil, "aiosmtpd is missing in CI")
        guard Self.serverAvailable else { return }
        let port = Self.freePort()
        try await Self.withMail(database, port: port) { app in
            let delivery = try #require(app.outboxDelivery)
            try await Self.requestReset(app, email: "anais@example.be")
            try await app.mailer.send(to: "weg@example.be", subject: "Test", body: "Onbestelbaar")

            let whileAway = try await delivery.deliverDue()
            let afterAway = try await OutboxMail.query(on: app.db).sort(\.$createdAt).all()
            let server = try MailServer(port: port, rejecting: "weg@example.be")
            defer { server.stop() }
            let tooEarly = try await delivery.deliverDue()
            let later = try await delivery.deliverDue(now: Date().addingTimeInterval(61))
            let muchLater = try await delivery.deliverDue(now: Date().addingTimeInterval(86_400))
            let rows = try await OutboxMail.query(on: app.db).sort(\.$createdAt).all()

            #expect(whileAway == .init(sent: 0, failed: 2))
            #expect(afterAway.allSatisfy { $0.attempts == 1 && $0.lastError?.contains("connect") == true })
            #expect(tooEarly == .init(sent: 0, failed: 0), "nothing is retried before its time")
            #expect(later == .init(sent: 1, failed: 1))
            #expect(muchLater == .init(sent: 0, failed: 0), "a recipient refused for good is not tried again")
            #expect(rows[0].sentAt != nil)
            #expect(rows[1].sentAt == nil && rows[1].attempts == OutboxDelivery.maximumAttempts)
            #expect(rows[1].lastError?.contains("550") == true)
            #expect(server.mails.count == 1)
        }
    }
}
