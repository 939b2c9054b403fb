import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Requests to the event loop from other threads (stop, reload), with an eventfd to wake it.
public final class LoopControl: Sendable {
    private struct Requests {
        var stop = false
        var reload = false
    }

    private let requests = Mutex(Requests())
    /// Readable when a request is waiting (for epoll).
    public let wakeDescriptor: Int32

    public init() throws(LoopError) {
        let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard fd >= 0 else { throw LoopError("eventfd", errno: errno) }
        wakeDescriptor = fd
    }

    deinit { close(wakeDescriptor) }

    public func requestStop() {
        requests.withLock { $0.stop = true }
        wake()
    }

    public func requestReload() {
        requests.withLock { $0.reload = true }
        wake()
    }

    /// Makes `wakeDescriptor` readable until `clearWake()`.
    private func wake() {
        // Fails only when the counter is full, and then the descriptor is readable already.
        _ = eventfd_write(wakeDescriptor, 1)
    }

    /// Consumes the wake-ups, so that epoll reports the descriptor again only for a new request.
    public func clearWake() {
        var count: eventfd_t = 0
        _ = eventfd_read(wakeDescriptor, &count)
    }

    public var isStopRequested: Bool { requests.withLock { $0.stop } }

    /// Takes the pending reload request, if any.
    public func takeReload() -> Bool {
        requests.withLock { r in
            defer { r.reload = false }
            return r.reload
        }
    }
}

/// A failure of the event loop's own machinery: which call, and why.
public struct LoopError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ call: String, errno: Int32) {
        message = "\(call): \(String(cString: strerror(errno)))"
    }

    public var description: String { message }
}
