import Vapor

/// Turns every error into what the client can use: a friendly page in the visitor's language for
/// browsers, an RFC 9457 problem document for the JSON API. Internals never reach either.
struct AcademyErrorMiddleware: AsyncMiddleware {
    let environment: Environment

    struct Problem: Content {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String?
        var errors: [FieldProblem]?
    }

    struct FieldProblem: Content {
        var field: String
        var message: String
    }

    struct ErrorPage: Encodable {
        let page: PageContext
        let status: Int
        let heading: String
        let message: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, request: request)
        }
    }

    func response(for error: any Error, request: Request) async -> Response {
        let status: HTTPResponseStatus
        var reason: String?
        var headers = HTTPHeaders()
        switch error {
        case let abort as any AbortError:
            status = abort.status
            reason = abort.reason
            headers = abort.headers
        default:
            status = .internalServerError
        }
        if status.code >= 500 {
            request.logger.report(error: error)
            reason = nil
        } else {
            request.logger.debug("\(status.code) \(request.method) \(request.url.path): \(reason ?? "")")
        }
        if Self.wantsJSON(request) {
            return problemResponse(status: status, detail: reason, headers: headers, error: error)
        }
        return await pageResponse(status: status, reason: reason, headers: headers, request: request)
    }

    static func wantsJSON(_ request: Request) -> Bool {
        request.url.path.hasPrefix("/api/")
    }

    private func problemResponse(status: HTTPResponseStatus, detail: String?, headers: HTTPHeaders,
                                 error: any Error) -> Response {
        var problem = Problem(title: status.reasonPhrase, status: Int(status.code),
                              detail: detail == status.reasonPhrase ? nil : detail)
        if let validation = error as? APIValidationError {
            problem.errors = validation.problems
            problem.detail = validation.reason
        }
        let response = Response(status: status, headers: headers)
        do {
            try response.content.encode(problem, as: .json)
        } catch {
            response.body = .init(string: #"{"title":"Internal Server Error","status":500}"#)
        }
        response.headers.replaceOrAdd(name: .contentType, value: "application/problem+json; charset=utf-8")
        return response
    }

    private func pageResponse(status: HTTPResponseStatus, reason: String?, headers: HTTPHeaders,
                              request: Request) async -> Response {
        let key: String
        switch status.code {
        case 400, 401, 403, 404, 405, 413, 429: key = "error.\(status.code)"
        case 400..<500: key = "error.400"
        default: key = "error.500"
        }
        var message = request.t("\(key).body")
        if let reason, MessageCatalogue.has("error.reason.\(reason)", request.language) {
            message = request.t("error.reason.\(reason)")
        }
        let context = ErrorPage(page: PageContext(request, title: request.t("\(key).title")), status: Int(status.code),
                                heading: request.t("\(key).title"), message: message)
        let response: Response
        do {
            let view = try await request.view.render("error", context)
            response = try await view.encodeResponse(status: status, for: request)
        } catch {
            request.logger.report(error: error)
            response = Response(status: status, body: .init(string: "<!doctype html><title>\(status.code)</title><p>\(status.code) \(status.reasonPhrase)</p>"))
            response.headers.contentType = .html
        }
        for (name, value) in headers where name.lowercased() != "content-type" {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }
}

/// A request to the JSON API that failed validation, field by field.
struct APIValidationError: AbortError {
    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String
    var problems: [AcademyErrorMiddleware.FieldProblem]
}
