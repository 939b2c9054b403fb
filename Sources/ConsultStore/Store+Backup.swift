#if canImport(Glibc)
import Glibc
#endif
import ConsultCore
import Foundation
import GRDB

/// What a backup holds, and what `consultctl restore` needs of it: from which instant on the
/// documents of `done/` are to be replayed.
public struct BackupRecord: Sendable {
    /// When `consultctl backup` took it; nil for a copy made otherwise.
    public var takenAt: Instant?
    public var consultations: Int
    public var documents: Int
    public var notices: Int
    /// The last document applied before the backup.
    public var lastDocument: DocumentRecord?
    /// The latest instant a document was applied at: everything `done/` archived from this
    /// instant on is replayed (what the backup holds already is recognised and passed over).
    public var appliedUntil: Instant?
}

extension Store {
    static let takenAtKey = "backup_taken_at"

    /// Copies the whole store, consistently, into `destination` (which must not exist), while the
    /// daemon keeps writing: SQLite's online backup into a temporary file beside it (in a folder
    /// of its own, see ``privateFolder(beside:)``), which is marked with `takenAt`, checked,
    /// fsync'd and then linked into place (never over an existing file), mode 0640. Returns what
    /// the backup holds.
    public func backup(to destination: String, takenAt: Instant) throws -> BackupRecord {
        let folder = (destination as NSString).deletingLastPathComponent
        let scratch = try Self.privateFolder(beside: destination)
        defer { Self.removePrivateFolder(scratch) }
        let temp = scratch + "/backup.sqlite"
        let target = try DatabaseQueue(path: temp)
        try queue.backup(to: target)
        // As in read(_:): an immutable copy the daemon's writes could have overtaken is made again.
        if let stamp = unchangedSince, stamp != FileStamp(path) || FileStamp.exists(path + "-wal") {
            var config = GRDB.Configuration()
            config.readonly = true
            config.busyMode = .timeout(10)
            try DatabaseQueue(path: path, configuration: config).backup(to: target)
        }
        try target.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [Self.takenAtKey, String(takenAt.seconds)])
        }
        let record = try target.read(Self.record)
        try target.close()
        try Self.syncFile(temp)
        guard chmod(temp, 0o640) == 0 else { throw StoreError(.openFailed, "cannot chmod \(temp): \(String(cString: strerror(errno)))") }
        guard link(temp, destination) == 0 else {
            throw StoreError(.openFailed, "cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        try Self.syncFile(folder.isEmpty ? "." : folder)
        return record
    }

    /// A new folder only the caller can enter, beside `path` (`.NAME.XXXXXX`, mkdtemp(3)): the
    /// files SQLite makes there (the database, its `-wal` and `-shm`) cannot be swapped for links
    /// by anyone else who may write where `path` is (`/tmp`, or the daemon's own account in the
    /// state folder) while root writes them.
    public static func privateFolder(beside path: String) throws(StoreError) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw StoreError(.openFailed, "cannot make a folder beside \(path): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// Removes a folder made by ``privateFolder(beside:)`` with what is left in it.
    public static func removePrivateFolder(_ folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] { unlink(folder + "/" + name) }
        rmdir(folder)
    }

    /// fsync of a file or folder.
    static func syncFile(_ path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(.openFailed, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StoreError(.openFailed, "cannot fsync \(path): \(String(cString: strerror(errno)))") }
    }

    /// What a store holds, as a backup record.
    static func record(_ db: Database) throws -> BackupRecord {
        let taken = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [takenAtKey]).flatMap { Int64($0) }
        let last = try Row.fetchOne(db, sql: "SELECT hash, file, kind, consultation, agency, applied_at FROM documents ORDER BY rowid DESC LIMIT 1")
        let until = try Int64.fetchOne(db, sql: "SELECT MAX(applied_at) FROM documents")
        return BackupRecord(
            takenAt: taken.map(Instant.init(seconds:)),
            consultations: try Int.fetchOne(db, sql: "SELECT count(*) FROM consultations") ?? 0,
            documents: try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0,
            notices: try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger WHERE status = 'sent'") ?? 0,
            lastDocument: last.map { row in
                DocumentRecord(hash: row["hash"], file: row["file"], kind: row["kind"], consultation: row["consultation"],
                               agency: row["agency"], appliedAt: Instant(seconds: row["applied_at"]))
            },
            appliedUntil: until.map(Instant.init(seconds:)))
    }

    /// Copies the backup at `path` into a new store file at `destination`, through SQLite's
    /// backup API (the backup itself is opened read-only and never changed), and checks the
    /// copy: an SQLite file at all, whole (`PRAGMA integrity_check`), a consultd store of a
    /// schema this build knows, with no triggers or views (consultd makes none: a backup that
    /// has them was made by something else). Returns what it holds; `not_a_backup` when it is
    /// none of that.
    public static func copyBackup(_ path: String, to destination: String) throws -> BackupRecord {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(.openFailed, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StoreError(.notABackup, "\(path) is not an SQLite database (no SQLite header); give a file made by `consultctl backup`")
        }
        unlink(destination)
        do {
            var readOnly = GRDB.Configuration()
            readOnly.readonly = true
            let source = try DatabaseQueue(path: path, configuration: readOnly)
            let target = try DatabaseQueue(path: destination)
            try source.backup(to: target)
            try source.close()
            let check = try target.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
            guard check == "ok" else {
                throw StoreError(.notABackup, "\(path) failed its integrity check (\(check.prefix(300)))")
            }
            let record = try target.read { db throws -> BackupRecord in
                let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                let needed: Set<String> = ["consultations", "duties", "ledger", "documents", "meta", "grdb_migrations"]
                guard needed.isSubset(of: tables) else {
                    throw StoreError(.notABackup, "\(path) is an SQLite database but not a consultd state store (it lacks \(needed.subtracting(tables).sorted().joined(separator: ", ")))")
                }
                if let unknown = try unknownMigrations(db).first {
                    throw StoreError(.notABackup, "\(path) has schema \(unknown), which this consultd does not know (made by a newer version?)")
                }
                let odd = try String.fetchAll(db, sql: "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('trigger', 'view')")
                guard odd.isEmpty else {
                    throw StoreError(.notABackup, "\(path) holds \(odd.joined(separator: ", ")), which consultd never makes; it is not a backup of consultd's")
                }
                return try Self.record(db)
            }
            try target.close()
            return record
        } catch let error as StoreError {
            unlink(destination)
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            unlink(destination)
            throw StoreError(.notABackup, "\(path) is damaged: \(error.message ?? "\(error)")")
        } catch {
            unlink(destination)
            throw StoreError(.openFailed, "cannot copy \(path): \(error)")
        }
    }

    /// Forgets that the store was a backup, once it is restored (the record is the backup's).
    public func forgetBackupRecord() throws {
        try queue.write { db in try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [Self.takenAtKey]) }
    }

    /// Folds the write-ahead log into the store file and closes it: the file then holds
    /// everything, and no `-wal` is left beside it.
    public func checkpointAndClose() throws {
        try queue.writeWithoutTransaction { db in _ = try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
    }
}

