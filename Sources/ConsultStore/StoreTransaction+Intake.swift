import ConsultCore
import GRDB

/// A document as the store remembers it.
public struct DocumentRecord: Sendable, Equatable {
    /// SHA-256 of the file's bytes (what `consultctl verify` checks `done/` against).
    public var hash: String
    /// ``Document/canonicalKey``: what a re-sent document is recognised by.
    public var content: String?
    public var file: String
    public var kind: String
    public var consultation: String
    public var agency: String?
    public var appliedAt: Instant
    public var received: Instant?
    public var position: String?
    public var assessment: Assessment?

    public init(hash: String, content: String? = nil, file: String, kind: String, consultation: String, agency: String?,
                appliedAt: Instant, received: Instant? = nil, position: String? = nil, assessment: Assessment? = nil) {
        self.hash = hash
        self.content = content
        self.file = file
        self.kind = kind
        self.consultation = consultation
        self.agency = agency
        self.appliedAt = appliedAt
        self.received = received
        self.position = position
        self.assessment = assessment
    }
}

/// A file as the spool last saw it: device, inode, size and modification time (nanoseconds).
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modified: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
    }
}

/// A reply held for its request, and the file it was read from.
public struct HeldFile: Sendable, Equatable {
    public var file: String
    public var consultation: String
    public var firstSeen: Instant
    public var identity: FileIdentity

    public init(file: String, consultation: String, firstSeen: Instant, identity: FileIdentity) {
        self.file = file
        self.consultation = consultation
        self.firstSeen = firstSeen
        self.identity = identity
    }
}

/// An entry of `new/` that was refused and cannot be moved.
public struct UnmovableEntry: Sendable, Hashable {
    public var name: String
    public var device: UInt64
    public var inode: UInt64

    public init(name: String, device: UInt64, inode: UInt64) {
        self.name = name
        self.device = device
        self.inode = inode
    }
}

// What intake (and the ladder, which saves what it fired) reads and writes: consultations with
// their duties and ledger, applied documents, held replies.
extension StoreTransaction {
    // MARK: Consultations

    public func consultation(_ id: String) throws -> Consultation? {
        guard let row = try row("SELECT * FROM consultations WHERE id = ?", [id]) else { return nil }
        let what = "consultation \(id)"
        let consulted = try Self.strings(row["consulted"], "\(what): consulted")
        var deadline: LocalDate?
        if let text = row["deadline"] as String? { deadline = try Self.date(text, "\(what): deadline") }
        let request = Request(id: row["id"], title: row["title"], lead: row["lead"], consulted: consulted,
                              sent: Instant(seconds: row["sent"]), urgency: try Self.decode(row["urgency"], "\(what): urgency"),
                              replyDays: row["reply_days"], deadline: deadline, reference: row["reference"])
        let duties = try rows("SELECT * FROM duties WHERE consultation = ? ORDER BY kind DESC, agency", [id]).map(Self.duty)
        let ledger = try rows("SELECT notice_id, agency, event, step, status, skip_reason, late_detected, at FROM ledger WHERE consultation = ? ORDER BY rowid",
                              [id]).map { row in
            LedgerEntry(noticeID: row["notice_id"], agency: row["agency"], event: row["event"], step: row["step"],
                        status: try Self.decode(row["status"], "\(what): ledger entry \(row["notice_id"] as String)"),
                        skipReason: row["skip_reason"], lateDetected: row["late_detected"], at: Instant(seconds: row["at"]))
        }
        return Consultation(request: request, state: try Self.decode(row["state"], "\(what): state"), duties: duties, ledger: ledger)
    }

    static func duty(_ row: Row) throws -> Duty {
        func what() -> String { "a duty of \(row["consultation"] as String) (\(row["agency"] as String))" }
        let basis = try DeadlineBasis(json: JSONReader.parse(Array((row["basis"] as String).utf8)))
        let assessment = try Self.assessment(verdict: row["verdict"], reasons: row["reasons"], evidence: row["evidence"],
                                             position: row["position"], what)
        return Duty(kind: try decode(row["kind"], "\(what()): kind"), party: row["party"], agency: row["agency"], basis: basis,
                    status: try decode(row["status"], "\(what()): status"), assessment: assessment,
                    firstVerdict: try decodeIfPresent(row["first_verdict"], "\(what()): first verdict"),
                    latestReplyAt: (row["latest_reply_at"] as Int64?).map(Instant.init(seconds:)),
                    endedAt: (row["ended_at"] as Int64?).map(Instant.init(seconds:)), daysLate: row["days_late"],
                    nextStepAt: (row["next_step_at"] as Int64?).map(Instant.init(seconds:)))
    }

