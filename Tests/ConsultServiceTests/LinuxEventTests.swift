import Foundation
import Testing
import ConsultLoop
@testable import ConsultService
#if canImport(Glibc)
import Glibc
#endif

@Suite("epoll and the wall-clock timer")
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
}
