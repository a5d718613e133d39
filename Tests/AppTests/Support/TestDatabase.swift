@testable import App
import FluentPostgresDriver
import Foundation
import Testing
import Vapor
import Logging
import NIOCore
import NIOPosix

/// The databases every database test runs on: embedded SQLite always, PostgreSQL too when
/// ACADEMY_TEST_POSTGRES_URL names a server (CI starts one). Each test gets a database of its own,
/// on PostgreSQL copied from a template migrated once per test run.
enum TestDatabase: String, CustomTestStringConvertible, Sendable, CaseIterable {
    case sqlite
    case postgres

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["ACADEMY_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    static var all: [TestDatabase] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }
}

/// Creates and drops the per-test PostgreSQL databases.
actor PostgresTestDatabases {
    static let shared = PostgresTestDatabases()

    private var template: Task<String, any Error>?
    private static let logger = Logger(label: "test-postgres")

    struct Server {
        var host: String
        var port: Int
        var user: String
        var password: String?
        var database: String

        init(url: String) {
            let components = URLComponents(string: url)
            host = components?.host ?? "127.0.0.1"
            port = components?.port ?? 5432
            user = components?.user ?? "postgres"
            password = components?.password
            database = String((components?.path ?? "/postgres").dropFirst())
        }

        func url(database name: String) -> String {
            let credentials = password.map { "\(user):\($0)" } ?? user
            return "postgres://\(credentials)@\(host):\(port)/\(name)?sslmode=disable"
        }
    }

    func makeDatabase(serverURL: String) async throws -> String {
        let server = Server(url: serverURL)
        let template = try await templateDatabase(server)
        let name = "academy_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await execute("CREATE DATABASE \(name) TEMPLATE \(template)", on: server)
        return server.url(database: name)
    }

    func dropDatabase(url: String) async throws {
        let server = Server(url: url)
        var admin = server
        admin.database = "postgres"
        try await execute("DROP DATABASE IF EXISTS \(server.database) WITH (FORCE)", on: admin)
    }

    /// One template per test run; the actor hands every caller the same task, since it is re-entered while waiting.
    private func templateDatabase(_ server: Server) async throws -> String {
        if let template { return try await template.value }
        let task = Task { try await Self.createTemplate(server) }
        template = task
        return try await task.value
    }

    private static func createTemplate(_ server: Server) async throws -> String {
        let name = "academy_template_\(ProcessInfo.processInfo.processIdentifier)_\(Int(Date().timeIntervalSince1970))"
        try await execute("CREATE DATABASE \(name)", on: server)
        // Migrate the template once through the real app, then leave it unconnected so it can be copied.
        let app = try await Application.make(.testing)
        do {
            var settings = AcademySettings.testing
            settings.database = .postgres(url: server.url(database: name))
            try await configure(app, settings: settings)
            try await app.autoMigrate()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        return name
    }

    private func execute(_ sql: String, on server: Server) async throws {
        try await Self.execute(sql, on: server)
    }

    private static func execute(_ sql: String, on server: Server) async throws {
        let configuration = PostgresConnection.Configuration(
            host: server.host, port: server.port, username: server.user, password: server.password,
            database: server.database, tls: .disable)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

extension AcademySettings {
    static var testing: AcademySettings {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        return AcademySettings(database: .sqliteInMemory, dataDirectory: NSTemporaryDirectory() + "academy-test-\(UUID().uuidString)",
                               coursesDirectory: root + "/courses", baseURL: "http://localhost:8080",
                               seedOnFirstStart: false, academyName: "VIVEL Academy",
                               // Suites sign staff in with a password only; TwoFactorTests turn it on.
                               staffTwoFactor: false)
    }
}
