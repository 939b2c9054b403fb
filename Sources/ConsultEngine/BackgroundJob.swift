import Dispatch
import Synchronization

/// Work running on a thread of its own, started at once and awaited later.
final class BackgroundJob<T: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<T, any Error>?>(nil)

    init(_ body: @escaping @Sendable () throws -> T) {
        DispatchQueue.global().async { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// The work's result (or its error), once it is done.
    func wait() throws -> T {
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
