#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLinux
import ConsultCore

/// An operating-system call that failed, with the path and the `errno` text.
public struct FileSystemError: Error, Sendable, CustomStringConvertible {
    public let code = "io_error"
    public let path: String
    public let operation: String
    public let errno: Int32

    public init(_ operation: String, _ path: String, errno: Int32 = Glibc.errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String { "\(operation) \(path): \(String(cString: strerror(errno)))" }
}

/// Small, careful wrappers over POSIX file calls.
public enum FileSystem {
    /// Creates a directory and its parents (mode 0755 unless given).
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(FileSystemError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, mode) != 0 && errno != EEXIST { throw FileSystemError("mkdir", current) }
        }
    }

    /// fsync of a directory, making a rename or create in it durable.
    public static func syncDirectory(_ path: String) throws(FileSystemError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystemError("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileSystemError("fsync", path) }
    }

    /// Creates a new file (never an existing one, never through a link) holding `bytes`,
    /// fsync'd before it is closed.
    public static func createDurably(_ path: String, bytes: [UInt8], mode: mode_t = 0o644) throws(FileSystemError) {
        close(try createDurably(AT_FDCWD, path, path: path, bytes: bytes, mode: mode))
    }

    /// Creates `name` in the directory `dir` (a descriptor, `O_PATH` enough) as
    /// ``createDurably(_:bytes:mode:)`` does, and returns its descriptor, still open (the caller
    /// closes it). `path` names it in errors.
    public static func createDurably(_ dir: Int32, _ name: String, path: String, bytes: [UInt8],
                                     mode: mode_t = 0o644) throws(FileSystemError) -> Int32 {
        let fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw FileSystemError("create", path) }
        var failure: FileSystemError?
        var written = 0
        while written < bytes.count && failure == nil {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno != EINTR { failure = FileSystemError("write", path) }
            } else {
                written += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = FileSystemError("fsync", path) }
        if let failure {
            close(fd)
            unlinkat(dir, name, 0)
            throw failure
        }
        return fd
    }

    /// Writes `bytes` to `dir/name` durably and atomically: a temporary file in `stagingDir`
    /// (same file system), fsync, rename over the final name, fsync of `dir`.
    public static func writeDurably(_ bytes: [UInt8], dir: String, name: String, stagingDir: String? = nil,
                                    mode: mode_t = 0o644) throws(FileSystemError) {
        let staging = stagingDir ?? dir
        let temp = "\(staging)/.\(name).\(getpid()).tmp"
        unlink(temp)  // a leftover of a crashed writer of the same pid
        try createDurably(temp, bytes: bytes, mode: mode)
        guard rename(temp, "\(dir)/\(name)") == 0 else {
            let error = FileSystemError("rename", "\(dir)/\(name)")
            unlink(temp)
            throw error
        }
        try syncDirectory(dir)
        if staging != dir { try syncDirectory(staging) }
    }

    /// Renames without replacing: when `toDir/name` exists, tries `name.1`, `name.2` … and
    /// returns the name used. Never overwrites an earlier original.
    public static func moveWithoutReplacing(from: String, toDir: String, name: String,
                                            alsoFree: (String) -> [String] = { _ in [] }) throws(FileSystemError) -> String {
        let slash = from.lastIndex(of: "/")
        let fromDir = slash.map { String(from[..<$0]) } ?? "."
        let source = slash.map { String(from[from.index(after: $0)...]) } ?? from
        let directories = try Directories(fromDir, toDir)
        return try moveWithoutReplacing(source, directories, name: name, alsoFree: alsoFree)
    }

    /// An exclusive `flock` on a folder, held by the descriptor returned (released when it is
    /// closed, or when the process dies); nil when another holds it, or the folder is gone.
    public static func lockFolder(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// A directory held open, for calls relative to it (no path walk each time).
    public final class Folder {
        public let path: String
        let fd: Int32

        public init(_ path: String) throws(FileSystemError) {
            self.path = path
            fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw FileSystemError("open", path) }
        }

        deinit { close(fd) }

        /// The folder's inode (that of the directory opened, wherever it is now).
        var inode: UInt64 {
            var st = stat()
            return fstat(fd, &st) == 0 ? UInt64(st.st_ino) : 0
        }

        /// Whether `name` exists (a dangling link included: links are never followed).
        func has(_ name: UnsafePointer<CChar>) -> Bool {
            var st = stat()
            return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
        }

        /// What `name` is, without following a link; nil when it does not exist.
        func status(_ name: UnsafePointer<CChar>) -> EntryStatus? {
            var st = stat()
            return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? EntryStatus(st) : nil
        }

        /// The first of `name`, `name.1`, `name.2` … (each fitted to NAME_MAX with `reserve` bytes
        /// to spare) that neither exists here with or without `suffix`, nor is in `reserved`.
        func freeName(_ name: String, suffix: String = "", reserved: Set<String> = []) -> String {
            var n = 0
            while true {
                let candidate = SpoolNames.candidate(name, n, reserve: suffix.utf8.count)
                if !reserved.contains(candidate), !has(candidate), suffix.isEmpty || !has(candidate + suffix) { return candidate }
                n += 1
            }
        }

        /// Creates `name` holding `bytes` (never an existing file, never through a link); with
        /// `sync`, fsync'd before it is closed. Unless `exclusive`, a leftover of the same name
        /// (a crash's, in a staging folder only this process writes) is removed first. With
        /// `modified`, the file's modification time is set to it.
        func create(_ name: String, bytes: [UInt8], sync: Bool, exclusive: Bool = false, mode: mode_t = 0o644,
                    modified: timespec? = nil) throws(FileSystemError) {
            var file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
            if file < 0 && errno == EEXIST && !exclusive {
                unlinkat(fd, name, 0)
                file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
            }
            guard file >= 0 else { throw FileSystemError("create", "\(path)/\(name)") }
            var failure: FileSystemError?
            var written = 0
            while written < bytes.count && failure == nil {
                let n = bytes[written...].withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno != EINTR { failure = FileSystemError("write", "\(path)/\(name)") }
                } else {
                    written += n
                }
            }
            if failure == nil, let modified {
                // UTIME_OMIT ((1 << 30) - 2), which Glibc's module leaves out: the access time stays.
                let times = [timespec(tv_sec: 0, tv_nsec: (1 << 30) - 2), modified]
                if futimens(file, times) != 0 { failure = FileSystemError("futimens", "\(path)/\(name)") }
            }
            if failure == nil && sync && fsync(file) != 0 { failure = FileSystemError("fsync", "\(path)/\(name)") }
            close(file)
            if let failure {
                unlinkat(fd, name, 0)
                throw failure
            }
        }

        func remove(_ name: UnsafePointer<CChar>) { unlinkat(fd, name, 0) }

        /// fsync of the directory: makes the names made or removed in it durable.
        public func sync() throws(FileSystemError) {
            guard fsync(fd) == 0 else { throw FileSystemError("fsync", path) }
        }

        /// syncfs(2) of the file system holding the directory: every file written on it durable.
        func syncFileSystem() throws(FileSystemError) {
            guard consultd_syncfs(fd) == 0 else { throw FileSystemError("syncfs", path) }
        }
    }

    /// Two directories held open, so that many renames between them skip the path walks.
    public final class Directories {
        public let fromPath: String, toPath: String
        let from: Int32, to: Int32

        /// With `readable` false, the directories are held with `O_PATH`: search permission is
        /// enough (a submitter may not list `tmp/` and `new/`), and ``sync()`` is impossible.
        public init(_ fromPath: String, _ toPath: String, readable: Bool = true) throws(FileSystemError) {
            self.fromPath = fromPath
            self.toPath = toPath
            let flags = (readable ? O_RDONLY : consultd_O_PATH) | O_DIRECTORY | O_CLOEXEC
            from = open(fromPath, flags)
            guard from >= 0 else { throw FileSystemError("open", fromPath) }
            to = open(toPath, flags)
            guard to >= 0 else {
                let error = FileSystemError("open", toPath)
                close(from)
                throw error
            }
        }

        /// fsync of both directories: makes every rename between them durable.
        public func sync() throws(FileSystemError) {
            guard fsync(to) == 0 else { throw FileSystemError("fsync", toPath) }
            guard fsync(from) == 0 else { throw FileSystemError("fsync", fromPath) }
        }

        deinit {
            close(from)
            close(to)
        }
    }

    /// ``moveWithoutReplacing(from:toDir:name:alsoFree:)`` between directories held open.
    public static func moveWithoutReplacing(_ source: String, _ directories: Directories, name: String,
                                            alsoFree: (String) -> [String] = { _ in [] }) throws(FileSystemError) -> String {
        var candidate = SpoolNames.candidate(name, 0)
        var n = 0
        while true {
            let taken = alsoFree(candidate).contains { faccessat(directories.to, $0, F_OK, 0) == 0 }
            if !taken {
                if renameNoReplace(directories.from, source, directories.to, candidate) == 0 { return candidate }
                guard errno == EEXIST else { throw FileSystemError("rename", "\(directories.fromPath)/\(source)") }
            }
            n += 1
            candidate = SpoolNames.candidate(name, n)
        }
    }

    /// renameat2(RENAME_NOREPLACE): 0, or -1 with errno (EEXIST when `to` is taken).
    static func renameNoReplace(_ fromDir: Int32, _ from: UnsafePointer<CChar>, _ toDir: Int32, _ to: UnsafePointer<CChar>) -> Int32 {
        // renameat2(RENAME_NOREPLACE); link+unlink where the file system lacks it.
        let r = consultd_renameat2(fromDir, from, toDir, to, consultd_RENAME_NOREPLACE)
        if r == 0 { return 0 }
        if errno == EINVAL || errno == ENOSYS {
            guard linkat(fromDir, from, toDir, to, 0) == 0 else { return -1 }
            unlinkat(fromDir, from, 0)
            return 0
        }
        return -1
    }

    /// The entries of a directory as `readdir` gives their bytes, excluding `.`-names, sorted by
    /// name. A name that is not UTF-8 is kept (escaped for display), never mistaken for another.
    public static func entries(_ dir: String) throws(FileSystemError) -> [SpoolEntry] {
        guard let d = opendir(dir) else { throw FileSystemError("opendir", dir) }
        defer { closedir(d) }
        var entries: [SpoolEntry] = []
        while let entry = readdir(d) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes.first != UInt8(ascii: ".") { entries.append(SpoolEntry(bytes: bytes)) }
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// What `lstat` says of `dir/NAME` (never following a link); nil when it does not exist.
    public static func status(of entry: SpoolEntry, in dir: String) -> EntryStatus? {
        var st = stat()
        guard lstat(entry.path(in: dir), &st) == 0 else { return nil }
        return EntryStatus(st)
    }

    /// Removes a folder of files (no subfolders) and the folder itself.
    public static func removeFolder(_ dir: String) {
        for entry in (try? entries(dir)) ?? [] { unlink(entry.path(in: dir)) }
        rmdir(dir)
    }

    /// Names in a directory, excluding `.`-names (unless `hidden`; never `.` and `..`), sorted.
    public static func list(_ dir: String, hidden: Bool = false) throws(FileSystemError) -> [String] {
        guard let d = opendir(dir) else { throw FileSystemError("opendir", dir) }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") || (hidden && name != "." && name != "..") { names.append(name) }
        }
        return names.sorted()
    }
}
