import Vapor

/// Decides the interface language of each request: the remembered choice (cookie), else the signed-in
/// user's preference, else the browser's Accept-Language, else Dutch.
struct LanguageMiddleware: AsyncMiddleware {
    static let cookieName = "academy-lang"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.language = Self.language(for: request)
        return try await next.respond(to: request)
    }

    static func language(for request: Request) -> Language {
        if let cookie = request.cookies[cookieName]?.string, let language = Language(rawValue: cookie) {
            return language
        }
        if let user = request.auth.get(User.self), let language = Language(rawValue: user.preferredLanguage) {
            return language
        }
        if let header = request.headers.first(name: .acceptLanguage), let language = Language.negotiate(acceptLanguage: header) {
            return language
        }
        return .default
    }
}

extension Request {
    private struct LanguageKey: StorageKey {
        typealias Value = Language
    }

    var language: Language {
        get { storage[LanguageKey.self] ?? .default }
        set { storage[LanguageKey.self] = newValue }
    }

    /// A message from the catalogue in this request's language.
    func t(_ key: String, _ arguments: String...) -> String {
        MessageCatalogue.text(key, language, arguments)
    }
}
