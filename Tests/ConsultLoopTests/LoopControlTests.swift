import Foundation
import Testing
@testable import ConsultLoop
#if canImport(Glibc)
import Glibc
#endif

@Suite("Event loop control: requests, the wake-up eventfd, epoll")
struct LoopControlTests {
    func readable(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 1
    }

    @Test func requestsWakeTheLoopAndAreTakenOnce() throws {
        let control = try LoopControl()
        #expect(!readable(control.wakeDescriptor))
        #expect(!control.takeReload())
        control.requestReload()
        #expect(readable(control.wakeDescriptor))
        #expect(control.takeReload())
        #expect(!control.takeReload())
        #expect(!control.isStopRequested)
        control.requestStop()
        #expect(control.isStopRequested)
        #expect(control.isStopRequested)
    }

    @Test func requestsFromManyThreads() async throws {
        let control = try LoopControl()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 { group.addTask { control.requestReload() } }
        }
        #expect(control.takeReload())
        #expect(!control.takeReload())
    }

    @Test func aClearedWakeIsReportedAgainOnlyForANewRequest() throws {
        let control = try LoopControl()
        let epoll = try Epoll()
        try epoll.watchInput(control.wakeDescriptor)
        control.requestReload()
        control.requestReload()
        let woken = try epoll.wait(milliseconds: 0)
        #expect(woken == [control.wakeDescriptor])
        control.clearWake()
        let cleared = try epoll.wait(milliseconds: 0)
        #expect(cleared.isEmpty)
        control.requestStop()
        let again = try epoll.wait(milliseconds: 0)
        #expect(again == [control.wakeDescriptor])
    }
}
