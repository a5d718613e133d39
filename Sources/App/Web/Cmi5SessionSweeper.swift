import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// While serving, records "abandoned" for cmi5 sessions whose token expired without "terminated"
/// (`Cmi5Runtime.abandonExpired`), every quarter of an hour.
final class Cmi5SessionSweeper: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<RepeatedTask?>(nil)
    let interval: TimeAmount

    init(interval: TimeAmount = .minutes(15)) {
        self.interval = interval
    }

    func didBoot(_ app: Application) throws {
        // Tests start many apps that each live for seconds; a sweep firing inside a long one would take its
        // database connections (the expiry itself is tested by calling `abandonExpired`).
        guard StartupTasks.isServing(app.environment.arguments), app.environment != .testing else { return }
        let eventLoop = app.eventLoopGroup.next()
        let scheduled = eventLoop.scheduleRepeatedTask(initialDelay: .minutes(2), delay: interval) { _ in
            let promise = eventLoop.makePromise(of: Void.self)
            promise.completeWithTask {
                let runtime = Cmi5Runtime(database: app.db, baseURL: app.academySettings.baseURL)
                let count = try await runtime.abandonExpired()
                if count > 0 { app.logger.info("Recorded \(count) expired cmi5 session(s) as abandoned") }
            }
            promise.futureResult.whenFailure { app.logger.warning("Sweeping expired cmi5 sessions failed: \($0)") }
        }
        task.withLockedValue { $0 = scheduled }
    }

    func shutdown(_ app: Application) {
        task.withLockedValue { $0?.cancel(); $0 = nil }
    }
}
