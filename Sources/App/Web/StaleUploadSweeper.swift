import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// While serving, removes stale package uploads every hour (see `PackageUploads.removeStale`); every new
/// upload sweeps too, so a quiet academy keeps at most an hour's extra.
final class StaleUploadSweeper: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<RepeatedTask?>(nil)
    let interval: TimeAmount

    init(interval: TimeAmount = .hours(1)) {
        self.interval = interval
    }

    func didBoot(_ app: Application) throws {
        guard StartupTasks.isServing(app.environment.arguments) else { return }
        let uploads = PackageUploads(dataDirectory: app.academySettings.dataDirectory)
        let maxAge = app.academySettings.uploadMaxAge
        let threadPool = app.threadPool
        let logger = app.logger
        let eventLoop = app.eventLoopGroup.next()
        let scheduled = eventLoop.scheduleRepeatedTask(initialDelay: .minutes(1), delay: interval) { _ in
            _ = threadPool.runIfActive(eventLoop: eventLoop) {
                let removed = uploads.removeStale(maxAge: maxAge)
                if !removed.isEmpty { logger.info("Removed \(removed.count) stale package upload(s)") }
            }
        }
        task.withLockedValue { $0 = scheduled }
    }

    func shutdown(_ app: Application) {
        task.withLockedValue { $0?.cancel(); $0 = nil }
    }
}
