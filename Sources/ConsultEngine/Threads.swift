import CLinux
import Dispatch
import Foundation
import Synchronization

// Threads, never libdispatch queues: libdispatch's pool, once used, starts a monitor that wakes
// the daemon every second for the rest of its life. docs/concurrency.md tells which thread does
// what.

/// Runs `body(0)` … `body(count - 1)` at once (`count` ≥ 1), `body(0)` on the calling thread and
/// each other on a thread of its own, and returns when all have. `body` escapes: a thread may
/// release it only after it has signalled its end.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    precondition(count >= 1)
    let done = DispatchSemaphore(value: 0)
    for part in 1..<count {
        Thread {
            body(part)
            done.signal()
        }.start()
    }
    body(0)
    for _ in 1..<count { done.wait() }
}

/// Work done in the order it was handed over, on one thread of its own, for work that must not
/// hold up the thread that hands it over (a journal socket that is full).
final class SerialThread: Sendable {
    private struct State {
        var work: [@Sendable () -> Void] = []
        var closed = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// `name` is what `top -H` and `ps -L` show for the thread (at most 15 bytes are kept).
    init(name: String) {
        Thread { [self] in
            // Else it would inherit the name of the thread that started it (the loop's, say).
            _ = consultd_set_thread_name(name)
            while true {
                available.wait()
                let next = state.withLock { s -> (@Sendable () -> Void)? in s.work.isEmpty ? nil : s.work.removeFirst() }
                guard let next else { return }   // closed, and nothing left
                next()
            }
        }.start()
    }

    /// Hands `work` over; it runs after everything handed over before it.
    func submit(_ work: @escaping @Sendable () -> Void) {
        state.withLock { s in
            precondition(!s.closed, "work handed to a closed SerialThread")
            s.work.append(work)
        }
        available.signal()
    }

    /// Returns once everything handed over so far has run.
    func drain() {
        let done = DispatchSemaphore(value: 0)
        submit { done.signal() }
        done.wait()
    }

    /// Runs what is left, then ends the thread; nothing may be handed over afterwards.
    func close() {
        drain()
        state.withLock { $0.closed = true }
        available.signal()
    }
}
