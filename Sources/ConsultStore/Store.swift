import ConsultCore
import Foundation
import GRDB

/// A failure of the state store, with a stable code.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case openFailed = "store_open_failed"
        case corrupt = "store_corrupt"
        case inconsistent = "store_inconsistent"
        case io = "store_io"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

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
            throw StoreError(.corrupt, "state store \(path) failed its integrity check (\(check.prefix(300))); restore it from a backup made with `consultctl backup` (README: Restoring)")
        }
    }

    private static func storeError(_ error: any Error, path: String) -> StoreError {
        switch error {
        case let error as StoreError: return error
        case let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB:
            return StoreError(.corrupt, "state store \(path) is corrupt (\(error.message ?? "\(error)")); restore it from a backup made with `consultctl backup` (README: Restoring)")
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

    /// Copies the whole store, consistently, to a new SQLite file (SQLite's online backup API);
    /// the daemon keeps writing meanwhile.
    public func backup(to destination: String) throws {
        let target = try DatabaseQueue(path: destination)
        try queue.backup(to: target)
        try target.close()
    }

    /// Runs `body` in one write transaction, committed (and fsync'd) when it returns.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try queue.write { db in try body(StoreTransaction(db: db)) }
    }

    /// Runs `body` with a read-only view of a consistent snapshot.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try queue.read { db in try body(StoreTransaction(db: db)) }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE consultations (
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    lead TEXT NOT NULL,
                    consulted TEXT NOT NULL,
                    sent INTEGER NOT NULL,
                    urgency TEXT NOT NULL,
                    reply_days INTEGER,
                    deadline TEXT,
                    reference TEXT,
                    state TEXT NOT NULL,
                    opened_at INTEGER NOT NULL
                );
                CREATE INDEX consultations_state ON consultations(state);
                CREATE TABLE duties (
                    consultation TEXT NOT NULL REFERENCES consultations(id),
                    kind TEXT NOT NULL,
                    agency TEXT NOT NULL,
                    party TEXT NOT NULL,
                    due TEXT NOT NULL,
                    basis TEXT NOT NULL,
                    status TEXT NOT NULL,
                    verdict TEXT,
                    reasons TEXT,
                    first_verdict TEXT,
                    latest_reply_at INTEGER,
                    ended_at INTEGER,
                    days_late INTEGER,
                    next_step_at INTEGER,
                    PRIMARY KEY (consultation, kind, agency)
                ) WITHOUT ROWID;
                CREATE INDEX duties_next_step ON duties(next_step_at) WHERE next_step_at IS NOT NULL;
                CREATE INDEX duties_agency_due ON duties(agency, due);
                CREATE INDEX duties_open_due ON duties(status, due);
                CREATE TABLE ledger (
                    notice_id TEXT PRIMARY KEY,
                    consultation TEXT NOT NULL,
                    agency TEXT NOT NULL,
                    event TEXT NOT NULL,
                    step TEXT,
                    status TEXT NOT NULL,
                    skip_reason TEXT,
                    late_detected INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    priority TEXT,
                    payload TEXT,
                    message TEXT,
                    delivered INTEGER NOT NULL DEFAULT 1
                );
                CREATE INDEX ledger_consultation ON ledger(consultation);
                CREATE INDEX ledger_undelivered ON ledger(delivered) WHERE delivered = 0;
                CREATE TABLE documents (
                    hash TEXT PRIMARY KEY,
                    file TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    consultation TEXT NOT NULL,
                    agency TEXT,
                    applied_at INTEGER NOT NULL,
                    received INTEGER,
                    position TEXT,
                    verdict TEXT,
                    reasons TEXT,
                    body TEXT NOT NULL
                );
                CREATE INDEX documents_consultation ON documents(consultation);
                CREATE TABLE held (
                    file TEXT PRIMARY KEY,
                    hash TEXT NOT NULL,
                    consultation TEXT NOT NULL,
                    first_seen INTEGER NOT NULL
                );
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """)
        }
        // Intake writes every index of every new duty; this one served only the scorecard, which
        // reads all reply duties of a period anyway (a scan), and agency filters reach duties
        // through their consultation's key.
        m.registerMigration("v2") { db in
            try db.execute(sql: "DROP INDEX duties_agency_due")
        }
        // A document's text stays in done/DATE/ (its SHA-256 is the key here): a second copy
        // in the store cost every intake a tenth of its writes.
        m.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE documents DROP COLUMN body")
        }
        // Fewer index entries per document, most of them appended in key order. Each duty had
        // an entry for its next step, at a random place; the consultation now carries the
        // earliest next step over its duties, one entry per consultation, which is what the
        // scheduler starts from anyway. The open-duty index keeps open duties only (a count of
        // overdue duties reads it alone: 34 ms for 1,000,000, where a join through the
        // consultations took 157 ms). Consultations are keyed by id alone (no rowid beside the
        // id), and documents by (consultation, hash): a document names its consultation, so the
        // duplicate check needs no index of its own.
        m.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE consultations_v4 (
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    lead TEXT NOT NULL,
                    consulted TEXT NOT NULL,
                    sent INTEGER NOT NULL,
                    urgency TEXT NOT NULL,
                    reply_days INTEGER,
                    deadline TEXT,
                    reference TEXT,
                    state TEXT NOT NULL,
                    opened_at INTEGER NOT NULL,
                    next_step_at INTEGER
                ) WITHOUT ROWID;
                INSERT INTO consultations_v4
                    SELECT c.id, c.title, c.lead, c.consulted, c.sent, c.urgency, c.reply_days, c.deadline, c.reference,
                           c.state, c.opened_at,
                           (SELECT MIN(d.next_step_at) FROM duties d WHERE d.consultation = c.id)
                    FROM consultations c;
                DROP TABLE consultations;
                ALTER TABLE consultations_v4 RENAME TO consultations;
                CREATE INDEX consultations_state ON consultations(state);
                CREATE INDEX consultations_next_step ON consultations(next_step_at) WHERE next_step_at IS NOT NULL;
                DROP INDEX duties_next_step;
                DROP INDEX duties_open_due;
                CREATE INDEX duties_open_due ON duties(status, due) WHERE status = 'open';

                CREATE TABLE documents_v4 (
                    hash TEXT NOT NULL,
                    file TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    consultation TEXT NOT NULL,
                    agency TEXT,
                    applied_at INTEGER NOT NULL,
                    received INTEGER,
                    position TEXT,
                    verdict TEXT,
                    reasons TEXT
                );
                INSERT INTO documents_v4 (rowid, hash, file, kind, consultation, agency, applied_at, received, position, verdict, reasons)
                    SELECT rowid, hash, file, kind, consultation, agency, applied_at, received, position, verdict, reasons
                    FROM documents ORDER BY rowid;
                DROP TABLE documents;
                ALTER TABLE documents_v4 RENAME TO documents;
                CREATE UNIQUE INDEX documents_consultation ON documents(consultation, hash);
                """)
        }
        // Evidence of each assessment (contract §5, revision 2), and the position a reply took
        // (its field, or the one read from its text), which decides a reconcile duty.
        m.registerMigration("v5") { db in
            try db.execute(sql: """
                ALTER TABLE documents ADD COLUMN evidence TEXT;
                ALTER TABLE duties ADD COLUMN evidence TEXT;
                ALTER TABLE duties ADD COLUMN position TEXT;
                """)
        }
        return m
    }
}
