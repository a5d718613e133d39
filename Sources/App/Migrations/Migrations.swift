import Fluent
import Vapor

enum Migrations {
    /// In order; landed migrations are never edited, later changes come as new `UpdateXAddY` migrations.
    static func register(on app: Application) {
        app.migrations.add(CreateUser())
        app.migrations.add(CreateCourse())
        app.migrations.add(CreateEnrolment())
        app.migrations.add(CreateAccountSupport())
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(CreateCareBoard())
        app.migrations.add(CreateAccessGroup())
        app.migrations.add(CreateEnrolmentSettings())
        app.migrations.add(UpdateCourseModuleAddRuntime())
        app.migrations.add(CreateModuleAttempt())
        app.migrations.add(CreateCourseCompletion())
        app.migrations.add(CreateAccreditationRecord())
        app.migrations.add(UpdateCourseCompletionAddVerificationCode())
        app.migrations.add(UpdateAccreditationRecordAddExportPosition())
        app.migrations.add(CreatePartner())
        app.migrations.add(CreateTwoFactorCredential())
        app.migrations.add(CreateCmi5Session())
        app.migrations.add(CreateXAPIStatement())
        app.migrations.add(CreateXAPIState())
        app.migrations.add(CreateCourseOwner())
        app.migrations.add(UpdateOutboxMailAddDelivery())
        app.migrations.add(CreateSignInSession())
        app.migrations.add(UpdateCourseVersionAddImportedBy())
        app.migrations.add(CreateUserAPIToken())
        app.migrations.add(CreateAuditEvent())
        app.migrations.add(CreateParticipantIndexes())
        app.migrations.add(CreateCredentialStatusEntry())
        app.migrations.add(UpdateUserAddShareRegistrationNumber())
        app.migrations.add(CreatePublishedSigningKey())
        app.migrations.add(CreateSiteProfile())
        app.migrations.add(UpdateEnrolmentAddCycle())
        app.migrations.add(UpdateModuleAttemptAddCycle())
        app.migrations.add(UpdateUserAddMergedInto())
    }
}
