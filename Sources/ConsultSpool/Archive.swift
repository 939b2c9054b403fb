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

extension Spool {
    /// Marks a holding folder synced, once a syncfs after its round made it durable.
    public func markSynced(holding: String) throws(FileSystemError) -> String {
        let name = holding.split(separator: "/").last.map(String.init) ?? ""
        let synced = "\(doneStaging)/synced.\(Self.cachedFolder(name)?.rest ?? name)"
        guard rename(holding, synced) == 0 else { throw FileSystemError("rename", holding) }
        return synced
    }

    /// Marks the holding folder of a round whose copies are all made, but not yet written back,
    /// as `cached.BOOT.NAME`: where the kernel that holds them in its page cache still runs (the
    /// same boot id), a syncfs is all they need; after a reboot, they are checked as after a
    /// crash. Nil, and nothing renamed, where the boot id cannot be read: the caller syncs.
    public func markCached(holding: String) throws(FileSystemError) -> String? {
        guard let boot = Self.bootID else { return nil }
        let cached = "\(doneStaging)/cached.\(boot).\(holding.split(separator: "/").last ?? "")"
        guard rename(holding, cached) == 0 else { throw FileSystemError("rename", holding) }
        return cached
    }

    /// The kernel's boot id (`/proc/sys/kernel/random/boot_id`, as 32 hex digits), which changes
    /// with every boot; nil where it cannot be read (the unit's `ProcSubset=pid` hides it).
    public static let bootID: String? = {
        guard let bytes = FileSystem.kernelValue("/proc/sys/kernel/random/boot_id") else { return nil }
        let hex = bytes.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "\n") }
        guard hex.count == 32, hex.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return String(decoding: hex, as: UTF8.self)
    }()

    /// The boot id and the holding folder's own name of a folder marked `cached.BOOT.NAME`.
    static func cachedFolder(_ name: String) -> (boot: String, rest: String)? {
        let parts = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cached", parts[1].count == 32 else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    /// One syncfs of the spool's file system: everything archived so far durable.
    public func syncArchive() throws(FileSystemError) {
        try FileSystem.Folder(done).syncFileSystem()
    }
}

/// What ``Spool/recoverArchive(maxBytes:progress:applied:)`` found in `done/.tmp`.
public struct ArchiveRecovery: Sendable {
    /// Holding folders synced (by it, or before), whose files are to be removed.
    public var synced: [String] = []
    /// Holding folders marked `cached.` in this boot: their copies are whole, in the page cache;
    /// one syncfs, then they are synced (``Spool/markSynced(holding:)``). Left to the caller,
    /// off the intake's path.
    public var cached: [String] = []
    /// What could not be restored, each a sentence to tell.
    public var problems: [String] = []
}

