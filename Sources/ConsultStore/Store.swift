import ConsultCore
import Foundation
import GRDB

/// The SQLite state store: consultations, duties, the notice ledger, applied documents.
///
/// WAL mode so that `consultctl` reads while the daemon writes; `synchronous = FULL` so that a
/// committed transaction survives a power cut — the promise behind moving a document out of `new/`.
public final class Store: Sendable {
    let queue: DatabaseQueue
    public let path: String
    /// For a store read while no `-wal` file was beside it: the file as it was before it was
    /// opened (see ``init(path:readOnly:verify:)``).
    let unchangedSince: FileStamp?

    /// Opens (creating if needed) and migrates the store. With `verify` (the default) its
    /// integrity is checked first; without, the caller must call ``verify()`` before its first
    /// write — unless a migration is pending, which is checked here before it runs.
    ///
    /// `readOnly` never writes and never creates a file, so that an account which may read the
    /// state folder but not write it (group `consultd`) can read: with a `-wal` file beside the
    /// store (the daemon has it open) SQLite reads through the WAL, using a `-shm` file it may only
    /// read; without one (nothing to read in a WAL) the file is opened `immutable`, which needs
    /// neither, and a read that the daemon's writes could have overtaken is made again through the
    /// WAL (``read(_:)``).
    public init(path: String, readOnly: Bool = false, verify: Bool = true) throws(StoreError) {
        self.path = path
        var config = GRDB.Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        let stamp = readOnly && !FileStamp.exists(path + "-wal") ? FileStamp(path) : nil
        unchangedSince = stamp
        do {
            queue = try DatabaseQueue(path: stamp != nil ? Self.immutableURI(path) : path, configuration: config)
            // A downgrade: an older consultd would work on a store whose meaning it does not know.
            try queue.read { db in try Self.refuseNewerSchema(db, path: path) }
            if !readOnly {
                // Never work on (or start afresh over) a damaged record: check before writing anything.
                if try verify || !queue.read(Self.migrator.hasCompletedMigrations) { try self.verify() }
                // WAL so that consultctl reads while the daemon writes; FULL so that a commit
                // survives a power cut (WAL alone would allow NORMAL).
                try queue.writeWithoutTransaction { db in
                    guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                        throw StoreError(.openFailed, "cannot put state store \(path) in WAL mode")
                    }
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                    // Intake batches touch thousands of pages: keep them in memory until the
                    // commit (the default 2 MiB cache spills mid-transaction), and keep
                    // temporary structures in memory rather than in temporary files.
                    try db.execute(sql: "PRAGMA cache_size = -65536")
                    try db.execute(sql: "PRAGMA temp_store = MEMORY")
                }
                try Self.migrator.migrate(queue)
            }
        } catch {
            throw Self.storeError(error, path: path)
        }
    }

    /// Throws `newerSchema` when `db` records a migration this build does not have.
    static func refuseNewerSchema(_ db: Database, path: String) throws(StoreError) {
        let unknown: [String]
        do { unknown = try unknownMigrations(db) } catch { throw storeError(error, path: path) }
        guard !unknown.isEmpty else { return }
        throw StoreError(.newerSchema, "state store \(path) has schema \(unknown.joined(separator: ", ")), which this version (\(migrator.migrations.last ?? "none") at most) does not know: a newer consultd migrated it, and downgrades are not supported. Install the newer version again, or restore the backup made before the upgrade with `consultctl restore BACKUP` (README: Upgrading)")
    }

    /// The migrations `db` records that this build does not have (a newer consultd made them).
    static func unknownMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        let known = Set(migrator.migrations)
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").filter { !known.contains($0) }
    }

    /// Checks the store's integrity (`PRAGMA quick_check`, which reads all of it); a damaged
    /// store is refused with `corrupt`, and left untouched.
    public func verify() throws(StoreError) {
        let check: String
        do { check = try quickCheck() } catch { throw Self.storeError(error, path: path) }
        guard check == "ok" else {
            throw StoreError(.corrupt, "state store \(path) failed its integrity check (\(check.prefix(300))); restore it from a backup made with `consultctl backup`: `consultctl restore BACKUP` with consultd stopped (README: Backup, restore and retention)")
        }
    }

    private static func storeError(_ error: any Error, path: String) -> StoreError {
        switch error {
        case let error as StoreError: return error
        case let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB:
            return StoreError(.corrupt, "state store \(path) is corrupt (\(error.message ?? "\(error)")); restore it from a backup made with `consultctl backup`: `consultctl restore BACKUP` with consultd stopped (README: Backup, restore and retention)")
        default: return StoreError(.openFailed, "cannot open state store \(path): \(error)")
        }
    }

    /// The connection's `PRAGMA synchronous` (2 = FULL).
    public func synchronousLevel() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// `PRAGMA quick_check`: "ok" for a healthy store.
    public func quickCheck() throws -> String {
        try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ") }
    }

    /// Runs `body` in one write transaction, committed (and fsync'd) when it returns.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try queue.write { db in try body(StoreTransaction(db: db)) }
    }

    /// Runs `body` with a read-only view of a consistent snapshot.
    ///
    /// An `immutable` store takes no lock, and the daemon may have started meanwhile: when the
    /// file changed during the read, or a `-wal` appeared beside it, `body` runs again through
    /// the WAL, as any reader's.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        let result = try queue.read { db in try body(StoreTransaction(db: db)) }
        guard let stamp = unchangedSince, stamp != FileStamp(path) || FileStamp.exists(path + "-wal") else { return result }
        var config = GRDB.Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: config).read { db in try body(StoreTransaction(db: db)) }
    }

    /// `file:PATH?immutable=1`, the path percent-encoded where a URI needs it.
    static func immutableURI(_ path: String) -> String {
        var uri = "file:"
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x21, 0x7F...:
                uri += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            default: uri.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return uri + "?immutable=1"
    }
}

/// What tells one state of a file from another: device, inode, size, modification and change
/// times (to the nanosecond).
struct FileStamp: Equatable, Sendable {
    let device: UInt64, inode: UInt64, size: Int64
    let modified: (Int, Int), changed: (Int, Int)

    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modified = (st.st_mtim.tv_sec, st.st_mtim.tv_nsec)
        changed = (st.st_ctim.tv_sec, st.st_ctim.tv_nsec)
    }

    static func == (a: FileStamp, b: FileStamp) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified == b.modified && a.changed == b.changed
    }

    /// Whether anything is at `path`.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
