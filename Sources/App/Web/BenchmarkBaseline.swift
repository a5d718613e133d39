import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Baselines for the benchmarks, behind the same app and middleware. Registered only when
/// ACADEMY_BENCHMARK_BASELINE=1.
/// - catalogue: the bytes of a catalogue page rendered once and kept in memory;
/// - SCORM runtime: a bare write of the same batch into the signed-in learner's attempt row, without the
///   runtime's checks, data model, locks or completion.
struct BenchmarkBaseline: RouteCollection {
    private let cached = NIOLockedValueBox<ByteBuffer?>(nil)

    func boot(routes: any RoutesBuilder) throws {
        routes.get("__benchmark", "baseline", use: baseline)
        routes.post("__benchmark", "bare-commit", ":module", use: bareCommit)
    }

    func bareCommit(req: Request) async throws -> HTTPStatus {
        let user = try req.auth.require(User.self)
        let batch = try req.content.decode(RuntimeCommit.self)
        let state = String(decoding: try JSONEncoder().encode(batch.calls), as: UTF8.self)
        guard let sql = req.db as? any SQLDatabase, let module = req.parameters.get("module") else { throw Abort(.badRequest) }
        let userID: any Encodable & Sendable = sql.dialect.name == "sqlite" ? try user.requireID().uuidString : try user.requireID()
        try await sql.raw("""
            UPDATE module_attempts SET state = \(bind: state), last_sequence = \(bind: batch.sequence), updated_at = \(bind: Date())
            WHERE user_id = \(bind: userID) AND module_key = \(bind: module)
            """).run()
        return .noContent
    }

    func baseline(req: Request) async throws -> Response {
        let body: ByteBuffer
        if let bytes = cached.withLockedValue({ $0 }) {
            body = bytes
        } else {
            let rendered = try await CatalogueController().catalogue(req: req)
            body = rendered.body.buffer ?? ByteBuffer()
            cached.withLockedValue { $0 = body }
        }
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }
}
