#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLinux
import ConsultCore

/// A spool file read safely: never through a symlink, never blocking on a FIFO, bounded in size.
public struct SpoolFile: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// What `fstat` said of the file as it was read.
    public let status: EntryStatus

    public var owner: uid_t { status.owner }
    /// The modification time, to the second.
    public var modified: Instant { Instant(seconds: status.modified / 1_000_000_000) }
}

/// The result of looking at one name in `new/`.
public enum SpoolRead: Sendable {
    case file(SpoolFile)
    /// Must be refused: not a regular file, too large …
    case refused(name: String, owner: uid_t?, Refusal)
    /// Vanished between listing and opening: nothing to do.
    case gone
}

/// The spool directory (contract §2): `tmp/`, `new/`, `done/YYYY-MM-DD/`, `rejected/`, and the outbox.
public struct Spool: Sendable {
    public let root: String
    public let outbox: String

    public init(root: String, outbox: String) {
        self.root = root
        self.outbox = outbox
    }

    public var tmp: String { root + "/tmp" }
    public var new: String { root + "/new" }
    public var done: String { root + "/done" }
    public var rejected: String { root + "/rejected" }
    public var outboxStaging: String { outbox + "/.tmp" }
    /// Where the archive keeps the submitters' files until its copies are durable: one holding
    /// folder per round, `done/.tmp/DATE.PID.N/NAME` (see ``Archive``).
    public var doneStaging: String { done + "/.tmp" }
    /// Where sidecars are written before they take their place in `rejected/`.
    public var rejectedStaging: String { rejected + "/.tmp" }

    /// Creates the folders that are missing (a packaged install has them from tmpfiles.d).
    public func prepare() throws(FileSystemError) {
        for dir in [tmp, new, done, rejected, outbox, outboxStaging, doneStaging, rejectedStaging] where access(dir, F_OK) != 0 {
            try FileSystem.makeDirectories(dir)
        }
    }

    /// Documents waiting in `new/`, by name (names that are not UTF-8 left out: see ``listing()``).
    public func waiting() throws(FileSystemError) -> [String] { try FileSystem.list(new) }

    /// Every entry waiting in `new/`, names that are not UTF-8 included, sorted by name.
    public func listing() throws(FileSystemError) -> [SpoolEntry] { try FileSystem.entries(new) }

    /// What `lstat` says of an entry of `new/`; nil when it is gone.
    public func status(of entry: SpoolEntry) -> EntryStatus? { FileSystem.status(of: entry, in: new) }

    /// Reads `new/NAME` without following links or blocking. With `expecting`, a file that is not
    /// the one `lstat` described (another inode took the name since) is passed over as gone: it
    /// is seen again, and judged, on its own.
    public func read(_ name: String, maxBytes: Int, expecting: EntryStatus? = nil) -> SpoolRead {
        let path = "\(new)/\(name)"
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            switch errno {
            case ENOENT: return .gone
            case ELOOP:
                return .refused(name: name, owner: lstatOwner(path), Refusal(.notRegularFile, "the file is a symbolic link; links are never followed"))
            default:
                return .refused(name: name, owner: lstatOwner(path),
                                Refusal(.notRegularFile, "cannot open: \(String(cString: strerror(errno)))"))
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .gone }
        if let expecting, UInt64(st.st_dev) != expecting.device || UInt64(st.st_ino) != expecting.inode { return .gone }
        guard st.st_mode & S_IFMT == S_IFREG else {
            return .refused(name: name, owner: st.st_uid, Refusal(.notRegularFile, "not a regular file (\(Self.typeName(st.st_mode)))"))
        }
        guard st.st_nlink <= 1 else {
            return .refused(name: name, owner: st.st_uid,
                            Refusal(.notRegularFile, "the file has \(st.st_nlink) hard links; hand documents off with rename(2) from tmp/"))
        }
        guard Int(st.st_size) <= maxBytes else {
            return .refused(name: name, owner: st.st_uid, Refusal(.tooLarge, "the file is \(st.st_size) bytes; the limit is \(maxBytes)"))
        }
        // Sized by fstat, plus one byte to notice a file that grows while it is read. No read to
        // see the end once `size` bytes came: the fstat after says whether the file grew.
        let size = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var total = 0
        while total < size {
            let n = bytes[total...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .refused(name: name, owner: st.st_uid, Refusal(.notRegularFile, "cannot read: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            total += n
        }
        bytes.removeSubrange(total...)
        var after = stat()
        guard fstat(fd, &after) == 0, after.st_size == st.st_size, total == Int(st.st_size),
              after.st_mtim.tv_sec == st.st_mtim.tv_sec, after.st_mtim.tv_nsec == st.st_mtim.tv_nsec else {
            return .refused(name: name, owner: st.st_uid,
                            Refusal(.changedWhileRead, "the file changed while it was read; write documents in tmp/ and rename them into new/"))
        }
        return .file(SpoolFile(name: name, bytes: bytes, status: EntryStatus(after)))
    }

    private func lstatOwner(_ path: String) -> uid_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_uid : nil
    }

    /// What a file of `mode` is, for a refusal: "a FIFO", "a directory"…
    public static func typeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        case S_IFLNK: return "a symbolic link"
        default: return "an unknown type"
        }
    }

