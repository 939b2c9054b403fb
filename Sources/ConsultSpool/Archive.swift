#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore
import Synchronization

/// `done/DATE/`, the archive of one day, which belongs to the daemon (contract §2): each applied
/// document is kept there as a file of the daemon's own, holding the bytes that were read,
/// hashed and applied — never the submitter's file, which its owner could still change through
/// a descriptor kept open or a hard link made after the hand-off.
///
/// One `Archive` per round of intake. Each document, in turn:
/// 1. its name in `done/DATE/` is chosen: the first free of `NAME`, `NAME.1` … (within NAME_MAX);
/// 2. the submitter's file is renamed from `new/` into the round's holding folder,
///    `done/.tmp/DATE.PID.N/NAME` (the daemon's alone): it leaves `new/` at once, and is kept
///    until the copy is durable;
/// 3. the daemon's copy of the bytes applied is created as `done/DATE/NAME`.
///
/// The copy's modification time is the instant it was applied, by the store's clock (`--at` for
/// `consultd --once --at`), and its nanoseconds its rank among the copies made in that second:
/// `consultctl restore` replays what `done/` archived after a backup in the order, and at the
/// instants, it was first applied (``Spool/archivedDocuments(since:maxBytes:)``).
///
/// The intake settles the round later, off its path: one syncfs (``Spool/syncArchive()``) makes every copy
/// and every rename durable, then the holding folder is renamed `synced.DATE.PID.N` and its files
/// removed (removing thousands of files is slow where the file system discards freed blocks at
/// once).
///
/// A process that exits before its rounds are settled marks their folders `cached.BOOT.…`
/// (``Spool/markCached(holding:)``): the copies are whole, in the page cache of the kernel whose
/// boot id that is, and the next start in that boot only syncs them.
///
/// After a crash, ``Spool/recoverArchive(maxBytes:progress:applied:)`` checks each holding folder
/// neither marked synced nor cached in this boot: where `done/DATE/NAME` is missing (the crash came between steps 2 and 3) or
/// holds other bytes (a copy a power cut tore), it is written again from the submitter's file
/// kept there — only if that file holds the bytes of a document applied, as its submitter may
/// have written to it since. A crash before step 2 leaves the document in `new/`: it is applied
/// again as a no-op, and archived then. A copy no kept file backs (its submitter removed or
/// replaced the file after it was applied) is fsync'd at once.
public final class Archive {
    let spool: Spool
    public let date: LocalDate
    /// When the round's documents were applied (the store's clock); nil: copies keep the time
    /// they are made.
    let appliedAt: Instant?
    let new: FileSystem.Folder
    let day: FileSystem.Folder
    let holding: FileSystem.Folder
    /// An exclusive `flock` on the holding folder, taken as it is made and kept until the round
    /// is settled (the intake closes it): recovery leaves alone a folder whose intake is alive —
    /// this process's or another's (a `--once` beside the service) — and finishes one whose
    /// intake died, as the kernel drops a dead process's locks.
    public let lock: Int32

    /// Names in the holding folder of files that are no document archived: one put in new/ in
    /// place of one applied, which could not be moved back (the intake puts it back when it
    /// settles the round, never removes it).
    public private(set) var strays: [String] = []

    /// Rounds this process has begun (they number its holding folders).
    static let rounds = Atomic<Int>(0)

    /// The second of the last copy made, and the rank the next copy of that second takes.
    static let ranks = Mutex<(second: Int64, next: Int)>((0, 0))

    /// The modification time of the next copy applied at `instant`: that second, its rank
    /// among the copies of that second as nanoseconds.
    static func modificationTime(appliedAt instant: Instant) -> timespec {
        let rank = ranks.withLock { last in
            if last.second != instant.seconds { last = (instant.seconds, 0) }
            defer { last.next = min(last.next + 1, 999_999_999) }
            return last.next
        }
        return timespec(tv_sec: Int(instant.seconds), tv_nsec: rank)
    }

    /// A document to archive: its name in `new/`, the bytes applied, and the file they were read
    /// from (its device and inode).
    public struct Item: Sendable {
        public let name: String
        public let bytes: [UInt8]
        public let status: EntryStatus

        public init(name: String, bytes: [UInt8], status: EntryStatus) {
            self.name = name
            self.bytes = bytes
            self.status = status
        }
    }

