#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A lock on the folder of a state store, so that `consultctl restore` never replaces a store a
/// daemon has open. The daemon (service or `--once`) holds it shared for as long as it runs;
/// restore holds it exclusive from before it checks the backup until the store is in place and
/// replayed. flock(2) on the folder rather than on the file: restore replaces the file, and a
/// lock on the file replaced would no longer keep anyone out.
public final class StoreLock: Sendable {
    public enum Mode: Sendable {
        case shared, exclusive
    }

    private let fd: Int32
    /// The folder locked.
    public let folder: String

    /// Takes the lock without waiting; `locked` when another process holds it the other way.
    public init(state path: String, _ mode: Mode) throws(StoreError) {
        let parent = (path as NSString).deletingLastPathComponent
        folder = parent.isEmpty ? "." : parent
        fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StoreError(.openFailed, "cannot open \(folder) to lock the state store: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, (mode == .shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StoreError(busy ? .locked : .openFailed, busy
                ? (mode == .shared
                    ? "the state store in \(folder) is being restored (consultctl restore holds it); start consultd once the restore is done"
                    : "consultd is running on the state store in \(folder); stop it first (systemctl stop consultd)")
                : "cannot lock \(folder): \(reason)")
        }
    }

    deinit { close(fd) }
}
