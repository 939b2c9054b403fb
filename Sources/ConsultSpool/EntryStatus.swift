#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `lstat`/`fstat` tell of a spool entry: enough to refuse it without reading it, to bound
/// a round by bytes, and to know it again (device, inode, size, modification time).
public struct EntryStatus: Sendable, Equatable {
    public let device: UInt64
    public let inode: UInt64
    public let size: Int64
    /// Modification time, nanoseconds since the epoch.
    public let modified: Int64
    public let owner: uid_t
    public let mode: mode_t
    public let links: UInt64

    public init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        owner = st.st_uid
        mode = st.st_mode
        links = UInt64(st.st_nlink)
    }

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, owner: uid_t = 0, mode: mode_t = S_IFREG, links: UInt64 = 1) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.owner = owner
        self.mode = mode
        self.links = links
    }

    public var isRegularFile: Bool { mode & S_IFMT == S_IFREG }
    public var isSymbolicLink: Bool { mode & S_IFMT == S_IFLNK }

    /// The same file, unchanged: same device and inode, same size and modification time.
    public func isUnchanged(_ other: EntryStatus) -> Bool {
        device == other.device && inode == other.inode && size == other.size && modified == other.modified
    }

    /// The file's type in words ("a directory", "a FIFO" …).
    public var typeName: String { Spool.typeName(mode) }
}
