#if canImport(Glibc)
import Glibc
#endif

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

    /// What the watch asks for; IN_ONLYDIR refuses a path that is not a directory. IN_Q_OVERFLOW
    /// comes unasked.
    private static let watched = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE | IN_ONLYDIR)

    private let directory: String

    public init(directory: String) throws(FileSystemError) {
        self.directory = directory
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw FileSystemError("inotify_init1", directory) }
        guard inotify_add_watch(fd, directory, Self.watched) >= 0 else {
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
        var seen = Set<String>()   // a burst of thousands of names: no quadratic search
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            buffer.withUnsafeBytes { raw in
                Self.forEachEvent(in: UnsafeRawBufferPointer(rebasing: raw[..<n])) { mask, name in
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { events.overflow = true }
                    guard !name.isEmpty else { return }
                    if mask & UInt32(IN_CREATE) != 0 && isRegularFile(name) { return }
                    if !name.hasPrefix("."), seen.insert(name).inserted { events.names.append(name) }
                }
            }
        }
        return events
    }

    /// Calls `body` with each event's mask and name (empty for an event on the directory itself).
    /// Each record is an `inotify_event` followed by its `len` bytes of name, padded with NULs.
    private static func forEachEvent(in bytes: UnsafeRawBufferPointer, _ body: (_ mask: UInt32, _ name: String) -> Void) {
        let header = MemoryLayout<inotify_event>.size
        var offset = 0
        while offset + header <= bytes.count {
            let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
            let end = min(offset + header + Int(event.len), bytes.count)
            let name = bytes[(offset + header)..<end].prefix { $0 != 0 }
            // A name that is not UTF-8 comes escaped, as the listing gives it (SpoolEntry).
            body(event.mask, SpoolNames.escaped(Array(name)))
            offset += header + Int(event.len)
        }
    }

    private func isRegularFile(_ name: String) -> Bool {
        FileSystem.status(of: SpoolEntry(reported: name, in: directory), in: directory)?.isRegularFile ?? false
    }
}