    /// Writes a consultation's state, its duties, and the ledger entries it gained; `notices`
    /// are the payloads of the new `sent` entries, kept until delivered.
    public func save(_ c: Consultation, notices: [Notice], now: Instant) throws {
        try hotStep("""
            INSERT INTO consultations (id, title, lead, consulted, sent, urgency, reply_days, deadline, reference, state, opened_at,
                next_step_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, next_step_at = excluded.next_step_at
            """) { Self.bindRow(c, now: now, to: &$0) }
        try saveDuties(c)
        try saveLedger(c, notices: notices)
    }

    /// Writes a consultation opened by a request — only if no consultation has its id (then it
    /// writes nothing and returns false): the insert itself tells whether the id was free.
    public func open(_ c: Consultation, now: Instant) throws -> Bool {
        try hotStep("""
            INSERT INTO consultations (id, title, lead, consulted, sent, urgency, reply_days, deadline, reference, state, opened_at,
                next_step_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO NOTHING
            """) { Self.bindRow(c, now: now, to: &$0) }
        guard db.changesCount > 0 else { return false }
        try saveDuties(c, fresh: true)
        try saveLedger(c, notices: [])
        return true
    }

    /// The consultation's row: its request, its state, and the earliest next step over its
    /// duties (the scheduler's index).
    private static func bindRow(_ c: Consultation, now: Instant, to b: inout Bindings) {
        let nextStep = c.duties.compactMap(\.nextStepAt?.seconds).min()
        b.text(c.request.id)
        b.text(c.request.title)
        b.text(c.request.lead)
        b.text(json(c.request.consulted))
        b.integer(c.request.sent.seconds)
        b.text(c.request.urgency.rawValue)
        b.integer(c.request.replyDays)
        b.text(c.request.deadline?.description)
        b.text(c.request.reference)
        b.text(c.state.rawValue)
        b.integer(now.seconds)
        b.integer(nextStep)
    }

