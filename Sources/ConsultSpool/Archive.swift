#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore

/// `done/DATE/`, the archive of one day, which belongs to the daemon (contract §2): each applied
/// document is kept there as a file of the daemon's own, holding the bytes that were read,
/// hashed and applied — never the submitter's file, which its owner could still change through
/// a descriptor kept open or a hard link made after the hand-off.
///
/// A batch is archived in four steps, each document's name in `done/DATE/` chosen first (one
/// that is free: `NAME`, `NAME.1` …, within NAME_MAX):
/// 1. the copies are written to `done/.tmp/DATE/NAME` (only this process writes there);
/// 2. they are made durable together: one syncfs of the file system (one fsync each in a small
///    batch);
/// 3. the submitter's file is renamed from `new/` to `done/DATE/NAME` (so it leaves `new/` at
///    once and for good);
/// 4. the copy is renamed over it.
///
/// A crash between 3 and 4 leaves the submitter's file in `done/DATE/NAME` and the durable copy
/// in `done/.tmp/DATE/NAME`: ``Spool/recoverArchive()`` (at start) puts the copy in its place.
/// A crash before 3 leaves the document in `new/` (it is applied again as a no-op, and
/// archived then) and a copy that recovery removes.
public final class Archive {
    let spool: Spool
    public let date: LocalDate
    let new: FileSystem.Folder
    let day: FileSystem.Folder
    let staging: FileSystem.Folder

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

    public init(spool: Spool, date: LocalDate) throws(FileSystemError) {
        self.spool = spool
        self.date = date
        let dir = "\(spool.done)/\(date)", stagingDir = "\(spool.doneStaging)/\(date)"
        if access(dir, F_OK) != 0 {
            try FileSystem.makeDirectories(dir)
            try FileSystem.syncDirectory(spool.done)
        }
        if access(stagingDir, F_OK) != 0 { try FileSystem.makeDirectories(stagingDir) }
        new = try FileSystem.Folder(spool.new)
        day = try FileSystem.Folder(dir)
        staging = try FileSystem.Folder(stagingDir)
    }

    /// Archives a batch of applied documents; the name each took in `done/DATE/`, or why it could
    /// not be archived (it then stays in `new/`, to be archived on the next pass).
    public func archive(_ items: [Item]) -> [Result<String, FileSystemError>] {
        var results = [Result<String, FileSystemError>](repeating: .failure(FileSystemError("archive", spool.new, errno: 0)),
                                                       count: items.count)
        let each = items.count < Spool.syncEachBelow
        var staged: [(index: Int, name: String)] = []
        var reserved: Set<String> = []
        for (i, item) in items.enumerated() {
            let name = day.freeName(item.name, reserved: reserved)
            reserved.insert(name)
            do {
                try staging.create(name, bytes: item.bytes, sync: each)
                staged.append((i, name))
            } catch {
                results[i] = .failure(error)
            }
        }
        if !each && !staged.isEmpty {
            do {
                try staging.syncFileSystem()
            } catch {
                for s in staged {
                    staging.remove(s.name)
                    results[s.index] = .failure(error)
                }
                return results
            }
        }
        for s in staged { results[s.index] = place(items[s.index], as: s.name) }
        return results
    }

    /// Steps 3 and 4 for one document.
    private func place(_ item: Item, as name: String) -> Result<String, FileSystemError> {
        if FileSystem.renameNoReplace(new.fd, item.name, day.fd, name) != 0 {
            // Gone: its owner removed it after it was applied; the copy is what is archived.
            guard errno == ENOENT else {
                let error = FileSystemError("rename", "\(spool.new)/\(item.name)")
                staging.remove(name)
                return .failure(error)
            }
        } else if let moved = day.status(name), moved.device != item.status.device || moved.inode != item.status.inode {
            // Another file took the name in new/ after this one was read: it was not applied.
            // Back to new/ (under a free name), to be judged on its own.
            do {
                _ = try FileSystem.moveWithoutReplacing(name, FileSystem.Directories(day.path, new.path), name: item.name)
            } catch {
                staging.remove(name)
                return .failure(error)
            }
        }
        guard renameat(staging.fd, name, day.fd, name) == 0 else {
            // Left for recoverArchive(), which puts the copy in place at the next start.
            return .failure(FileSystemError("rename", "\(staging.path)/\(name)"))
        }
        return .success(name)
    }

    /// fsync of `done/DATE/` and `new/`: makes every move of the round durable. (A move lost in a
    /// crash only brings back a document already applied: a no-op, archived again.)
    public func sync() throws(FileSystemError) {
        try day.sync()
        try new.sync()
    }
}

extension Spool {
    /// Finishes what a crash interrupted (see ``Archive``): each copy left in `done/.tmp/DATE/`
    /// replaces the submitter's file of its name in `done/DATE/`, or is removed where there is
    /// none. Returns how many were put in place.
    @discardableResult
    public func recoverArchive() throws(FileSystemError) -> Int {
        var recovered = 0
        for date in try FileSystem.list(doneStaging) {
            let stagingDir = "\(doneStaging)/\(date)", dir = "\(done)/\(date)"
            var placed = 0
            for entry in try FileSystem.entries(stagingDir) {
                if FileSystem.status(of: entry, in: dir) != nil {
                    guard rename(entry.path(in: stagingDir), entry.path(in: dir)) == 0 else {
                        throw FileSystemError("rename", "\(stagingDir)/\(entry.name)")
                    }
                    placed += 1
                } else {
                    unlink(entry.path(in: stagingDir))
                }
            }
            if placed > 0 { try FileSystem.syncDirectory(dir) }
            recovered += placed
            rmdir(stagingDir)
        }
        return recovered
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
    /// The bytes of a regular file (never through a link, never blocking on a FIFO), or why not.
    static func contents(_ path: [CChar]) -> ([UInt8]?, String?) {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return (nil, String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return (nil, String(cString: strerror(errno))) }
        guard st.st_mode & S_IFMT == S_IFREG else { return (nil, "not a regular file (\(Spool.typeName(st.st_mode)))") }
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
