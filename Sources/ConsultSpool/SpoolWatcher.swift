#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Watches `new/` with inotify for documents renamed in (`IN_MOVED_TO`) or written in place
/// (`IN_CLOSE_WRITE`), and for links, FIFOs, devices and folders made there (`IN_CREATE`; a
/// regular file just created is still being written, so it waits for its close). When the
/// kernel's queue overflows, events are lost: the caller must rescan the whole folder.
public final class SpoolWatcher {
    /// What the kernel reported since the last drain.
    public struct Events: Sendable, Equatable {
        public var names: [String] = []
        /// The event queue overflowed: rescan everything.
        public var overflow = false
    }

    /// Readable when events are waiting (for epoll).
    public let descriptor: Int32

    private let directory: String

    public init(directory: String) throws(FileSystemError) {
        self.directory = directory
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw FileSystemError("inotify_init1", directory) }
        guard consultd_inotify_watch(fd, directory) >= 0 else {
            let error = FileSystemError("inotify_add_watch", directory)
            close(fd)
            throw error
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Reads every pending event.
    public func drain() -> Events {
        var events = Events()
        var buffer = [CChar](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            buffer.withUnsafeBufferPointer { raw in
                var offset = 0
                var mask: UInt32 = 0
                var name: UnsafePointer<CChar>?
                while consultd_inotify_next(raw.baseAddress, n, &offset, &mask, &name) == 1 {
                    if mask & consultd_inotify_overflow_mask() != 0 { events.overflow = true }
                    if let name, name.pointee != 0 {
                        let s = String(cString: name)
                        if mask & consultd_inotify_create_mask() != 0 && isRegularFile(s) { continue }
                        if !s.hasPrefix(".") && !events.names.contains(s) { events.names.append(s) }
                    }
                }
            }
        }
        return events
    }

    private func isRegularFile(_ name: String) -> Bool {
        var st = stat()
        return lstat("\(directory)/\(name)", &st) == 0 && st.st_mode & S_IFMT == S_IFREG
    }
}
