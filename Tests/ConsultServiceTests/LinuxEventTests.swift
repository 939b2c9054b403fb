import Foundation
import Testing
@testable import ConsultService
#if canImport(Glibc)
import Glibc
#endif

@Suite("epoll, the wall-clock timer and the wake-up eventfd")
struct LinuxEventTests {
    @Test func theTimerExpiresAtItsSecondAndEpollReportsIt() throws {
        let epoll = try Epoll()
        let timer = try WallClockTimer()
        try epoll.watchInput(timer.descriptor)
        #expect(timer.read() == .pending)
        let idle = try epoll.wait(milliseconds: 0)
        #expect(idle.isEmpty)

        // A second long past: due at once.
        timer.arm(at: 1)
        let ready = try epoll.wait(milliseconds: 1000)
        #expect(ready == [timer.descriptor])
        #expect(timer.read() == .expired)
        #expect(timer.read() == .pending)

        // Re-arming forgets the expirations not read yet.
        timer.arm(at: 1)
        timer.arm(at: nil)
        let disarmed = try epoll.wait(milliseconds: 50)
        #expect(disarmed.isEmpty)
        #expect(timer.read() == .pending)
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
