import Foundation
import Synchronization

/// Runs the service's async tasks on one thread of its own, in the order they are enqueued.
///
/// On Linux the default global executor is libdispatch's thread pool, and its first worker starts
/// a monitor that wakes the process every second for as long as it lives (about 4 ms of CPU a
/// minute). The service's tasks only wait for signals and for the event loop's thread, so one
/// thread serves them, and an idle daemon wakes only for its watchdog and its rescan.
public final class ServiceExecutor: TaskExecutor, @unchecked Sendable {
    /// Guarded by `ready`.
    private var jobs: [UnownedJob] = []
    private let ready = NSCondition()

    /// Starts the executor's thread, named `name` (at most 15 bytes, as Linux keeps them); it lives
    /// as long as the process.
    public init(name: String) {
        Thread { [self] in
            CurrentThread.setName(name)
            // Signals go to the main thread, which only waits; this thread and the ones it starts
            // (the event loop, the intake's) are never interrupted by them.
            CurrentThread.blockAsynchronousSignals()
            drain()
        }.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        ready.lock()
        jobs.append(job)
        ready.signal()
        ready.unlock()
    }

    /// Runs `body` as a task that prefers this executor (so do its child tasks) and blocks the
    /// calling thread until it ends. Call it from synchronous code: an async caller would already
    /// have started the global executor's pool.
    public func run(_ body: @escaping @Sendable () async throws -> Void) throws {
        let outcome = Mutex<Result<Void, any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task(executorPreference: self) {
            do {
                try await body()
                outcome.withLock { $0 = .success(()) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            finished.signal()
        }
        finished.wait()
        try outcome.withLock { $0 }?.get()
    }

    private func drain() -> Never {
        var batch: [UnownedJob] = []
        while true {
            ready.lock()
            while jobs.isEmpty { ready.wait() }
            swap(&batch, &jobs)
            ready.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
