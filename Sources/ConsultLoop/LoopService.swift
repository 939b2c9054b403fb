import Foundation
import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#endif

/// A service whose work is an event loop blocking on a thread of its own (consultd's, and
/// consultd-mail's): this task bridges it to the lifecycle. Graceful shutdown (SIGTERM) reaches
/// the loop as a stop request, SIGHUP as a reload request, both through its ``LoopControl``;
/// the loop returning — asked to stop, or failing — ends the service.
public struct LoopService: Service {
    let loop: @Sendable (LoopControl) throws -> Void

    /// - Parameter loop: runs the event loop until `control` asks it to stop; called on a thread
    ///   of its own.
    public init(_ loop: @escaping @Sendable (_ control: LoopControl) throws -> Void) {
        self.loop = loop
    }

    public func run() async throws {
        let control = try LoopControl()
        // Trap SIGHUP before the loop can announce READY, so an early reload never kills us.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { control.requestReload() }
                }
                group.addTask { [loop] in
                    try await Self.onOwnThread { try loop(control) }
                }
                // The loop returning (stop requested, or a fatal error) ends the service.
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            control.requestStop()
        }
    }

    /// Runs blocking work on a thread of its own, so the thread that runs the tasks stays free.
    static func onOwnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try body()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }
}

/// Time as an event loop counts it.
public enum LoopTime {
    /// An epoll timeout for `wait`: rounded up (waking a fraction of a millisecond early would
    /// turn the loop once more for nothing), at least 1 ms, at most an hour.
    public static func milliseconds(_ wait: Duration) -> Int32 {
        let (seconds, attoseconds) = wait.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(max(1, min(milliseconds, 3_600_000)))
    }

    /// CLOCK_MONOTONIC in microseconds, as `MONOTONIC_USEC=` of sd_notify wants it.
    public static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
