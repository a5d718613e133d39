import Foundation

/// Which accreditation records a completion earns, as plain values: one per accreditation of the course
/// version that counts on the day of completion (Europe/Brussels). Free of storage.
struct AccreditationIssue: Sendable, Equatable {
    struct Draft: Sendable, Equatable {
        /// Position of the accreditation in the version's list; with the completion it makes the issue key.
        var index: Int
        var body: String
        var activityNumber: String
        var organiserNumber: String?
        var points: Double
        var unit: String
        var rubric: String?
        var completedOn: CalendarDay
        var validUntil: String?
    }

    enum Waiting: Sendable, Equatable {
        /// The learner has not given a professional registration number yet; the records wait for it.
        case registrationNumber
    }

    var drafts: [Draft]
    var waiting: Waiting?

    static func decide(accreditations: [PackageAccreditation], completedAt: Date, registrationNumber: String?,
                       organiserNumbers: [String: String]) -> AccreditationIssue {
        let day = CalendarDay(completedAt)
        let drafts = accreditations.enumerated().compactMap { index, accreditation -> Draft? in
            // An activity counts only within the period the body accredited it for.
            if let from = accreditation.validFrom.flatMap(CalendarDay.init(iso:)), day < from { return nil }
            if let until = accreditation.validUntil.flatMap(CalendarDay.init(iso:)), day > until { return nil }
            return Draft(index: index, body: accreditation.body, activityNumber: accreditation.number,
                         organiserNumber: organiserNumbers[accreditation.body], points: accreditation.points,
                         unit: accreditation.unit, rubric: accreditation.rubric, completedOn: day,
                         validUntil: accreditation.validityMonths.map { CycleRenewal.lastDay(completedOn: day, months: $0).iso })
        }
        let hasNumber = !(registrationNumber ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        if !drafts.isEmpty && !hasNumber {
            return AccreditationIssue(drafts: drafts, waiting: .registrationNumber)
        }
        return AccreditationIssue(drafts: drafts, waiting: nil)
    }
}

/// Codes printed on certificates: ten characters of Crockford's base 32 (no I, L, O, U), in two groups,
/// easy to read aloud and to type; about 50 bits, drawn at random.
enum VerificationCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<10).map { _ in alphabet[Int(generator.next() % 32)] }
        return String(characters[0..<5]) + "-" + String(characters[5..<10])
    }

    /// Accepts what people type: lower case, spaces, no dash, O for 0 and I or L for 1.
    static func normalise(_ text: String) -> String? {
        var cleaned: [Character] = []
        for character in text.uppercased() where !" -".contains(character) {
            switch character {
            case "O": cleaned.append("0")
            case "I", "L": cleaned.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                cleaned.append(character)
            }
        }
        guard cleaned.count == 10 else { return nil }
        return String(cleaned[0..<5]) + "-" + String(cleaned[5..<10])
    }
}
