import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Lets requests under way finish before the app shuts down, and turns away those that arrive once it has
/// begun: Vapor clears the app's storage (database, views, settings) right after the lifecycle handlers, so
/// a request still running then would crash the process. A browser's last beacon during a test's shutdown
/// did exactly that; a rolling deploy would too.
final class InFlightRequests: LifecycleHandler, Sendable {
    private struct State {
        var running = 0
        var closing = false
    }

    private let state = NIOLockedValueBox(State())
    /// How long shutdown waits for requests under way.
    let drainTime: TimeAmount

    init(drainTime: TimeAmount = .seconds(10)) {
        self.drainTime = drainTime
    }

    /// False once shutdown has begun: the request must not start.
    func enter() -> Bool {
        state.withLockedValue { state in
            guard !state.closing else { return false }
            state.running += 1
            return true
        }
    }

    func leave() {
        state.withLockedValue { $0.running -= 1 }
    }

    func shutdownAsync(_ application: Application) async {
        state.withLockedValue { $0.closing = true }
        let deadline = NIODeadline.now() + drainTime
        while state.withLockedValue({ $0.running }) > 0, NIODeadline.now() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// The first middleware of the chain: counts each request in and out.
    struct Middleware: AsyncMiddleware {
        let requests: InFlightRequests

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            guard requests.enter() else {
                return Response(status: .serviceUnavailable, headers: ["Retry-After": "5", "Connection": "close"])
            }
            defer { requests.leave() }
            return try await next.respond(to: request)
        }
    }
}
