import Fluent
import Foundation

/// Registers partners and issues and revokes their API tokens: the rules shared by `academy partner` and
/// the admin pages. Refusals name the field and a message key, so the pages show them on the form and the
/// command line prints them in English.
struct PartnerDesk: Sendable {
    let database: any Database

    /// What an admin typed; lists are comma-separated.
    struct PartnerInput: Sendable, Equatable {
        var name: String
        var contact: String = ""
        var bodies: String = ""
        var courses: String = ""
    }

    struct TokenInput: Sendable, Equatable {
        var label: String = ""
        /// Days until the token expires; empty means the default, 0 never.
        var expiresDays: String = ""
    }

    struct Refused: Error, CustomStringConvertible {
        let problems: [FieldProblem]

        /// In English, with the command line's option names.
        var description: String {
            problems.map { "--\(Self.option($0.field)): " + MessageCatalogue.text($0.key, .en, $0.arguments) }
                .joined(separator: "\n")
        }

        static func option(_ field: String) -> String {
            field == "expiresDays" ? "expires-days" : field
        }
    }

    static let defaultExpiryDays = 365
    static let maximumExpiryDays = 3650

    /// Checks everything first and refuses with every problem at once; nothing is written then.
    func addPartner(_ input: PartnerInput, now: Date = Date()) async throws -> Partner {
        var problems: [FieldProblem] = []
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            problems.append(FieldProblem("name", "partners.error.name.missing"))
        } else if try await Partner.query(on: database).filter(\.$name == name).count() > 0 {
            problems.append(FieldProblem("name", "partners.error.name.taken", [name]))
        }
        let contact = input.contact.trimmingCharacters(in: .whitespacesAndNewlines)
        if !contact.isEmpty, EmailAddress(contact) == nil {
            problems.append(FieldProblem("contact", "partners.error.contact.invalid", [contact]))
        }
        let bodies = Self.list(input.bodies)
        for body in bodies where !Self.isBodyKey(body) {
            problems.append(FieldProblem("bodies", "partners.error.body.invalid", [body]))
        }
        var courseIDs: [UUID] = []
        for slug in Self.list(input.courses) {
            if let course = try await Course.query(on: database).filter(\.$slug == slug).first() {
                courseIDs.append(try course.requireID())
            } else {
                problems.append(FieldProblem("courses", "partners.error.course.unknown", [slug]))
            }
        }
        if bodies.isEmpty && Self.list(input.courses).isEmpty {
            problems.append(FieldProblem("bodies", "partners.error.scope.empty"))
        }
        guard problems.isEmpty else { throw Refused(problems: problems) }
        let partner = Partner(name: name, contact: contact.isEmpty ? nil : contact, bodies: bodies, courseIDs: courseIDs, now: now)
        do {
            try await partner.create(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Refused(problems: [FieldProblem("name", "partners.error.name.taken", [name])])
        }
        return partner
    }

    /// A new token for the partner and its secret, which is shown once and never stored.
    func issueToken(for partner: Partner, _ input: TokenInput, now: Date = Date()) async throws -> (token: APIToken, secret: String) {
        let typed = input.expiresDays.trimmingCharacters(in: .whitespaces)
        let days: Int
        if typed.isEmpty {
            days = Self.defaultExpiryDays
        } else if let parsed = Int(typed), (0...Self.maximumExpiryDays).contains(parsed) {
            days = parsed
        } else {
            throw Refused(problems: [FieldProblem("expiresDays", "partners.error.expiry.invalid", [typed, String(Self.maximumExpiryDays)])])
        }
        let label = input.label.trimmingCharacters(in: .whitespacesAndNewlines)
        let expiry = days == 0 ? nil : now.addingTimeInterval(Double(days) * 86_400)
        let made = APIToken.make(partnerID: try partner.requireID(), label: label.isEmpty ? "API token" : label,
                                 expiresAt: expiry, now: now)
        try await made.token.create(on: database)
        return made
    }

    /// Revokes one of the partner's tokens (the admin pages know its id); revoking twice changes nothing.
    func revokeToken(id: UUID, of partnerID: UUID, now: Date = Date()) async throws -> APIToken? {
        guard let token = try await APIToken.query(on: database).filter(\.$id == id).filter(\.$partner.$id == partnerID).first() else {
            return nil
        }
        if token.revokedAt == nil {
            token.revokedAt = now
            try await token.save(on: database)
        }
        return token
    }

    /// Revokes the one active token that starts with `prefix` (as `partner list` shows it).
    func revokeToken(prefix typed: String, now: Date = Date()) async throws -> APIToken {
        let prefix = typed.trimmingCharacters(in: CharacterSet(charactersIn: "…. "))
        let matches = try await APIToken.query(on: database).filter(\.$revokedAt == nil).all()
            .filter { !prefix.isEmpty && ($0.prefix.hasPrefix(prefix) || prefix.hasPrefix($0.prefix)) }
        guard matches.count == 1, let token = matches.first else {
            throw Refused(problems: [FieldProblem("prefix", matches.isEmpty ? "partners.error.token.unknown" : "partners.error.token.ambiguous", [prefix])])
        }
        token.revokedAt = now
        try await token.save(on: database)
        return token
    }

    func partner(named name: String) async throws -> Partner {
        guard let partner = try await Partner.query(on: database).filter(\.$name == name).first() else {
            let known = try await Partner.query(on: database).sort(\.$name).all().map(\.name)
            throw Refused(problems: [FieldProblem("partner", known.isEmpty ? "partners.error.partner.none" : "partners.error.partner.unknown",
                                                  [name, known.joined(separator: ", ")])])
        }
        return partner
    }

    static func list(_ text: String?) -> [String] {
        var seen = Set<String>()
        return (text ?? "").split(whereSeparator: { $0 == "," || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Body keys as records carry them: "riziv-inami", "apb".
    static func isBodyKey(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// "active", "expired" or "revoked".
    static func state(of token: APIToken, at date: Date) -> String {
        token.revokedAt != nil ? "revoked" : (token.isUsable(at: date) ? "active" : "expired")
    }
}
