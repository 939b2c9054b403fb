import Foundation
import Synchronization
import Testing
@testable import ConsultLoop

@Suite("Service executor")
struct ServiceExecutorTests {
    struct Refused: Error, Equatable { let code: String }

    static func threadName() -> String {
        let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return comm.trimmingCharacters(in: .newlines)
    }

    @Test func tasksAndTheirChildrenRunOnItsThread() throws {
        let names = Mutex<[String]>([])
        let caller = Self.threadName()
        try ServiceExecutor(name: "test-tasks").run {
            names.withLock { $0.append(Self.threadName()) }
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { Self.threadName() } }
                // A continuation resumed from another thread comes back to the executor.
                group.addTask {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in Thread { c.resume() }.start() }
                    return Self.threadName()
                }
                for try await name in group { names.withLock { $0.append(name) } }
            }
        }
        #expect(caller != "test-tasks")
        #expect(names.withLock { $0 } == Array(repeating: "test-tasks", count: 10))
    }

    /// The blocked-signal mask of the calling thread, from /proc.
    static func blockedSignals() -> UInt64 {
        let status = (try? String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("SigBlk:") } ?? ""
        return UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
    }

    /// SIGHUP and SIGTERM reach the waiting main thread, never a system call of the executor's
    /// thread or of the threads it starts (the event loop's).
    @Test func itsThreadsBlockTheAsynchronousSignals() throws {
        let masks = Mutex<[UInt64]>([])
        let finished = DispatchSemaphore(value: 0)
        // Started, as in consultd, from a thread that blocks nothing (the test runner's threads
        // block signals already, and a new thread inherits its creator's mask).
        Thread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            masks.withLock { $0.append(Self.blockedSignals()) }
            try? ServiceExecutor(name: "test-tasks").run {
                masks.withLock { $0.append(Self.blockedSignals()) }
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    Thread {
                        masks.withLock { $0.append(Self.blockedSignals()) }
                        c.resume()
                    }.start()
                }
            }
            finished.signal()
        }.start()
        finished.wait()
        #expect(masks.withLock { $0.removeFirst() } == 0)
        let hangUpAndTerminate: UInt64 = 1 << (SIGHUP - 1) | 1 << (SIGTERM - 1)
        #expect(masks.withLock { $0 }.count == 2)
        #expect(masks.withLock { $0 }.allSatisfy { $0 & hangUpAndTerminate == hangUpAndTerminate })
        // A fault must still reach its handler.
        #expect(masks.withLock { $0 }.allSatisfy { $0 & (1 << (SIGSEGV - 1)) == 0 })
    }

    @Test func runReturnsTheBodysError() {
        #expect(throws: Refused(code: "x")) {
            try ServiceExecutor(name: "test-tasks").run { throw Refused(code: "x") }
        }
    }
}
