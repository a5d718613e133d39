import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

enum DatabaseSetup {
    static func use(_ choice: AcademySettings.DatabaseChoice, dataDirectory: String, on app: Application) throws {
        switch choice {
        case .sqlite(let path):
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
        case .sqliteInMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
        case .postgres(let url):
            var configuration = try SQLPostgresConfiguration(url: url)
            if url.contains("sslmode=disable") || !url.contains("sslmode") {
                configuration.coreConfiguration.tls = .disable
            }
            // One connection per event loop (the driver's default) lets a request that holds a transaction,
            // or a streaming export between pages, stall every other request on its loop. A burst of writers
            // queueing on one row lock may wait longer than the driver's 10 s for a connection: wait 30 s.
            app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4,
                                        connectionPoolTimeout: .seconds(30), sqlLogLevel: .debug), as: .psql)
        }
    }

    /// SQLite as the driver leaves it commits about 143 single rows a second (rollback journal,
    /// synchronous=FULL); WAL with synchronous=NORMAL about 22,000. WAL is a property of the file;
    /// synchronous and busy_timeout belong to each connection, and the driver keeps one per event loop.
    static func tuneSQLite(on app: Application) async throws {
        guard isSQLite(app.db) else { return }
        for eventLoop in app.eventLoopGroup.makeIterator() {
            let database = app.databases.database(logger: app.logger, on: eventLoop)
            guard let sql = database as? any SQLDatabase else { continue }
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA synchronous = NORMAL").run()
        }
    }

    static func isSQLite(_ database: any Database) -> Bool {
        (database as? any SQLDatabase)?.dialect.name == "sqlite"
    }
}
