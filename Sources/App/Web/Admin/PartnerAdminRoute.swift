import Vapor

/// Pages of the partners and their API tokens (admins), under /admin/partners.
/// Links are built from `path` and handlers registered from `Pattern`, as in `SiteRoute`.
enum PartnerAdminRoute: Sendable, Equatable {
    /// Every partner with its scope and tokens.
    case partners
    /// GET: the form to register a partner; POST: register it.
    case newPartner
    /// One partner: scope, tokens (revoke, create) and its export log.
    case partner(id: UUID)
    /// POST: issue a token; the answer shows the secret once.
    case createToken(partner: UUID)
    /// POST: revoke a token at once.
    case revokeToken(partner: UUID, token: UUID)

    var path: String {
        switch self {
        case .partners: return "/admin/partners"
        case .newPartner: return "/admin/partners/new"
        case .partner(let id): return "/admin/partners/\(id.uuidString.lowercased())"
        case .createToken(let id): return "/admin/partners/\(id.uuidString.lowercased())/tokens"
        case .revokeToken(let id, let token):
            return "/admin/partners/\(id.uuidString.lowercased())/tokens/\(token.uuidString.lowercased())/revoke"
        }
    }

    enum Pattern {
        static let partners: [PathComponent] = ["admin", "partners"]
        static let newPartner: [PathComponent] = ["admin", "partners", "new"]
        static let partner: [PathComponent] = ["admin", "partners", ":id"]
        static let createToken: [PathComponent] = ["admin", "partners", ":id", "tokens"]
        static let revokeToken: [PathComponent] = ["admin", "partners", ":id", "tokens", ":token", "revoke"]
    }
}