    /// A round of documents applied at `appliedAt`, on `date` (its local date).
    public init(spool: Spool, date: LocalDate, appliedAt: Instant? = nil) throws(FileSystemError) {
        self.spool = spool
        self.date = date
        self.appliedAt = appliedAt
        let dir = "\(spool.done)/\(date)"
        let round = Self.rounds.add(1, ordering: .relaxed).newValue
        let holdingDir = "\(spool.doneStaging)/\(date).\(getpid()).\(round)"
        if access(dir, F_OK) != 0 {
            try FileSystem.makeDirectories(dir)
            try FileSystem.syncDirectory(spool.done)
        }
        if access(holdingDir, F_OK) != 0 { try FileSystem.makeDirectories(holdingDir, mode: 0o700) }
        new = try FileSystem.Folder(spool.new)
        day = try FileSystem.Folder(dir)
        holding = try FileSystem.Folder(holdingDir)
        // Another process's recovery may have taken the new, empty folder for a dead intake's
        // in the instant before the lock: then this round fails, and the next pass makes another.
        guard let lock = FileSystem.lockFolder(holdingDir) else { throw FileSystemError("flock", holdingDir, errno: EWOULDBLOCK) }
        var locked = stat(), there = stat()
        guard fstat(lock, &locked) == 0, stat(holdingDir, &there) == 0, locked.st_ino == there.st_ino,
              locked.st_dev == there.st_dev, UInt64(locked.st_ino) == holding.inode else {
            close(lock)
            throw FileSystemError("flock", holdingDir, errno: ENOENT)
        }
        self.lock = lock
    }

    /// Archives a batch of applied documents: the name each took in `done/DATE/`, or why it could
    /// not be archived (it then stays in `new/`, to be archived on the next pass).
    public func archive(_ items: [Item]) -> [Result<String, FileSystemError>] {
        items.map(archive)
    }

    private func archive(_ item: Item) -> Result<String, FileSystemError> {
        let name = day.freeName(item.name)
        // Whether the submitter's file is kept in the holding folder, from which a copy lost to a
        // power cut can be made again; a copy without it is made durable at once.
        var backed = true
        if FileSystem.renameNoReplace(new.fd, item.name, holding.fd, name) != 0 {
            backed = false
            let failure = FileSystemError("rename", "\(spool.new)/\(item.name)")
            // Unless the file read is still there, its owner removed or replaced it after it was
            // applied (a folder of the same name cannot be moved): the copy is what is archived,
            // and whatever took the name is judged on its own.
            if failure.errno != ENOENT, let there = new.status(item.name), there.isRegularFile, there.isUnchanged(item.status) {
                return .failure(failure)
            }
        } else if let moved = holding.status(name), !moved.isRegularFile || !moved.isUnchanged(item.status) {
            // Another file took the name in new/ after this one was read (an inode number may be
            // used again at once, hence size and time too), or it was written to since: what it
            // holds now was not applied. Back to new/, to be judged on its own.
            backed = false
            if let error = putBack(name, as: item.name) {
                strays.append(name)
                // The copy of what was applied is made all the same; the other file is told of.
                do {
                    try day.create(name, bytes: item.bytes, sync: true, exclusive: true,
                                   modified: appliedAt.map(Self.modificationTime(appliedAt:)))
                    try day.sync()
                } catch {}
                return .failure(error)
            }
        }
        do {
            try day.create(name, bytes: item.bytes, sync: !backed, exclusive: true,
                           modified: appliedAt.map(Self.modificationTime(appliedAt:)))
            if !backed { try day.sync() }
        } catch {
            _ = putBack(name, as: item.name)
            return .failure(error)
        }
        return .success(name)
    }

    /// Moves `name` from the holding folder back to `new/` (under a free name there).
    private func putBack(_ name: String, as original: String) -> FileSystemError? {
        guard holding.has(name) else { return nil }
        do {
            _ = try FileSystem.moveWithoutReplacing(name, FileSystem.Directories(holding.path, new.path), name: original)
            return nil
        } catch {
            return error
        }
    }

    /// The round's holding folder, marked synced (``Spool/markSynced(holding:)``) once settled.
    public var holdingPath: String { holding.path }
}
