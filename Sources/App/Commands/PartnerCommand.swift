import Fluent
import Vapor

/// `academy partner add|list|token-create|token-revoke`: partners that fetch accreditation records, and their tokens.
struct PartnerCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["add": AddPartnerCommand(), "list": ListPartnersCommand(), "token-create": CreateTokenCommand(),
         "token-revoke": RevokeTokenCommand()]
    }
    var help: String { "Manages partners that receive accreditation records, and their API tokens" }

    static func find(_ name: String, on db: any Database) async throws -> Partner {
        guard let partner = try await Partner.query(on: db).filter(\.$name == name).first() else {
            let known = try await Partner.query(on: db).sort(\.$name).all().map(\.name)
            throw CommandFailure("No partner is called '\(name)'" + (known.isEmpty ? "; add one with `academy partner add`" : ". Known: \(known.joined(separator: ", "))"))
        }
        return partner
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

struct AddPartnerCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "The partner's name, e.g. medi-Campus")
        var name: String?
        @Option(name: "contact", help: "Contact e-mail address")
        var contact: String?
        @Option(name: "bodies", help: "Accreditation bodies whose records it receives, comma-separated (e.g. riziv-inami,apb)")
        var bodies: String?
        @Option(name: "courses", help: "Course slugs whose records it receives, comma-separated")
        var courses: String?
    }

    var help: String { "Registers a partner and what it may receive" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard let name = signature.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw CommandFailure("--name is missing (e.g. --name medi-Campus)")
        }
        let bodies = PartnerCommand.list(signature.bodies)
        var courseIDs: [UUID] = []
        for slug in PartnerCommand.list(signature.courses) {
            guard let course = try await Course.query(on: db).filter(\.$slug == slug).first() else {
                throw CommandFailure("--courses: no course has the slug '\(slug)'")
            }
            courseIDs.append(try course.requireID())
        }
        guard !bodies.isEmpty || !courseIDs.isEmpty else {
            throw CommandFailure("Give --bodies and/or --courses: a partner without them would receive nothing")
        }
        if try await Partner.query(on: db).filter(\.$name == name).count() > 0 {
            throw CommandFailure("A partner called '\(name)' exists already")
        }
        try await Partner(name: name, contact: signature.contact, bodies: bodies, courseIDs: courseIDs).create(on: db)
        context.console.print("Added partner \(name): bodies [\(bodies.joined(separator: ", "))], \(courseIDs.count) course(s)")
    }
}

struct ListPartnersCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Lists partners and their tokens" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let partners = try await Partner.query(on: context.application.db).with(\.$tokens).sort(\.$name).all()
        if partners.isEmpty { context.console.print("No partners yet; add one with `academy partner add`") }
        let now = Date()
        for partner in partners {
            context.console.print("\(partner.name)\t bodies: \(partner.bodies.joined(separator: ",")) courses: \(partner.courseIDs.count)")
            for token in partner.tokens.sorted(by: { $0.createdAt < $1.createdAt }) {
                let state = token.revokedAt != nil ? "revoked" : (token.isUsable(at: now) ? "active" : "expired")
                let expiry = token.expiresAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never"
                let used = token.lastUsedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never"
                context.console.print("  \(token.prefix)…\t\(token.label)\t\(state)\texpires \(expiry)\tlast used \(used)")
            }
        }
    }
}

struct CreateTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "partner", help: "The partner's name")
        var partner: String
        @Option(name: "label", help: "What the token is for, e.g. 'nightly sync'")
        var label: String?
        @Option(name: "expires-days", help: "Days until the token expires (default 365; 0 = never)")
        var expiresDays: Int?
    }

    var help: String { "Issues an API token; it is shown once" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let partner = try await PartnerCommand.find(signature.partner, on: db)
        let days = signature.expiresDays ?? 365
        guard days >= 0 else { throw CommandFailure("--expires-days must be 0 (never) or more") }
        let expiry = days == 0 ? nil : Date().addingTimeInterval(Double(days) * 86_400)
        let (token, secret) = APIToken.make(partnerID: try partner.requireID(), label: signature.label ?? "API token", expiresAt: expiry)
        try await token.create(on: db)
        context.console.print("Token for \(partner.name) (shown once, store it safely):")
        context.console.print(secret)
    }
}

struct RevokeTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "prefix", help: "The token's first characters as `partner list` shows them (vivel_xxxxxx)")
        var prefix: String
    }

    var help: String { "Revokes an API token at once" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let prefix = signature.prefix.trimmingCharacters(in: CharacterSet(charactersIn: "…. "))
        let matches = try await APIToken.query(on: db).filter(\.$revokedAt == nil).all().filter { $0.prefix.hasPrefix(prefix) || prefix.hasPrefix($0.prefix) }
        guard matches.count == 1, let token = matches.first else {
            throw CommandFailure(matches.isEmpty ? "No active token starts with '\(prefix)'" : "Several tokens start with '\(prefix)'; give more characters")
        }
        token.revokedAt = Date()
        try await token.save(on: db)
        context.console.print("Revoked \(token.prefix)… (\(token.label))")
    }
}
