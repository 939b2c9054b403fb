import GRDB

extension Store {
    /// The store's schema, one migration per version; a version, once released, never changes.
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
        // overdue duties reads it alone, without a join through the consultations). Consultations are keyed by id alone (no rowid beside the
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
        // The journal's MESSAGE of a notice is its subject: nothing to keep beside the payload.
        m.registerMigration("v6") { db in
            try db.execute(sql: "ALTER TABLE ledger DROP COLUMN message")
        }
        // Every refusal happens once (contract §2): an entry of new/ refused but impossible to
        // move is remembered by name, device and inode, and left alone while it stays. A held
        // reply's file is remembered by device, inode, size and modification time, so that it
        // is not read again while it is unchanged.
        m.registerMigration("v7") { db in
            try db.execute(sql: """
                CREATE TABLE unmovable (
                    name TEXT NOT NULL,
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    code TEXT NOT NULL,
                    refused_at INTEGER NOT NULL,
                    PRIMARY KEY (name, device, inode)
                ) WITHOUT ROWID;
                ALTER TABLE held ADD COLUMN device INTEGER;
                ALTER TABLE held ADD COLUMN inode INTEGER;
                ALTER TABLE held ADD COLUMN size INTEGER;
                ALTER TABLE held ADD COLUMN modified INTEGER;
                """)
        }
        // Identical content is canonical (contract §3, revision 2): a document re-sent with its
        // keys in another order or its sets reordered is recognised by its parsed content. Rows
        // applied before keep no key and are recognised by their bytes, as before.
        m.registerMigration("v8") { db in
            try db.execute(sql: "ALTER TABLE documents ADD COLUMN content TEXT")
        }
        return m
    }
}
