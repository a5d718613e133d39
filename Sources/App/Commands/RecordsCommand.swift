import Fluent
import Vapor

/// `academy records correct CODE --reason R [--points P] [--rubric X] [--activity N] [--registration-number N] [--name N] [--by EMAIL]`
/// `academy records revoke CODE --reason R [--by EMAIL]`
/// Records are never changed: both add a record that supersedes the one with that verification code.
struct RecordsCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["correct": CorrectRecordCommand(), "revoke": RevokeRecordCommand()] }
    var help: String { "Corrects or revokes accreditation records (append-only)" }

    static func author(_ email: String?, on db: any Database) async throws -> UUID? {
        guard let email else { return nil }
        guard let user = try await User.query(on: db).filter(\.$email == email.lowercased()).first() else {
            throw CommandFailure("--by \(email): no account has this e-mail address")
        }
        return try user.requireID()
    }
}

struct CorrectRecordCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "code", help: "The verification code of the record to correct, e.g. 7K3QD-M9XW2")
        var code: String
        @Option(name: "reason", help: "Why (kept with the record)")
        var reason: String?
        @Option(name: "points", help: "The right number of points")
        var points: String?
        @Option(name: "rubric", help: "The right rubric or domain")
        var rubric: String?
        @Option(name: "activity", help: "The right activity number")
        var activity: String?
        @Option(name: "registration-number", help: "The right professional registration number")
        var registrationNumber: String?
        @Option(name: "name", help: "The learner's name as it should read")
        var name: String?
        @Option(name: "by", help: "E-mail address of the admin who corrects")
        var by: String?
    }

    var help: String { "Adds a correction that supersedes a record" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var changes = RecordCorrection.Changes()
        if let text = signature.points {
            guard let points = Double(text.replacingOccurrences(of: ",", with: ".")) else {
                throw CommandFailure("--points must be a number such as 1.5, not '\(text)'")
            }
            changes.points = points
        }
        changes.rubric = signature.rubric
        changes.activityNumber = signature.activity
        changes.registrationNumber = signature.registrationNumber.map { $0.filter(\.isNumber) }
        changes.learnerName = signature.name
        do {
            let record = try await RecordCorrection(database: app.db).correct(
                code: signature.code, changes: changes, reason: signature.reason ?? "",
                by: try await RecordsCommand.author(signature.by, on: app.db))
            context.console.print("Corrected: the new record \(record.verificationCode) supersedes \(signature.code)")
        } catch let refusal as RecordCorrection.Refusal {
            throw CommandFailure(refusal.description)
        }
    }
}

struct RevokeRecordCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "code", help: "The verification code of the record to revoke")
        var code: String
        @Option(name: "reason", help: "Why (kept with the record)")
        var reason: String?
        @Option(name: "by", help: "E-mail address of the admin who revokes")
        var by: String?
    }

    var help: String { "Adds a revocation that supersedes a record" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        do {
            let record = try await RecordCorrection(database: app.db).revoke(
                code: signature.code, reason: signature.reason ?? "", by: try await RecordsCommand.author(signature.by, on: app.db))
            context.console.print("Revoked: \(signature.code) (revocation \(record.verificationCode))")
        } catch let refusal as RecordCorrection.Refusal {
            throw CommandFailure(refusal.description)
        }
    }
}
