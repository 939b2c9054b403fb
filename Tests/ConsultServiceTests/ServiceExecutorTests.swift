import Foundation
import Synchronization
import Testing
@testable import ConsultService

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

    @Test func runReturnsTheBodysError() {
        #expect(throws: Refused(code: "x")) {
            try ServiceExecutor(name: "test-tasks").run { throw Refused(code: "x") }
        }
    }
}
