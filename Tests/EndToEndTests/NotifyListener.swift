import ConsultTestSupport
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's `NOTIFY_SOCKET`. Like the service manager, it
/// reads all the time (on its own thread), so the service never blocks on a full socket.
final class NotifyListener: Sendable {
    let path: String
    private let fd: Int32
    private let received = Mutex<[String]>([])
    private let arrivals = Mutex<[ContinuousClock.Instant]>([])
    private let stopped = Mutex(false)

    init() throws {
        path = TemporaryFolder.name("notify", suffix: ".sock")
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, status == 0 else { throw CocoaError(.fileWriteUnknown) }
        let thread = Thread { [weak self] in
            while let listener = self, listener.readOnce() {}
        }
        thread.start()
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Stops reading (the socket closes when the listener goes away).
    func stop() { stopped.withLock { $0 = true } }

    /// Reads what arrives within 100 ms; false once stopped.
    private func readOnce() -> Bool {
        guard !stopped.withLock({ $0 }) else { return false }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 100) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        if n > 0 {
            let message = String(decoding: buffer.prefix(n), as: UTF8.self)
            received.withLock { $0.append(message) }
            arrivals.withLock { $0.append(.now) }
        }
        return true
    }

    /// Everything received so far, in order.
    var messages: [String] { received.withLock { $0 } }

    /// Everything received so far, in order, with when it arrived.
    var timedMessages: [(at: ContinuousClock.Instant, message: String)] {
        let times = arrivals.withLock { $0 }
        return Array(zip(times, received.withLock { $0 }).map { (at: $0.0, message: $0.1) })
    }

    private let cursor = Mutex(0)

    /// Waits up to `timeout` seconds for a message after those already waited for that contains
    /// `text`; returns it.
    @discardableResult
    func wait(for text: String, timeout: Double = 10) -> String? {
        var found: String?
        eventually(within: .milliseconds(Int64(timeout * 1000)), every: .milliseconds(10)) {
            let all = messages
            let start = cursor.withLock { $0 }
            guard let i = all[min(start, all.count)...].firstIndex(where: { $0.contains(text) }) else { return false }
            cursor.withLock { $0 = i + 1 }
            found = all[i]
            return true
        }
        return found
    }
}
