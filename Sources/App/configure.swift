import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import Vapor

/// Configures the academy from the process environment.
public func configure(_ app: Application) async throws {
    let settings = AcademySettings.fromEnvironment(
        ProcessInfo.processInfo.environment, workingDirectory: app.directory.workingDirectory)
    try await configure(app, settings: settings)
}

public func configure(_ app: Application, settings: AcademySettings) async throws {
    app.academySettings = settings
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys]
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(decoder: decoder, for: .json)
    if app.environment == .testing {
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { app.logger.logLevel = .warning }
        // bcrypt all the same, at the lowest cost, so that account tests stay quick.
        app.passwords.use(.bcrypt(cost: 4))
    }
    app.catalogue = CatalogueStore()
    app.accessDirectory = AccessDirectoryStore()
    app.siteProfiles = SiteProfileStore()
    app.courseLocks = CourseLocks()
    let keepsPages = Environment.get("ACADEMY_PAGE_CACHE") != "off"
    app.pageCache = RenderedPageCache(capacity: keepsPages ? 2_000 : 0)
    app.catalogueVerdicts = CatalogueVerdicts(capacity: keepsPages ? 5_000 : 0)
    try DatabaseSetup.use(settings.database, dataDirectory: settings.dataDirectory, on: app)
    Migrations.register(on: app)

    app.sessions.use { app in DatabaseSessionDriver(base: app.fluent.sessions.driver()) }
    app.sessions.configuration = SessionsConfiguration(cookieName: "academy-session") { id in
        HTTPCookies.Value(string: id.string, maxAge: 60 * 60 * 24 * 14, path: "/",
                          isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    app.directory.viewsDirectory = app.directory.workingDirectory + "templates/"
    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()

    app.middleware = Middlewares()
    let inFlight = InFlightRequests()
    app.lifecycle.use(inFlight)
    app.middleware.use(InFlightRequests.Middleware(requests: inFlight))
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(AcademyErrorMiddleware(environment: app.environment))
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.workingDirectory + "templates/static/",
                                      advancedETagComparison: true))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(User.sessionAuthenticator())
    app.middleware.use(SignInSessionMiddleware())
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(SiteProfileMiddleware())
    app.middleware.use(CSRFMiddleware(secureCookies: settings.secureCookies))
    app.middleware.use(StaffTwoFactorMiddleware())

    try routes(app)
    Commands.register(on: app)

    app.lifecycle.use(StartupTasks())
    try MailSetup.use(settings, on: app)
    app.lifecycle.use(StaleUploadSweeper())
    app.lifecycle.use(Cmi5SessionSweeper())
}

extension Application {
    private struct AcademySettingsKey: StorageKey {
        typealias Value = AcademySettings
    }

    var academySettings: AcademySettings {
        get {
            // configure(_:) sets them before any request; only a request still in flight while the app shuts
            // down (its storage already cleared) finds none, and gets the environment's rather than a crash.
            // Not `self.directory`: it lives in the core storage, which is gone by then too.
            storage[AcademySettingsKey.self]
                ?? .fromEnvironment(ProcessInfo.processInfo.environment,
                                    workingDirectory: DirectoryConfiguration.detect().workingDirectory)
        }
        set { storage[AcademySettingsKey.self] = newValue }
    }
}