extension Spool {
    /// Finishes what a crash interrupted (see ``Archive``): each holding folder not marked synced
    /// — nor `cached.` in this boot (``markCached(holding:)``) — is checked: every document kept
    /// there has its copy in `done/DATE/`, written again where it is missing or differs; then
    /// they are synced once and marked.
    ///
    /// A kept file still belongs to its submitter, who may have written to it since it was
    /// applied: its bytes replace a copy only if they are those of a document applied (`applied`
    /// answers, for a set of SHA-256 hashes, which are, and when each was applied: the copy's
    /// modification time, ranked after the copies of that second already there) and within
    /// `maxBytes`.
    ///
    /// A folder locked by its intake (``Archive/lock``) is alive, this process's or another's,
    /// and left alone. `progress` is called after each folder (the service feeds its watchdog).
    public func recoverArchive(maxBytes: Int, progress: () -> Void = {},
                               applied: (Set<String>) throws -> [String: Instant]) throws -> ArchiveRecovery {
        var found = ArchiveRecovery(), unsynced: [String] = []
        var repairs: [(folder: FileSystem.Folder, holding: String, entry: SpoolEntry, bytes: [UInt8], hash: String)] = []
        // Kept files that are no document applied (rewritten since, or put in the holding folder
        // in place of one): submitted all the same, never removed — back to new/, judged on their own.
        var strays: [(holding: String, entry: SpoolEntry, why: String)] = []
        var locks: [Int32] = []
        defer { for lock in locks { close(lock) } }
        for name in try FileSystem.list(doneStaging) {
            let dir = "\(doneStaging)/\(name)"
            let cached = Self.cachedFolder(name)
            // A folder marked cached in an earlier boot: its copies may have been lost with the
            // page cache, so it is checked as one a crash left.
            let own = cached?.rest ?? name
            guard name.hasPrefix("synced.") || LocalDate(iso: String(own.prefix(10))) != nil else { continue }
            guard let lock = FileSystem.lockFolder(dir) else { continue }
            locks.append(lock)
            defer { progress() }
            if name.hasPrefix("synced.") {
                found.synced.append(dir)
                continue
            }
            if let cached, cached.boot == Self.bootID {
                found.cached.append(dir)
                continue
            }
            guard let date = LocalDate(iso: String(own.prefix(10))) else { continue }
            let day = "\(done)/\(date)"
            if access(day, F_OK) != 0 { try FileSystem.makeDirectories(day) }
            let folder = try FileSystem.Folder(day)
            for entry in try FileSystem.entries(dir) {
                let (kept, problem) = FileSystem.contents(entry.path(in: dir), maxBytes: maxBytes)
                guard let kept else {
                    strays.append((dir, entry, problem ?? "unreadable"))
                    continue
                }
                let (copy, _) = FileSystem.contents(entry.path(in: day), maxBytes: maxBytes)
                if copy != kept { repairs.append((folder, dir, entry, kept, SHA256.hex(kept))) }
            }
            unsynced.append(dir)
        }
        let known = try applied(Set(repairs.map(\.hash)))
        for repair in repairs {
            guard let at = known[repair.hash] else {
                strays.append((repair.holding, repair.entry, "holds bytes no document applied has; the copy \(repair.folder.path)/\(repair.entry.name) is left as it is"))
                continue
            }
            repair.folder.remove(repair.entry.cName)
            try repair.folder.create(repair.entry.name, bytes: repair.bytes, sync: false, exclusive: true,
                                     modified: repair.folder.nextModificationTime(appliedAt: at))
        }
        for stray in strays {
            do {
                let put = try FileSystem.moveWithoutReplacing(stray.entry.name, FileSystem.Directories(stray.holding, new), name: stray.entry.name)
                found.problems.append("\(stray.holding)/\(stray.entry.name) \(stray.why): put back in new/ as \(put), to be judged on its own")
            } catch {
                // Kept, not synced: the next start tries again; nothing submitted is removed.
                found.problems.append("\(stray.holding)/\(stray.entry.name) \(stray.why), and cannot be put back in new/ (\(error)): the folder is kept")
                unsynced.removeAll { $0 == stray.holding }
            }
        }
        guard !unsynced.isEmpty else { return found }
        try syncArchive()
        for dir in unsynced { found.synced.append(try markSynced(holding: dir)) }
        return found
    }
}

/// A file of `done/DATE/` as `consultctl verify` reads it.
public struct ArchivedFile: Sendable {
    public let date: String
    public let name: String
    /// The SHA-256 of its bytes; nil when it cannot be read as a regular file.
    public let hash: String?
    /// Why it could not be read.
    public let problem: String?
}

extension Spool {
    /// Every entry of every `done/DATE/` folder (dot-names and the staging folder left out), read
    /// without following links and hashed, one at a time.
    public func archivedFiles(_ body: (ArchivedFile) -> Void) throws(FileSystemError) {
        for date in try FileSystem.list(done) {
            let dir = "\(done)/\(date)"
            guard let status = FileSystem.status(of: SpoolEntry(bytes: Array(date.utf8)), in: done), status.mode & S_IFMT == S_IFDIR else {
                continue
            }
            for entry in try FileSystem.entries(dir) {
                let (bytes, problem) = FileSystem.contents(entry.path(in: dir))
                body(ArchivedFile(date: date, name: entry.name, hash: bytes.map(SHA256.hex), problem: problem))
            }
        }
    }
}

extension FileSystem {
    /// The first bytes of a file of /proc (whose size `stat` gives as 0), up to the end or 256;
    /// nil where it cannot be read.
    static func kernelValue(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 256), total = 0
        while total < bytes.count {
            let n = bytes[total...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            total += n
        }
        return Array(bytes.prefix(total))
    }