extension Store {
    /// Puts the finished store file `temp` in place at `state`, atomically (rename(2) over the
    /// old file), owned by `owner`:`group` with `mode`. The store it replaces stays beside it,
    /// hard-linked as `STATE.replaced-TIMESTAMP` (returned): its write-ahead log is first
    /// folded into it where SQLite still can, else moved aside with it, so that no log of the
    /// old store is ever read as the new one's. The folder is fsync'd.
    public static func install(_ temp: String, at state: String, owner: uid_t, group: gid_t, mode: mode_t,
                               stamp: String) throws(StoreError) -> String? {
        func failure(_ what: String, _ path: String) -> StoreError {
            StoreError(.openFailed, "cannot \(what) \(path): \(String(cString: strerror(errno)))")
        }
        for suffix in ["-wal", "-shm"] { unlink(temp + suffix) }
        guard chown(temp, owner, group) == 0 else { throw failure("chown", temp) }
        guard chmod(temp, mode) == 0 else { throw failure("chmod", temp) }
        try syncFile(temp)
        var aside: String?
        var st = stat()
        if lstat(state, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFREG else {
                throw StoreError(.openFailed, "\(state) is not a regular file (a link?); it is left alone: look at it, remove it, and restore again")
            }
            // Fold the old log in, where the old store can still be opened; whatever stays of it
            // goes aside with the old store.
            if let old = try? DatabaseQueue(path: state) {
                _ = try? old.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                try? old.close()
            }
            let name = "\(state).replaced-\(stamp)"
            guard link(state, name) == 0 else { throw failure("link", name) }
            aside = name
            var wal = stat()
            if lstat(state + "-wal", &wal) == 0 {
                if wal.st_size > 0 {
                    guard rename(state + "-wal", name + "-wal") == 0 else { throw failure("rename", state + "-wal") }
                } else {
                    unlink(state + "-wal")
                }
            }
            unlink(state + "-shm")
        }
        guard rename(temp, state) == 0 else { throw failure("rename", temp) }
        let folder = (state as NSString).deletingLastPathComponent
        try syncFile(folder.isEmpty ? "." : folder)
        return aside
    }
}
