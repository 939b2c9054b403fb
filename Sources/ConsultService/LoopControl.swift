import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Requests to the event loop from other threads (stop, reload), with an eventfd to wake it.
final class LoopControl: Sendable {
    private struct Requests {
        var stop = false
        var reload = false
    }

    private let requests = Mutex(Requests())
    /// Readable when a request is waiting (for epoll).
    let wakeDescriptor: Int32

    init() throws(LoopError) {
        let fd = consultd_eventfd_create()
        guard fd >= 0 else { throw LoopError("eventfd", errno: errno) }
        wakeDescriptor = fd
    }

    deinit { close(wakeDescriptor) }

    func requestStop() {
        requests.withLock { $0.stop = true }
        consultd_eventfd_signal(wakeDescriptor)
    }

    func requestReload() {
        requests.withLock { $0.reload = true }
        consultd_eventfd_signal(wakeDescriptor)
    }

    var isStopRequested: Bool { requests.withLock { $0.stop } }

    /// Takes the pending reload request, if any.
    func takeReload() -> Bool {
        requests.withLock { r in
            defer { r.reload = false }
            return r.reload
        }
    }
}

/// A failure of the event loop's own machinery, with a stable code.
public struct LoopError: Error, Sendable, CustomStringConvertible {
    public let code = "loop_failed"
    public let message: String

    init(_ call: String, errno: Int32) {
        message = "\(call): \(String(cString: strerror(errno)))"
    }

    public var description: String { message }
}
