import Foundation

/// One thing wrong with a form field, as a message key and its arguments, rendered in the reader's language.
public struct FieldProblem: Sendable, Equatable {
    public var field: String
    public var key: String
    public var arguments: [String]

    public init(_ field: String, _ key: String, _ arguments: [String] = []) {
        self.field = field
        self.key = key
        self.arguments = arguments
    }
}

/// What a person typed into the registration or profile form.
public struct AccountInput: Sendable {
    public var name: String
    public var email: String
    public var password: String?
    public var profession: String
    public var registrationNumber: String
    public var confirmRegistrationNumber: Bool

    public init(name: String, email: String, password: String?, profession: String, registrationNumber: String,
                confirmRegistrationNumber: Bool) {
        self.name = name
        self.email = email
        self.password = password
        self.profession = profession
        self.registrationNumber = registrationNumber
        self.confirmRegistrationNumber = confirmRegistrationNumber
    }
}

/// Checks account forms and says, per field, what is wrong and how to fix it.
public struct AccountValidation: Sendable {
    public var passwordPolicy = PasswordPolicy()

    public init() {}

    public struct Outcome: Sendable {
        public var problems: [FieldProblem]
        public var email: EmailAddress?
        public var registrationNumber: RegistrationNumber?
        /// The number's check digits fit no known rule: the form shows a confirmation box.
        public var needsNumberConfirmation: Bool
        public var isValid: Bool { problems.isEmpty }
    }

    public func validate(_ input: AccountInput) -> Outcome {
        var problems: [FieldProblem] = []
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            problems.append(.init("name", "form.error.name.missing"))
        } else if name.count > 120 {
            problems.append(.init("name", "form.error.name.long", ["120"]))
        }
        let email = EmailAddress(input.email)
        if input.email.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init("email", "form.error.email.missing"))
        } else if email == nil {
            problems.append(.init("email", "form.error.email.invalid"))
        }
        if let password = input.password {
            for problem in passwordPolicy.problems(password: password, email: email?.value ?? input.email) {
                switch problem {
                case .tooShort(let minimum): problems.append(.init("password", "form.error.password.short", [String(minimum)]))
                case .tooLong(let maximum): problems.append(.init("password", "form.error.password.long", [String(maximum)]))
                case .tooCommon: problems.append(.init("password", "form.error.password.common"))
                case .containsEmail: problems.append(.init("password", "form.error.password.email"))
                }
            }
        }
        if Profession(rawValue: input.profession) == nil {
            problems.append(.init("profession", "form.error.profession.missing"))
        }
        var number: RegistrationNumber?
        var needsConfirmation = false
        if !input.registrationNumber.trimmingCharacters(in: .whitespaces).isEmpty {
            switch RegistrationNumber.check(input.registrationNumber) {
            case .valid(let valid, _):
                number = valid
            case .unverifiedCheckDigits(let unverified):
                number = unverified
                if !input.confirmRegistrationNumber {
                    needsConfirmation = true
                    problems.append(.init("registrationNumber", "form.error.riziv.unverified"))
                }
            case .invalid(.wrongLength(let count)):
                problems.append(.init("registrationNumber", "form.error.riziv.length", [String(count)]))
            case .invalid(.notDigits(let characters)):
                problems.append(.init("registrationNumber", "form.error.riziv.digits", [characters]))
            case .invalid(.empty):
                break
            }
        }
        return Outcome(problems: problems, email: email, registrationNumber: number,
                       needsNumberConfirmation: needsConfirmation)
    }
}
