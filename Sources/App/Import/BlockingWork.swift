import Dispatch

/// Runs blocking file work (unzipping, hashing, copying gigabytes) on a Dispatch queue, so that it does not
/// hold one of the few threads Swift concurrency and the event loops share.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
