import Crypto
import Vapor

/// Double-submit CSRF protection: a random token in an HttpOnly, SameSite=Lax cookie, repeated as the
/// hidden `_csrf` field of every form (or the `_csrf` query parameter, or the X-CSRF-Token header). A state-changing request whose field does not match is refused.
/// The JSON API is exempt: it authenticates with bearer tokens, never with cookies. So are the xAPI endpoint
/// and the cmi5 fetch URL, which course content calls with its launch's token, never with cookies.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "academy-csrf"
    static let fieldName = "_csrf"
    static let exemptPrefixes = ["/api/", "/xapi/", "/cmi5/fetch/"]
    let secureCookies: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[Self.cookieName]?.string
        let token = existing.flatMap { $0.count == 43 ? $0 : nil } ?? Self.makeToken()
        request.csrfToken = token
        if ![.GET, .HEAD, .OPTIONS].contains(request.method), !Self.exemptPrefixes.contains(where: request.url.path.hasPrefix) {
            // The query string and header come first: a streamed upload carries its token there, and reading
            // `content` would need the whole body in memory.
            let submitted = (try? request.query.get(String.self, at: Self.fieldName))
                ?? request.headers.first(name: "X-CSRF-Token")
                ?? (request.body.data != nil ? try? request.content.get(String.self, at: Self.fieldName) : nil)
            guard let existing, let submitted, Self.constantTimeEquals(existing, submitted) else {
                throw Abort(.forbidden, reason: "csrf")
            }
        }
        let response = try await next.respond(to: request)
        if existing != token {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: token, maxAge: 60 * 60 * 24 * 14, path: "/", isSecure: secureCookies,
                isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    static func makeToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

extension Request {
    private struct CSRFKey: StorageKey {
        typealias Value = String
    }

    var csrfToken: String {
        get { storage[CSRFKey.self] ?? "" }
        set { storage[CSRFKey.self] = newValue }
    }
}
