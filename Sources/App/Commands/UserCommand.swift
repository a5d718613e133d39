import Fluent
import Vapor

/// `academy user create --email E --name N --role learner|trainer|admin [--password-stdin]`
struct UserCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["create": CreateUserCommand()] }
    var help: String { "Manages accounts" }
}

struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "E-mail address, used to sign in")
        var email: String?
        @Option(name: "name", help: "Full name")
        var name: String?
        @Option(name: "role", help: "learner, trainer or admin (default learner)")
        var role: String?
        @Option(name: "profession", help: "Profession key, e.g. gp or care-board-staff (default other)")
        var profession: String?
        @Flag(name: "password-stdin", help: "Read the password from standard input instead of asking for it")
        var passwordStdin: Bool
    }

    var help: String { "Creates an account" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let emailText = signature.email, let email = EmailAddress(emailText) else {
            throw CommandFailure("--email is missing or not an e-mail address (e.g. --email jan@zorgraad.be)")
        }
        guard let name = signature.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw CommandFailure("--name is missing (e.g. --name \"Jan Peeters\")")
        }
        guard let role = User.Role(rawValue: signature.role ?? "learner") else {
            throw CommandFailure("--role must be learner, trainer or admin, not '\(signature.role ?? "")'")
        }
        let profession = signature.profession ?? "other"
        guard Profession(rawValue: profession) != nil else {
            throw CommandFailure("--profession must be one of \(Profession.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let password: String
        if signature.passwordStdin {
            password = (readLine(strippingNewline: true) ?? "")
        } else {
            password = context.console.ask("Password (at least 10 characters):", isSecure: true)
        }
        let problems = PasswordPolicy().problems(password: password, email: email.value)
        guard problems.isEmpty else {
            throw CommandFailure("The password is refused: \(problems.map { "\($0)" }.joined(separator: ", ")). Use at least 10 characters that are not a common password")
        }
        if try await User.query(on: app.db).filter(\.$email == email.value).count() > 0 {
            throw CommandFailure("An account with \(email.value) exists already")
        }
        let user = User(email: email.value, name: name, passwordHash: try app.password.hash(password), role: role,
                        profession: profession)
        try await user.save(on: app.db)
        context.console.print("Created \(role.rawValue) \(email.value)")
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