    /// Files left in `tmp/` longer than this are abandoned hand-offs (the Maildir rule).
    public static let staleAge: Int64 = 36 * 3600

    /// Removes the regular files of `tmp/` not modified for `staleAge` as of `now`; returns their
    /// names. Names starting with `.` are left alone, like everywhere.
    public func removeStale(now: Instant) throws(FileSystemError) -> [String] {
        var removed: [String] = []
        for name in try FileSystem.list(tmp) {
            var st = stat()
            let path = "\(tmp)/\(name)"
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            if now.seconds - Int64(st.st_mtim.tv_sec) > Self.staleAge, unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// A staged notice older than this is abandoned, whoever wrote it: writing one takes milliseconds.
    public static let abandonedStagingAge: Int64 = 600

    /// Removes the files a writer that died left in `outbox/.tmp/` (staged notices are named
    /// `.NOTICE_ID.json.PID.tmp`): those of this process's pid, of a pid no longer running, of a
    /// name that says no pid, or older than ``abandonedStagingAge``. Returns their names. Their
    /// notices are still pending in the store (a notice is recorded delivered only once renamed
    /// into the outbox), so they are written again.
    public func removeStagingLeftovers(now: Instant) throws(FileSystemError) -> [String] {
        var removed: [String] = []
        for name in try FileSystem.list(outboxStaging, hidden: true) {
            var st = stat()
            let path = "\(outboxStaging)/\(name)"
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            let old = now.seconds - Int64(st.st_mtim.tv_sec) > Self.abandonedStagingAge
            if old || !Self.writerRuns(stagedName: name), unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// Whether the process that stages `name` (its pid before `.tmp`) runs, and is not this one.
    static func writerRuns(stagedName name: String) -> Bool {
        guard name.hasSuffix(".tmp"), let pid = name.dropLast(4).split(separator: ".").last.flatMap({ pid_t($0) }),
              pid > 0, pid != getpid() else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Writes a notice to the outbox as `NOTICE_ID.json` (see ``writeOutbox(_:)``).
    public func writeOutbox(noticeID: String, bytes: [UInt8]) throws(FileSystemError) {
        if let failure = writeOutbox([(noticeID, bytes)])[0] { throw failure }
    }

    /// Writes notices to the outbox, each as `NOTICE_ID.json` (replacing a file of that name),
    /// durably and together: each is staged in `outbox/.tmp/` and fsync'd, then renamed into
    /// place, then one fsync of each folder makes every rename durable — two folder fsyncs for
    /// the lot rather than two a notice (1,000 notices due at once are 1,000 files). Returns the
    /// failure of each notice, in order; nil where it is written. Staged as
    /// `.NOTICE_ID.json.PID.tmp`.
    ///
    /// The consumer's group may write in `outbox/` (moving a file out takes it), so it could move
    /// `.tmp/` away and put a folder of its own there, and swap a file of its own in for one
    /// staged: both folders are held open, the staging folder only if it is a folder of the
    /// daemon's own account that no one else may write (else the write fails, and is told as
    /// an outbox failure), and the files are created and renamed through them.
    public func writeOutbox(_ notices: [(noticeID: String, bytes: [UInt8])]) -> [FileSystemError?] {
        guard !notices.isEmpty else { return [] }
        var failures = [FileSystemError?](repeating: nil, count: notices.count)
        let all = { (failure: FileSystemError) in [FileSystemError?](repeating: failure, count: notices.count) }
        let box = open(outbox, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard box >= 0 else { return all(FileSystemError("open", outbox)) }
        defer { close(box) }
        if mkdirat(box, ".tmp", 0o700) != 0 && errno != EEXIST { return all(FileSystemError("mkdir", outboxStaging)) }
        let staging = openat(box, ".tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard staging >= 0 else { return all(FileSystemError("open", outboxStaging)) }
        defer { close(staging) }
        var st = stat()
        guard fstat(staging, &st) == 0 else { return all(FileSystemError("fstat", outboxStaging)) }
        guard st.st_uid == geteuid(), st.st_mode & 0o022 == 0 else {
            return all(FileSystemError("stage in (not a folder of consultd's own that only it may write)", outboxStaging, errno: EPERM))
        }
        let temp = { (noticeID: String) in ".\(noticeID).json.\(getpid()).tmp" }
        var staged: [Int] = []
        for (i, notice) in notices.enumerated() {
            unlinkat(staging, temp(notice.noticeID), 0)   // a leftover of a crashed writer of the same pid
            do {
                close(try FileSystem.createDurably(staging, temp(notice.noticeID), path: "\(outboxStaging)/\(temp(notice.noticeID))",
                                                   bytes: notice.bytes))
                staged.append(i)
            } catch {
                failures[i] = error
            }
        }
        var renamed: [Int] = []
        for i in staged {
            let id = notices[i].noticeID
            if renameat(staging, temp(id), box, "\(id).json") == 0 {
                renamed.append(i)
            } else {
                failures[i] = FileSystemError("rename", "\(outbox)/\(id).json")
                unlinkat(staging, temp(id), 0)
            }
        }
        guard !renamed.isEmpty else { return failures }
        let synced: FileSystemError? = fsync(box) != 0 ? FileSystemError("fsync", outbox)
            : fsync(staging) != 0 ? FileSystemError("fsync", outboxStaging) : nil
        if let synced { for i in renamed { failures[i] = synced } }
        return failures
    }
}

/// Hand-offs as a submitter makes them (`consultctl submit`): each document written whole to
/// `tmp/` and fsync'd, then renamed into `new/` (as its name, or `NAME.1` … when taken);
/// ``commit()`` then makes the renames durable.
///
/// A submitter may create and rename in `tmp/` and `new/` (mode 1730) but not list or read them,
/// so the folders are held with `O_PATH` and cannot be fsync'd: `commit()` calls syncfs(2) on a
/// document's own descriptor, which commits the spool's file system — directory entries
/// included — once for the whole batch.
public final class HandOff {
    let spool: Spool
    let directories: FileSystem.Directories
    /// The last document handed off, still open: syncfs needs a descriptor of the file system.
    private var last: Int32 = -1

    public init(_ spool: Spool) throws(FileSystemError) {
        self.spool = spool
        directories = try FileSystem.Directories(spool.tmp, spool.new, readable: false)
    }

    deinit { if last >= 0 { close(last) } }

    /// Hands one document off; returns its name in `new/`. The file belongs to the caller and is
    /// readable by the daemon, whatever the caller's umask: mode 0640 where `tmp/` grants the
    /// daemon's account reading through a default ACL (consultd.tmpfiles), so that no other
    /// submitter can read it (a held reply waits in `new/` for days); 0644 elsewhere.
    public func put(_ bytes: [UInt8], name: String) throws(FileSystemError) -> String {
        var base = String(name.drop { $0 == "." })
        if base.isEmpty { base = "document.json" }
        // Within NAME_MAX whatever the name: room for ".PID.RANDOM" (at most 22 bytes).
        let temp = "\(SpoolNames.fitted(base, reserve: 22)).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let fd = try FileSystem.createDurably(directories.from, temp, path: "\(spool.tmp)/\(temp)", bytes: bytes)
        // An inherited access ACL: the mode's group bits are its mask (keeping the daemon's
        // entry), and "other" gets nothing.
        _ = fchmod(fd, consultd_has_access_acl(fd) == 1 ? 0o640 : 0o644)
        do {
            let final = try FileSystem.moveWithoutReplacing(temp, directories, name: base)
            if last >= 0 { close(last) }
            last = fd
            return final
        } catch {
            close(fd)
            unlinkat(directories.from, temp, 0)
            throw error
        }
    }

    /// Makes every hand-off so far durable: one commit of the spool's file system.
    public func commit() throws(FileSystemError) {
        guard last >= 0 else { return }
        guard consultd_syncfs(last) == 0 else { throw FileSystemError("syncfs", spool.new) }
    }
}
