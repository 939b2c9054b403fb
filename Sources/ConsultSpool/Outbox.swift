#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLinux
import ConsultCore

/// The outbox as its consumer, consultd-mail, sees it (contract §2, §8): notices waiting as
/// `outbox/NOTICE_ID.json`, delivered ones moved to `sent/YYYY-MM-DD/`, those that can never go
/// moved to `failed/` with `NAME.error.json` beside them, and in `.sending/` a mark for each
/// hand-off to sendmail whose outcome is not known yet (a crash came before it was learnt).
///
/// Folders the consumer makes are group-writable (`0770` before its umask), so that the group of
/// the outbox keeps its access to them; they inherit the setgid bit and the group of a setgid
/// parent from the kernel. (Asking for the bit in `mkdir`'s mode is what `RestrictSUIDSGID=`
/// forbids: EPERM.)
public final class Outbox {
    public let path: String
    public var sent: String { path + "/sent" }
    public var failed: String { path + "/failed" }
    /// Marks of hand-offs whose outcome is unknown: `NAME` for one, `NAME.2` for two.
    public var marks: String { path + "/.sending" }

    /// A notice file larger than this is refused unread.
    public let maximumBytes: Int

    private let folder: FileSystem.Folder
    private let markFolder: FileSystem.Folder
    private let failedFolder: FileSystem.Folder

    /// Opens the outbox, making `sent/`, `failed/` and `.sending/` where they are missing.
    public init(path: String, maximumBytes: Int) throws(FileSystemError) {
        self.path = path
        self.maximumBytes = maximumBytes
        folder = try FileSystem.Folder(path)
        for (dir, mode) in [(path + "/sent", mode_t(0o770)), (path + "/failed", 0o770), (path + "/.sending", 0o700)]
        where mkdir(dir, mode) != 0 && errno != EEXIST {
            throw FileSystemError("mkdir", dir)
        }
        markFolder = try FileSystem.Folder(path + "/.sending")
        failedFolder = try FileSystem.Folder(path + "/failed")
    }

    /// A notice waiting: its entry, and what `lstat` said of it.
    public struct Waiting: Sendable {
        public let entry: SpoolEntry
        public let status: EntryStatus

        public init(entry: SpoolEntry, status: EntryStatus) {
            self.entry = entry
            self.status = status
        }
    }

    /// The notices waiting, oldest first (by modification time, then name): entries named
    /// `NAME.json` whose name is UTF-8 and does not start with `.`. Other names — `sent/`,
    /// `failed/`, whatever else someone put there — are not notices and are left alone.
    public func waiting() throws(FileSystemError) -> [Waiting] {
        var found: [Waiting] = []
        for entry in try FileSystem.entries(path) where Self.isNoticeName(entry) {
            guard let status = folder.status(entry.cName) else { continue }
            found.append(Waiting(entry: entry, status: status))
        }
        return found.sorted { ($0.status.modified, $0.entry.name) < ($1.status.modified, $1.entry.name) }
    }

    /// How many notices wait (names only: no `lstat`).
    public func waitingCount() -> Int {
        ((try? FileSystem.entries(path)) ?? []).filter(Self.isNoticeName).count
    }

    /// Whether an entry of the outbox is named as consultd names notices (`NAME.json`, UTF-8, not a
    /// `.`-name).
    public static func isNoticeName(_ entry: SpoolEntry) -> Bool {
        entry.undecodable == nil && !entry.name.hasPrefix(".") && entry.name.hasSuffix(".json") && entry.name.count > 5
    }

    /// What `lstat` says of an entry of the outbox; nil when it is gone.
    public func status(of entry: SpoolEntry) -> EntryStatus? { folder.status(entry.cName) }

    /// What reading a notice file gave.
    public enum Reading: Sendable {
        case file([UInt8], EntryStatus)
        /// It can never be a notice (a link, a FIFO, a folder, too large): to `failed/`.
        case refused(Refusal)
        /// It cannot be read now (permissions, I/O): it stays, and is tried again.
        case unreadable(FileSystemError)
        /// It went away meanwhile.
        case gone
    }

