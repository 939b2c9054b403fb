import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// An epoll instance reporting which of its descriptors have input; closed with it.
public struct Epoll: ~Copyable {
    /// At most this many descriptors reported by one wait; more stay ready for the next.
    public static let maximumEvents = 16

    private let descriptor: Int32

    public init() throws(LoopError) {
        descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { throw LoopError("epoll_create1", errno: errno) }
    }

    deinit { close(descriptor) }

    /// Reports `fd` while it has input to read (level-triggered).
    public func watchInput(_ fd: Int32) throws(LoopError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = fd
        guard epoll_ctl(descriptor, EPOLL_CTL_ADD, fd, &event) == 0 else { throw LoopError("epoll_ctl", errno: errno) }
    }

    /// Waits up to `milliseconds` for input: the descriptors that have some, none when the time
    /// ran out or a signal interrupted the wait.
    public func wait(milliseconds: Int32) throws(LoopError) -> [Int32] {
        var events = [epoll_event](repeating: epoll_event(), count: Self.maximumEvents)
        let n = epoll_wait(descriptor, &events, Int32(events.count), milliseconds)
        guard n >= 0 else {
            if errno == EINTR { return [] }
            throw LoopError("epoll_wait", errno: errno)
        }
        return events.prefix(Int(n)).map(\.data.fd)
    }
}
