import Fluent
import Vapor

/// On `serve`: tune SQLite, migrate the embedded database, and load the care board register and the
/// sample courses into a new academy.
struct StartupTasks: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        try await DatabaseSetup.tuneSQLite(on: app)
        let arguments = app.environment.arguments
        let settings = app.academySettings
        let embedded: Bool
        switch settings.database {
        case .sqlite, .sqliteInMemory: embedded = true
        case .postgres: embedded = false
        }
        // The embedded database is the newcomer's: bring it up to date for every command but `migrate` itself.
        let command = arguments.count > 1 ? arguments[1] : "serve"
        if embedded && !["migrate", "routes"].contains(command) {
            try await app.autoMigrate()
        }
        guard Self.isServing(arguments) else { return }
        if settings.seedOnFirstStart, try await CareBoard.query(on: app.db).count() == 0 {
            do {
                let result = try await CareBoardLoader(file: settings.careBoardsFile).load(on: app.db)
                app.logger.notice("Loaded care boards: \(result.summary)")
                await app.accessDirectory.invalidate()
            } catch let refused as CareBoardRegister.Refused {
                // The academy still serves; rules naming boards deny until the register is loaded.
                app.logger.error("Care boards not loaded: \(refused.description)")
            }
        }
        if settings.seedOnFirstStart, try await Course.query(on: app.db).count() == 0 {
            let result = try await SampleCourseLoader(directory: settings.coursesDirectory, logger: app.logger)
                .load(into: app)
            app.logger.notice("Loaded sample courses: \(result.summary)")
            await app.catalogue.invalidate()
        }
    }

    static func isServing(_ arguments: [String]) -> Bool {
        arguments.count <= 1 || arguments[1] == "serve" || arguments[1].hasPrefix("-")
    }
}
