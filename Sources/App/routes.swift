import Fluent
import SQLKit
import Vapor

func routes(_ app: Application) throws {
    app.get("healthz") { _ in "ok" }
    app.get("readyz") { req async throws -> Response in
        do {
            if let sql = req.db as? any SQLDatabase {
                try await sql.raw("SELECT 1").run()
            }
            return Response(status: .ok, body: "ready")
        } catch {
            req.logger.warning("Database not reachable: \(String(reflecting: error))")
            return Response(status: .serviceUnavailable, body: "database unreachable")
        }
    }
    try app.register(collection: CatalogueController())
    try app.register(collection: AccountController())
    try app.register(collection: LearningController())
    try app.register(collection: CourseAPIController())
    try app.register(collection: AccreditationRecordAPIController())
    try app.register(collection: ContentController())
    try app.register(collection: ScormRuntimeController())
    try app.register(collection: TrainerPackagesController())
    try app.register(collection: CourseVersionsController())
    try app.register(collection: PackageAPIController())
    try app.register(collection: TrainerTokensController())
    try app.register(collection: CertificateController())
    try app.register(collection: LearnerRecordsController())
    try app.register(collection: TwoFactorController())
    try app.register(collection: WorkspaceController())
    try app.register(collection: UserAdminController())
    try app.register(collection: AuditLogController())
    try app.register(collection: SiteSettingsController())
    try app.register(collection: SessionsController())
    try app.register(collection: PlayerController())
    try app.register(collection: Cmi5LaunchController())
    try app.register(collection: XAPIController())
    try app.register(collection: CredentialController())
    try app.register(collection: PartnerAdminController())
    try app.register(collection: BoardAdminController())
    try app.register(collection: CareBoardAPIController())
    try app.register(collection: GroupAdminController())
    try app.register(collection: EnrolmentAdminController())
    try app.register(collection: TrainerCoursesController())
    try app.register(collection: CourseSettingsController())
    try app.register(collection: AccessRuleFormController())
    try app.register(collection: CourseAudienceController())
    try app.register(collection: EnrolmentRoundController())
    try app.register(collection: AccountMergeController())
    if Environment.get("ACADEMY_BENCHMARK_BASELINE") == "1" {
        try app.register(collection: BenchmarkBaseline())
    }
}
