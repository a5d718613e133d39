@testable import App
import Foundation
import Testing

@Suite struct RegistrationNumberTests {
    @Test func olderNumbersUseModulo97() {
        // 123456 mod 97 = 72, so the check digits are 97 - 72 = 25.
        #expect(RegistrationNumber.check("12345625001") == .valid(RegistrationNumber(digits: "12345625001"), .modulo97))
    }

    @Test func newerNumbersUseModulo89() {
        // 123456 mod 89 = 13, so the check digits are 89 - 13 = 76.
        #expect(RegistrationNumber.check("1-23456-76-001") == .valid(RegistrationNumber(digits: "12345676001"), .modulo89))
    }

    @Test func separatorsPeopleTypeAreIgnored() {
        #expect(RegistrationNumber.check(" 1.23456.25.001 ") == .valid(RegistrationNumber(digits: "12345625001"), .modulo97))
        #expect(RegistrationNumber.check("1/23456/25/001") == .valid(RegistrationNumber(digits: "12345625001"), .modulo97))
    }

    @Test func checkDigitsFittingNeitherRuleAskForConfirmation() {
        #expect(RegistrationNumber.check("12345600001") == .unverifiedCheckDigits(RegistrationNumber(digits: "12345600001")))
    }

    @Test func wrongLengthAndLettersAreRefusedWithTheReason() {
        #expect(RegistrationNumber.check("1234562500") == .invalid(.wrongLength(10)))
        #expect(RegistrationNumber.check("123456250011") == .invalid(.wrongLength(12)))
        #expect(RegistrationNumber.check("12345A25001") == .invalid(.notDigits("A")))
        #expect(RegistrationNumber.check("   ") == .invalid(.empty))
    }

    @Test func theFirstEightDigitsIdentifyThePerson() {
        let number = RegistrationNumber(digits: "12345625001")
        #expect(number.personKey == "12345625")
        #expect(number.qualificationCode == "001")
        #expect(number.formatted == "1-23456-25-001")
    }
}

@Suite struct LoginThrottlePolicyTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func failuresSlowDownThenLock() {
        let policy = LoginThrottlePolicy(lockAfter: 5)
        var state: LoginThrottlePolicy.State?
        var delays: [TimeInterval] = []
        for attempt in 0..<4 {
            state = policy.recordingFailure(state, now: start.addingTimeInterval(Double(attempt)))
            delays.append(policy.delay(for: state, now: start.addingTimeInterval(Double(attempt))))
        }
        #expect(delays == [0, 0, 0.25, 0.5])
        #expect(policy.isLocked(state, now: start) == nil)

        state = policy.recordingFailure(state, now: start.addingTimeInterval(5))

        #expect(policy.isLocked(state, now: start.addingTimeInterval(6)) == start.addingTimeInterval(5 + 15 * 60))
        #expect(policy.isLocked(state, now: start.addingTimeInterval(5 + 15 * 60 + 1)) == nil)
    }

    @Test func failuresOutsideTheWindowStartAgain() {
        let policy = LoginThrottlePolicy(lockAfter: 5)
        let old = LoginThrottlePolicy.State(failures: 4, windowStartedAt: start)

        let next = policy.recordingFailure(old, now: start.addingTimeInterval(16 * 60))

        #expect(next.failures == 1)
        #expect(next.lockedUntil == nil)
    }
}

@Suite struct AccountValidationTests {
    func input(name: String = "An Peeters", email: String = "an@zorgraad.be", password: String? = "lange zin om te onthouden",
               profession: String = "gp", number: String = "", confirm: Bool = false) -> AccountInput {
        AccountInput(name: name, email: email, password: password, profession: profession, registrationNumber: number,
                     confirmRegistrationNumber: confirm)
    }

    @Test func aGoodFormHasNoProblems() {
        let outcome = AccountValidation().validate(input(number: "12345625001"))
        #expect(outcome.isValid)
        #expect(outcome.registrationNumber?.digits == "12345625001")
    }

    @Test func eachBadFieldIsNamed() {
        let outcome = AccountValidation().validate(input(name: " ", email: "an@", password: "kort", profession: "astronaut",
                                                         number: "123"))
        let fields = Set(outcome.problems.map(\.field))
        #expect(fields == ["name", "email", "password", "profession", "registrationNumber"])
        #expect(outcome.problems.contains(FieldProblem("registrationNumber", "form.error.riziv.length", ["3"])))
        #expect(outcome.problems.contains(FieldProblem("password", "form.error.password.short", ["10"])))
    }

    @Test func unverifiedNumberNeedsConfirmationOnce() {
        let first = AccountValidation().validate(input(number: "12345600001"))
        let confirmed = AccountValidation().validate(input(number: "12345600001", confirm: true))

        #expect(first.needsNumberConfirmation)
        #expect(first.problems.map(\.key) == ["form.error.riziv.unverified"])
        #expect(confirmed.isValid)
    }

    @Test func commonPasswordsAndTheEmailItselfAreRefused() {
        #expect(AccountValidation().validate(input(password: "Wachtwoord123")).problems.map(\.key) == ["form.error.password.common"])
        #expect(AccountValidation().validate(input(email: "annelies@zorg.be", password: "annelies-2026-x"))
            .problems.map(\.key) == ["form.error.password.email"])
    }
}