    /// Reads `outbox/NAME` without following a link, blocking on a FIFO or reading more than
    /// ``maximumBytes``.
    public func read(_ entry: SpoolEntry) -> Reading {
        let fd = openat(folder.fd, entry.cName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            switch errno {
            case ENOENT: return .gone
            case ELOOP: return .refused(Refusal(.notRegularFile, "it is a symbolic link; links are never followed"))
            case ENXIO: return .refused(Refusal(.notRegularFile, "it is a socket or a device"))
            default:
                let error = FileSystemError("open", "\(path)/\(entry.name)")
                // A folder or FIFO one may not open is still no notice; a regular file is one
                // that cannot be read now (its mode or group is wrong, which can be fixed).
                if let status = folder.status(entry.cName), !status.isRegularFile {
                    return .refused(Refusal(.notRegularFile, "it is not a regular file (\(status.typeName))"))
                }
                return .unreadable(error)
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .unreadable(FileSystemError("fstat", "\(path)/\(entry.name)")) }
        guard st.st_mode & S_IFMT == S_IFREG else {
            return .refused(Refusal(.notRegularFile, "it is not a regular file (\(Spool.typeName(st.st_mode)))"))
        }
        guard Int(st.st_size) <= maximumBytes else {
            return .refused(Refusal(.tooLarge, "the file is \(st.st_size) bytes; a notice is at most \(maximumBytes)"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var total = 0
        while total < bytes.count {
            let n = bytes[total...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable(FileSystemError("read", "\(path)/\(entry.name)"))
            }
            if n == 0 { break }
            total += n
        }
        guard total <= maximumBytes else {
            return .refused(Refusal(.tooLarge, "the file grew past \(maximumBytes) bytes while it was read"))
        }
        bytes.removeSubrange(total...)
        return .file(bytes, EntryStatus(st))
    }

    // MARK: Hand-offs whose outcome is unknown

    /// How many hand-offs of `name` to sendmail began without their outcome being learnt (0, 1
    /// or 2): each one may have reached the mail system.
    public func unknownHandOffs(of name: String) -> Int {
        let mark = Self.markName(name)
        if markFolder.has(mark + ".2") { return 2 }
        return markFolder.has(mark) ? 1 : 0
    }

    /// Marks, durably, that hand-off `number` (1 or 2) of `name` begins: if the process dies
    /// before ``handOffEnded(_:of:)``, the next one knows that a copy may have gone.
    public func handOffBegins(_ number: Int, of name: String) throws(FileSystemError) {
        let mark = Self.markName(name) + (number == 1 ? "" : ".\(number)")
        try markFolder.create(mark, bytes: [], sync: false, mode: 0o600)
        try markFolder.sync()
    }

    /// Sendmail's outcome for hand-off `number` is known (it refused or failed: nothing went):
    /// its mark goes. Not made durable: a mark that comes back after a power cut counts one
    /// copy too many, never one too few.
    public func handOffEnded(_ number: Int, of name: String) {
        markFolder.remove(Self.markName(name) + (number == 1 ? "" : ".\(number)"))
    }

    /// Removes every mark of `name` (its notice left the outbox).
    public func forgetHandOffs(of name: String) {
        let mark = Self.markName(name)
        markFolder.remove(mark)
        markFolder.remove(mark + ".2")
    }

    /// Removes the marks of notices no longer waiting (their notice moved, and a crash came
    /// before the marks went); returns how many.
    @discardableResult
    public func removeStaleMarks(waiting: [Waiting]) -> Int {
        let live = Set(waiting.map { Self.markName($0.entry.name) })
        var removed = 0
        for mark in (try? FileSystem.list(marks)) ?? [] {
            let base = mark.hasSuffix(".2") ? String(mark.dropLast(2)) : mark
            if !live.contains(base) {
                markFolder.remove(mark)
                removed += 1
            }
        }
        return removed
    }

    static func markName(_ name: String) -> String { SpoolNames.fitted(name, reserve: 2) }

    // MARK: Moving notices on

    /// Moves a notice into `sent/DATE/` (made when missing) without replacing an earlier one
    /// (`NAME.1` …), and makes the move durable; returns the path it has there, relative to the
    /// outbox (`sent/2025-03-10/NAME`).
    public func moveToSent(_ entry: SpoolEntry, date: String) throws(FileSystemError) -> String {
        let dir = sent + "/" + date
        var made = false
        if mkdir(dir, 0o770) == 0 {
            made = true
        } else if errno != EEXIST {
            throw FileSystemError("mkdir", dir)
        }
        let target = try FileSystem.Folder(dir)
        var candidate = SpoolNames.candidate(entry.name, 0)
        var n = 0
        while FileSystem.renameNoReplace(folder.fd, entry.cName, target.fd, candidate) != 0 {
            guard errno == EEXIST else { throw FileSystemError("rename", "\(path)/\(entry.name)") }
            n += 1
            candidate = SpoolNames.candidate(entry.name, n)
        }
        try target.sync()
        if made { try FileSystem.syncDirectory(sent) }
        try folder.sync()
        return "sent/\(date)/\(candidate)"
    }

    /// What became of a notice moved to `failed/`.
    public enum FailedMove: Sendable {
        /// In `failed/` under this name, with `NAME.error.json` beside it.
        case moved(String)
        /// It cannot be moved (a folder someone else owns…): it stays, and nothing is left in `failed/`.
        case unmovable(FileSystemError)
        case gone
        case failed(FileSystemError)
    }

    /// Moves a notice that can never go to `failed/NAME` (`NAME.1` … when taken), after writing
    /// `NAME.error.json` beside it — `{"file", "code", "reason", "at"}` as `rejected/` has them —
    /// durably, so that no notice reaches `failed/` without its reason.
    public func moveToFailed(_ entry: SpoolEntry, refusal: Refusal, at: String) -> FailedMove {
        let suffix = ".error.json"
        let name = failedFolder.freeName(entry.name, suffix: suffix)
        let sidecar = JSONValue.object([("file", .string(entry.name)), ("code", .string(refusal.code.rawValue)),
                                        ("reason", .string(refusal.reason)), ("at", .string(at))])
        // Staged under a short name of its own (a notice's name may be 255 bytes long).
        let staging = ".\(getpid()).error.tmp"
        do {
            try failedFolder.create(staging, bytes: JSONWriter.bytes(sidecar), sync: true, mode: 0o660)
        } catch {
            return .failed(error)
        }
        guard renameat(failedFolder.fd, staging, failedFolder.fd, name + suffix) == 0 else {
            let error = FileSystemError("rename", "\(failed)/\(name + suffix)")
            failedFolder.remove(staging)
            return .failed(error)
        }
        guard FileSystem.renameNoReplace(folder.fd, entry.cName, failedFolder.fd, name) == 0 else {
            let error = FileSystemError("rename", "\(path)/\(entry.name)")
            failedFolder.remove(name + suffix)
            switch error.errno {
            case ENOENT: return .gone
            case EACCES, EPERM, EBUSY, EINVAL, ENOTDIR, EISDIR, ELOOP, ENAMETOOLONG: return .unmovable(error)
            default: return .failed(error)
            }
        }
        do {
            try failedFolder.sync()
            try folder.sync()
        } catch {
            return .failed(error)
        }
        return .moved(name)
    }

    // MARK: Counts

    /// Notices waiting, delivered (in every `sent/DATE/`) and failed; nil for a folder that
    /// cannot be read.
    public static func counts(path: String) -> (waiting: Int?, sent: Int?, failed: Int?) {
        let waiting = (try? FileSystem.entries(path)).map { $0.filter(isNoticeName).count }
        var sent: Int?
        if let days = try? FileSystem.list(path + "/sent") {
            sent = 0
            for day in days {
                guard let names = try? FileSystem.list(path + "/sent/" + day) else { sent = nil; break }
                sent! += names.count
            }
        }
        let failed = (try? FileSystem.list(path + "/failed")).map { $0.filter { !$0.hasSuffix(".error.json") }.count }
        return (waiting, sent, failed)
    }
}
