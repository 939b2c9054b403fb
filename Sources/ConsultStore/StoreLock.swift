#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A lock on the folder of a state store, so that one process at a time works on it: a daemon
/// (the service, or `consultd --once`, which must not run beside the service and fire steps
/// early or twice) or `consultctl restore`, which never replaces a store a daemon has open. Each
/// holds it exclusive for as long as it runs. flock(2) on the folder rather than on the file:
/// restore replaces the file, and a lock on the file replaced would no longer keep anyone out.
public final class StoreLock: Sendable {
    public enum Holder: Sendable {
        /// consultd, the service or `--once`.
        case daemon
        /// `consultctl restore`.
        case restore
    }

    private let fd: Int32
    /// The folder locked.
    public let folder: String

    /// Takes the lock without waiting; `locked` when another process holds it.
    public init(state path: String, _ holder: Holder) throws(StoreError) {
        let parent = (path as NSString).deletingLastPathComponent
        folder = parent.isEmpty ? "." : parent
        fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError(.openFailed, "cannot open \(folder) to lock the state store: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StoreError(busy ? .locked : .openFailed, busy
                ? (holder == .daemon
                    ? "the state store in \(folder) is in use: another consultd runs on it (the service: `consultd --once` is the service's work done once, and must not run beside it — systemctl stop consultd first), or it is being restored (consultctl restore)"
                    : "consultd is running on the state store in \(folder); stop it first (systemctl stop consultd)")
                : "cannot lock \(folder): \(reason)")
        }
    }

    deinit { close(fd) }
}
