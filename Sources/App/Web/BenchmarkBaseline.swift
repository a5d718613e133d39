import NIOConcurrencyHelpers
import Vapor

/// The baseline of the catalogue benchmark: the same app and middleware, answering with the bytes of a
/// catalogue page rendered once and kept in memory. Registered only when ACADEMY_BENCHMARK_BASELINE=1.
struct BenchmarkBaseline: RouteCollection {
    private let cached = NIOLockedValueBox<ByteBuffer?>(nil)

    func boot(routes: any RoutesBuilder) throws {
        routes.get("__benchmark", "baseline", use: baseline)
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
