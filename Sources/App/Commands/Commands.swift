import Vapor

enum Commands {
    static func register(on app: Application) {
        app.asyncCommands.use(SeedCommand(), as: "seed")
        app.asyncCommands.use(UserCommand(), as: "user")
        app.asyncCommands.use(GenerateCoursesCommand(), as: "generate-courses")
        app.asyncCommands.use(ImportCommand(), as: "import")
        app.asyncCommands.use(MembersCommand(), as: "members")
        app.asyncCommands.use(RecordsCommand(), as: "records")
        app.asyncCommands.use(PartnerCommand(), as: "partner")
        app.asyncCommands.use(TokenCommand(), as: "token")
        app.asyncCommands.use(ImportBenchmarkCommand(), as: "import-benchmark")
        app.asyncCommands.use(ExportCommand(), as: "export")
        app.asyncCommands.use(CredentialsCommand(), as: "credentials")
        app.asyncCommands.use(GenerateRecordsCommand(), as: "generate-records")
        app.asyncCommands.use(GenerateParticipantsCommand(), as: "generate-participants")
    }
}
