import Dispatch
import Foundation
import Synchronization

/// Batches committed on a thread of their own and handed, in order, to the thread that moves
/// them out of `new/`. The committing thread goes from batch to batch without waiting for the
/// moves, so that neither thread idles while the other works.
final class CommitLine<Batch: Sendable>: Sendable {
    private struct State {
        var ready: [Batch] = []
        var finished = false
        var failure: (any Error)?
        var stopRequested = false
    }

    private let state = Mutex(State())
    private let signal = DispatchSemaphore(value: 0)

    /// Starts committing at once: `commit(i)` for each batch index `0..<count`, in order, until
    /// one fails or ``stop()`` is called.
    init(count: Int, commit: @escaping @Sendable (Int) throws -> Batch) {
        // A thread, not a global queue: libdispatch's pool, once used, wakes the daemon every second.
        Thread { [self] in
            for index in 0..<count where !state.withLock({ $0.stopRequested }) {
                do {
                    let batch = try commit(index)
                    state.withLock { $0.ready.append(batch) }
                    signal.signal()
                } catch {
                    state.withLock { $0.failure = error }
                    break
                }
            }
            state.withLock { $0.finished = true }
            signal.signal()
        }.start()
    }

    /// The next committed batch, once it is; `nil` when every batch committed has been taken.
    /// A commit's error is thrown after the batches committed before it have been taken.
    func next() throws -> Batch? {
        while true {
            let (batch, finished, failure) = state.withLock { s -> (Batch?, Bool, (any Error)?) in
                if !s.ready.isEmpty { return (s.ready.removeFirst(), false, nil) }
                return (nil, s.finished, s.failure)
            }
            if let batch { return batch }
            if finished {
                if let failure { throw failure }
                return nil
            }
            signal.wait()
        }
    }

    /// Commits no batch after the one in hand (those already committed are still handed over).
    func stop() { state.withLock { $0.stopRequested = true } }
}
