#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore
import Synchronization

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
