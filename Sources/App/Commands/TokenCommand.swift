import Fluent
import Vapor

/// `academy token create|list|revoke`: people's own API tokens (trainers publishing packages through
/// POST /api/v1/packages). Partners' tokens are `academy partner token-create`.
struct TokenCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] {
        ["create": CreateUserTokenCommand(), "list": ListUserTokensCommand(), "revoke": RevokeUserTokenCommand()]
    }
    var help: String { "Manages trainers' own API tokens (scope packages:write)" }

    static func user(_ email: String?, on db: any Database) async throws -> User {
        guard let text = email, let address = EmailAddress(text) else {
            throw CommandFailure("--user is missing or not an e-mail address (e.g. --user an@vivel.be)")
        }
        guard let user = try await User.query(on: db).filter(\.$email == address.value).first() else {
            throw CommandFailure("Nobody has the e-mail address '\(address.value)'")
        }
        return user
    }
}

struct CreateUserTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "user", help: "The trainer's e-mail address")
        var user: String?
        @Option(name: "scope", help: "What the token may do: packages:write (the default), courses:read or boards")
        var scope: String?
        @Option(name: "label", help: "What the token is for, e.g. 'Storyline export'")
        var label: String?
        @Option(name: "expires-days", help: "Days until the token expires (default 365; 0 = never)")
        var expiresDays: Int?
    }

    var help: String { "Issues a trainer an API token; it is shown once" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let user = try await TokenCommand.user(signature.user, on: db)
        let scope = signature.scope ?? UserAPIToken.packagesScope
        guard UserAPIToken.knownScopes.contains(scope) else {
            throw CommandFailure("--scope '\(scope)' is not known; use \(UserAPIToken.knownScopes.joined(separator: " or "))")
        }
        // Board staff are often learners on the platform: the boards API checks their board rights itself.
        guard user.role == .trainer || user.role == .admin || scope == UserAPIToken.boardsScope else {
            throw CommandFailure("\(user.email) is a learner; only trainers and admins get this scope (a board's staff may get --scope boards)")
        }
        let days = signature.expiresDays ?? 365
        guard days >= 0 else { throw CommandFailure("--expires-days must be 0 (never) or more") }
        let expiry = days == 0 ? nil : Date().addingTimeInterval(Double(days) * 86_400)
        let (token, secret) = UserAPIToken.make(userID: try user.requireID(), label: signature.label ?? "API token",
                                                scopes: [scope], expiresAt: expiry)
        try await token.create(on: db)
        context.console.print("Token for \(user.email), scope \(scope) (shown once, store it safely):")
        context.console.print(secret)
    }
}

struct ListUserTokensCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "user", help: "Only this person's tokens (e-mail address)")
        var user: String?
    }

    var help: String { "Lists trainers' API tokens" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        var query = UserAPIToken.query(on: db).with(\.$user).sort(\.$createdAt)
        if signature.user != nil {
            let userID = try await TokenCommand.user(signature.user, on: db).requireID()
            query = query.filter(\.$user.$id == userID)
        }
        let tokens = try await query.all()
        if tokens.isEmpty { context.console.print("No tokens; create one with `academy token create --user EMAIL`") }
        let now = Date()
        for token in tokens {
            let state = token.revokedAt != nil ? "revoked" : (token.isUsable(at: now) ? "active" : "expired")
            let expiry = token.expiresAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never"
            let used = token.lastUsedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "never"
            context.console.print("\(token.prefix)…\t\(token.user.email)\t\(token.label)\t\(token.scopes.joined(separator: ","))\t\(state)\texpires \(expiry)\tlast used \(used)")
        }
    }
}

struct RevokeUserTokenCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "prefix", help: "The token's first characters as `token list` shows them (vivel_xxxxxx)")
        var prefix: String
    }

    var help: String { "Revokes a trainer's API token at once" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let prefix = signature.prefix.trimmingCharacters(in: CharacterSet(charactersIn: "…. "))
        let matches = try await UserAPIToken.query(on: db).filter(\.$revokedAt == nil).all()
            .filter { $0.prefix.hasPrefix(prefix) || prefix.hasPrefix($0.prefix) }
        guard matches.count == 1, let token = matches.first else {
            throw CommandFailure(matches.isEmpty ? "No active token starts with '\(prefix)'" : "Several tokens start with '\(prefix)'; give more characters")
        }
        token.revokedAt = Date()
        try await token.save(on: db)
        context.console.print("Revoked \(token.prefix)… (\(token.label))")
    }
}
