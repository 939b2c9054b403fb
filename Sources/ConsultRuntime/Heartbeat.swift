#if canImport(Glibc)
import Glibc
#endif

/// `consultd.heartbeat`, beside the state store: the running service's process id, its file
/// touched as the loop turns. `consultctl status` judges liveness from it where systemd cannot
/// answer (a container, `consultd` started from a shell): present and recent, the service runs;
/// gone (a clean stop removes it) or stale, it does not.
public struct Heartbeat: Sendable {
    /// The file: `consultd.heartbeat` in the state store's folder.
    public let path: String

    /// How often the loop touches the file at most: it turns at least once a minute (its rescan).
    public static let touchInterval: Duration = .seconds(30)
    /// Older than this, the service is taken for dead: three missed rescans.
    public static let staleAfter: Int64 = 180

    public init(statePath: String) {
        let folder = statePath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        path = (folder.isEmpty ? (statePath.hasPrefix("/") ? "" : ".") : folder) + "/consultd.heartbeat"
    }

    /// Writes this process's id (a temporary file renamed over the old one).
    public func start() {
        let temporary = "\(path).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return }
        let text = Array("\(getpid())\n".utf8)
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        _ = fchmod(fd, 0o644)
        close(fd)
        if written != text.count || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Sets the file's time to now (no data written, nothing synced).
    public func touch() { _ = utimensat(AT_FDCWD, path, nil, 0) }

    /// Removes the file: the service stopped cleanly.
    public func stop() { _ = unlink(path) }

    /// What the file says: the process id and when it was last touched (Unix seconds); nil when
    /// there is no file. Throws the errno when it cannot be read (permissions).
    public func read() throws(HeartbeatError) -> (pid: Int32, touched: Int64)? {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return nil }
            throw HeartbeatError(path: path, errno: errno)
        }
        guard let file = fopen(path, "r") else { throw HeartbeatError(path: path, errno: errno) }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = fread(&buffer, 1, 31, file)
        let line = String(decoding: buffer.prefix(count), as: UTF8.self)
        let pid = Int32(line.split(separator: "\n").first.map(String.init) ?? "") ?? 0
        return (pid, Int64(st.st_mtim.tv_sec))
    }
}

/// The heartbeat file exists but cannot be read.
public struct HeartbeatError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let errno: Int32
    public var description: String { "\(path): \(String(cString: strerror(errno)))" }
}
