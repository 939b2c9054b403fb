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

    /// Opens (creating if needed) and migrates the store. With `verify` (the default) its
    /// integrity is checked first; without, the caller must call ``verify()`` before its first
    /// write — unless a migration is pending, which is checked here before it runs.
    public init(path: String, readOnly: Bool = false, verify: Bool = true) throws(StoreError) {
        self.path = path
        var config = GRDB.Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
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
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try queue.read { db in try body(StoreTransaction(db: db)) }
    }
}
