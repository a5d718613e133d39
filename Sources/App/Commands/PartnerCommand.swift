import Fluent
import Vapor

/// `academy partner add|list|token-create|token-revoke`: partners that fetch accreditation records, and their tokens.
struct PartnerCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["add": AddPartnerCommand(), "list": ListPartnersCommand(), "token-create": CreateTokenCommand(),
         "token-revoke": RevokeTokenCommand()]
    }
    var help: String { "Manages partners that receive accreditation records, and their API tokens" }

    /// The rules live in `PartnerDesk`, shared with the admin pages; its refusals print as command failures.
    static func find(_ name: String, on db: any Database) async throws -> Partner {
        try await desk { try await PartnerDesk(database: db).partner(named: name) }
    }

    static func desk<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let refused as PartnerDesk.Refused {
            throw CommandFailure(refused.description)
        }
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
        let input = PartnerDesk.PartnerInput(name: signature.name ?? "", contact: signature.contact ?? "",
                                             bodies: signature.bodies ?? "", courses: signature.courses ?? "")
        let partner = try await PartnerCommand.desk { try await PartnerDesk(database: context.application.db).addPartner(input) }
        context.console.print("Added partner \(partner.name): bodies [\(partner.bodies.joined(separator: ", "))], \(partner.courseIDs.count) course(s)")
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
                let state = PartnerDesk.state(of: token, at: now)
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
        @Option(name: "expires-days", help: "Days until the token expires (default 365, at most 3650; 0 = never)")
        var expiresDays: Int?
    }

    var help: String { "Issues an API token; it is shown once" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let partner = try await PartnerCommand.find(signature.partner, on: db)
        let input = PartnerDesk.TokenInput(label: signature.label ?? "", expiresDays: signature.expiresDays.map(String.init) ?? "")
        let (_, secret) = try await PartnerCommand.desk { try await PartnerDesk(database: db).issueToken(for: partner, input) }
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
        let token = try await PartnerCommand.desk { try await PartnerDesk(database: context.application.db).revokeToken(prefix: signature.prefix) }
        context.console.print("Revoked \(token.prefix)… (\(token.label))")
    }
}