    /// The bytes of a regular file (never through a link, never blocking on a FIFO), or why not.
    static func contents(_ path: [CChar], maxBytes: Int = .max) -> ([UInt8]?, String?) {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return (nil, String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return (nil, String(cString: strerror(errno))) }
        guard st.st_mode & S_IFMT == S_IFREG else { return (nil, "not a regular file (\(Spool.typeName(st.st_mode)))") }
        guard Int(st.st_size) <= maxBytes else { return (nil, "\(st.st_size) bytes, over the limit of \(maxBytes)") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var total = 0
        while total < bytes.count {
            let n = bytes[total...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return (nil, String(cString: strerror(errno))) }
            if n == 0 { break }
            total += n
        }
        return (Array(bytes.prefix(total)), nil)
    }
}

extension FileSystem.Folder {
    /// The modification time of a copy applied at `instant` made again after a crash: that
    /// second, ranked after the copies of that second the folder holds.
    func nextModificationTime(appliedAt instant: Instant) -> timespec {
        var rank = 0
        for entry in (try? FileSystem.entries(path)) ?? [] {
            var st = stat()
            if lstat(entry.path(in: path), &st) == 0, Int64(st.st_mtim.tv_sec) == instant.seconds {
                rank = max(rank, min(st.st_mtim.tv_nsec + 1, 999_999_999))
            }
        }
        return timespec(tv_sec: Int(instant.seconds), tv_nsec: rank)
    }
}

/// A document of `done/DATE/` as `consultctl restore` replays it.
public struct ArchivedDocument: Sendable {
    public let date: LocalDate
    /// Its name in `done/DATE/` (`NAME`, or `NAME.1` … when the name was taken that day).
    public let archivedName: String
    /// Its bytes, under the name it had in `new/`.
    public let file: SpoolFile
    /// When it was applied: the copy's modification time.
    public let appliedAt: Instant
    /// Its rank among the documents applied in that second (the modification time's nanoseconds).
    public let rank: Int

    /// `DATE/NAME` under `done/`.
    public var archivePath: String { "\(date)/\(archivedName)" }
}

extension Spool {
    /// The documents `done/` archived from `since` on (by their copies' modification times), in
    /// the order they were applied; and what could not be read, each with the reason. Only the
    /// folders from the day before `since` on are read. Each document keeps the name it had in
    /// `new/`: a copy named `NAME.N` beside a `NAME` took the suffix in `done/` only.
    public func archivedDocuments(since: Instant?, firstDay: LocalDate?, maxBytes: Int) -> (documents: [ArchivedDocument], problems: [String]) {
        var documents: [ArchivedDocument] = [], problems: [String] = []
        for (date, dir) in Self.datedFolders(done) where firstDay.map({ date >= $0.adding(days: -1) }) ?? true {
            let entries: [SpoolEntry]
            do { entries = try FileSystem.entries(dir) } catch {
                problems.append("\(error)")
                continue
            }
            let names = Set(entries.map(\.name))
            for entry in entries {
                guard let status = FileSystem.status(of: entry, in: dir), status.isRegularFile else {
                    problems.append("\(dir)/\(entry.name): not a regular file")
                    continue
                }
                let seconds = status.modified / 1_000_000_000
                if let since, seconds < since.seconds { continue }
                let (bytes, problem) = FileSystem.contents(entry.path(in: dir), maxBytes: maxBytes)
                guard let bytes else {
                    problems.append("\(dir)/\(entry.name): \(problem ?? "unreadable")")
                    continue
                }
                var original = entry.name
                if let dot = original.lastIndex(of: "."), let n = Int(original[original.index(after: dot)...]), n > 0,
                   names.contains(String(original[..<dot])) {
                    original = String(original[..<dot])
                }
                documents.append(ArchivedDocument(date: date, archivedName: entry.name,
                                                  file: SpoolFile(name: original, bytes: bytes, status: status),
                                                  appliedAt: Instant(seconds: seconds), rank: Int(status.modified % 1_000_000_000)))
            }
        }
        documents.sort { ($0.appliedAt, $0.rank, $0.date, $0.archivedName) < ($1.appliedAt, $1.rank, $1.date, $1.archivedName) }
        return (documents, problems)
    }
}