    /// Writes the duties of a consultation. `fresh`: its row was just inserted, so none of its
    /// duties is there yet (each refers to it) and a plain insert does: a REPLACE, with the
    /// foreign key, makes SQLite open a statement savepoint for every row.
    private func saveDuties(_ c: Consultation, fresh: Bool = false) throws {
        var written: (basis: DeadlineBasis, json: String)?
        for d in c.duties {
            // The duties of a request share one basis until an extension splits them.
            let basis = written?.basis == d.basis ? written!.json : JSONWriter.string(d.basis.json)
            written = (d.basis, basis)
            let reasons = d.assessment.map { Self.json($0.reasons) }
            let evidence = d.assessment.map { JSONWriter.string(Evidence.json($0.evidence)) }
            let sql: StaticString = fresh
                ? """
                    INSERT INTO duties (consultation, kind, agency, party, due, basis, status, verdict, reasons,
                        first_verdict, latest_reply_at, ended_at, days_late, next_step_at, evidence, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                : """
                    INSERT OR REPLACE INTO duties (consultation, kind, agency, party, due, basis, status, verdict, reasons,
                        first_verdict, latest_reply_at, ended_at, days_late, next_step_at, evidence, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            try hotStep(sql) { b in
                b.text(c.id)
                b.text(d.kind.rawValue)
                b.text(d.agency)
                b.text(d.party)
                b.text(d.due.description)
                b.text(basis)
                b.text(d.status.rawValue)
                b.text(d.assessment?.verdict.rawValue)
                b.text(reasons)
                b.text(d.firstVerdict?.rawValue)
                b.integer(d.latestReplyAt?.seconds)
                b.integer(d.endedAt?.seconds)
                b.integer(d.daysLate)
                b.integer(d.nextStepAt?.seconds)
                b.text(evidence)
                b.text(d.assessment?.position?.rawValue)
            }
        }
    }

    /// Ledger entries are written once (a notice id is never reused); a `sent` one carries its
    /// notice's payload and waits to be delivered.
    private func saveLedger(_ c: Consultation, notices: [Notice]) throws {
        let payloads = Dictionary(notices.map { ($0.noticeID, $0) }, uniquingKeysWith: { a, _ in a })
        for e in c.ledger {
            let n = payloads[e.noticeID]
            try execute("""
                INSERT OR IGNORE INTO ledger (notice_id, consultation, agency, event, step, status, skip_reason,
                    late_detected, at, priority, payload, delivered)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [e.noticeID, c.id, e.agency, e.event, e.step, e.status.rawValue, e.skipReason,
                      e.lateDetected, e.at.seconds, n?.priority.rawValue, n.map { JSONWriter.string($0.outboxJSON) }, n == nil])
        }
    }

    // MARK: Documents

    /// The lead of each of these consultations the store knows.
    public func leads(of ids: Set<String>) throws -> [String: String] {
        var leads: [String: String] = [:]
        for id in ids {
            if let lead: String = try value("SELECT lead FROM consultations WHERE id = ?", [id]) { leads[id] = lead }
        }
        return leads
    }

    /// Whether a document with this content (SHA-256) was applied to its consultation.
    /// Whether a document with this content (or, for one applied before content keys were kept,
    /// these very bytes) was applied to the consultation.
    public func isApplied(content: String, hash: String, consultation: String) throws -> Bool {
        try hotStep("SELECT 1 FROM documents WHERE consultation = ? AND (content = ? OR hash = ?)") { b in
            b.text(consultation)
            b.text(content)
            b.text(hash)
        }
    }

    public func record(_ d: DocumentRecord) throws {
        let reasons = d.assessment.map { Self.json($0.reasons) }
        let evidence = d.assessment.map { JSONWriter.string(Evidence.json($0.evidence)) }
        try hotStep("""
            INSERT OR IGNORE INTO documents (hash, file, kind, consultation, agency, applied_at, received, position, verdict, reasons,
                evidence, content)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { b in
            b.text(d.hash)
            b.text(d.file)
            b.text(d.kind)
            b.text(d.consultation)
            b.text(d.agency)
            b.integer(d.appliedAt.seconds)
            b.integer(d.received?.seconds)
            b.text(d.position)
            b.text(d.assessment?.verdict.rawValue)
            b.text(reasons)
            b.text(evidence)
            b.text(d.content)
        }
    }

    // MARK: Held replies

    /// Records a reply held for its request, and the file it was read from; returns when it was
    /// first seen.
    public func hold(file: String, hash: String, consultation: String, now: Instant, identity: FileIdentity? = nil) throws -> Instant {
        try execute("INSERT OR IGNORE INTO held (file, hash, consultation, first_seen) VALUES (?, ?, ?, ?)",
                    [file, hash, consultation, now.seconds])
        let seen: Int64? = try value("SELECT first_seen FROM held WHERE file = ? AND hash = ?", [file, hash])
        if seen == nil {
            // Same name, new content: the clock restarts.
            try execute("UPDATE held SET hash = ?, consultation = ?, first_seen = ? WHERE file = ?",
                        [hash, consultation, now.seconds, file])
        }
        try execute("UPDATE held SET device = ?, inode = ?, size = ?, modified = ? WHERE file = ?",
                    [identity.map { Int64(bitPattern: $0.device) }, identity.map { Int64(bitPattern: $0.inode) }, identity?.size,
                     identity?.modified, file])
        return Instant(seconds: seen ?? now.seconds)
    }

    /// The held replies whose file is known and whose consultation is still unknown: they need
    /// not be read again while their file is unchanged.
    public func heldFiles() throws -> [HeldFile] {
        try rows("""
            SELECT file, consultation, first_seen, device, inode, size, modified FROM held
            WHERE device IS NOT NULL AND consultation NOT IN (SELECT id FROM consultations)
            """).map { row in
            HeldFile(file: row["file"], consultation: row["consultation"], firstSeen: Instant(seconds: row["first_seen"]),
                     identity: FileIdentity(device: UInt64(bitPattern: row["device"]), inode: UInt64(bitPattern: row["inode"]),
                                            size: row["size"], modified: row["modified"]))
        }
    }

    // MARK: Entries that cannot be moved

    /// The entries of `new/` refused once and impossible to move, by name, device and inode.
    public func unmovableEntries() throws -> [UnmovableEntry] {
        try rows("SELECT name, device, inode FROM unmovable").map { row in
            UnmovableEntry(name: row["name"], device: UInt64(bitPattern: row["device"]), inode: UInt64(bitPattern: row["inode"]))
        }
    }

    public func remember(_ entry: UnmovableEntry, code: String, at: Instant) throws {
        try execute("INSERT OR REPLACE INTO unmovable (name, device, inode, code, refused_at) VALUES (?, ?, ?, ?, ?)",
                    [entry.name, Int64(bitPattern: entry.device), Int64(bitPattern: entry.inode), code, at.seconds])
    }

    public func forget(_ entry: UnmovableEntry) throws {
        try execute("DELETE FROM unmovable WHERE name = ? AND device = ? AND inode = ?",
                    [entry.name, Int64(bitPattern: entry.device), Int64(bitPattern: entry.inode)])
    }

    public func release(file: String) throws {
        try execute("DELETE FROM held WHERE file = ?", [file])
    }
}
