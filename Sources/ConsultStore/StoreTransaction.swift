import ConsultAdmin
import ConsultCore
import Foundation
import GRDB

/// A document as the store remembers it.
public struct DocumentRecord: Sendable, Equatable {
    public var hash: String
    public var file: String
    public var kind: String
    public var consultation: String
    public var agency: String?
    public var appliedAt: Instant
    public var received: Instant?
    public var position: String?
    public var assessment: Assessment?

    public init(hash: String, file: String, kind: String, consultation: String, agency: String?, appliedAt: Instant,
                received: Instant? = nil, position: String? = nil, assessment: Assessment? = nil) {
        self.hash = hash
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

/// Domain operations inside one store transaction.
public struct StoreTransaction {
    let db: Database

    /// Executes a statement prepared once per connection (intake runs the same few thousands of times).
    private func run(sql: String, arguments: StatementArguments = []) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private func fetchOne(sql: String, arguments: StatementArguments = []) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    private func fetchAll(sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// A JSON array of strings as stored (agency codes, reason tokens).
    static func strings(_ text: String, _ what: String) throws -> [String] {
        guard case let .array(items) = try JSONReader.parse(Array(text.utf8)) else {
            throw StoreError(.inconsistent, "\(what) is not a JSON array")
        }
        return try items.map { item in
            guard case let .string(s) = item else { throw StoreError(.inconsistent, "\(what) holds a non-string") }
            return s
        }
    }

    static func json(_ strings: [String]) -> String { JSONWriter.string(.strings(strings)) }

    // MARK: Consultations

    public func consultation(_ id: String) throws -> Consultation? {
        guard let row = try fetchOne(sql: "SELECT * FROM consultations WHERE id = ?", arguments: [id]) else { return nil }
        let consulted = try Self.strings(row["consulted"], "consultation \(id): consulted")
        let request = Request(id: row["id"], title: row["title"], lead: row["lead"], consulted: consulted,
                              sent: Instant(seconds: row["sent"]), urgency: Urgency(rawValue: row["urgency"]) ?? .normal,
                              replyDays: row["reply_days"], deadline: (row["deadline"] as String?).flatMap(LocalDate.init(iso:)),
                              reference: row["reference"])
        let duties = try fetchAll(sql: "SELECT * FROM duties WHERE consultation = ? ORDER BY kind DESC, agency",
                                  arguments: [id]).map(Self.duty)
        let ledger = try fetchAll(sql: "SELECT notice_id, agency, event, step, status, skip_reason, late_detected, at FROM ledger WHERE consultation = ? ORDER BY rowid",
                                      arguments: [id]).map { row in
            LedgerEntry(noticeID: row["notice_id"], agency: row["agency"], event: row["event"], step: row["step"],
                        status: LedgerEntry.Status(rawValue: row["status"]) ?? .sent, skipReason: row["skip_reason"],
                        lateDetected: row["late_detected"], at: Instant(seconds: row["at"]))
        }
        guard let state = Consultation.State(rawValue: row["state"]) else {
            throw StoreError(.inconsistent, "consultation \(id) has an unknown state")
        }
        return Consultation(request: request, state: state, duties: duties, ledger: ledger)
    }

    /// An assessment as stored: verdict, reasons, evidence and the position read.
    static func assessment(verdict: String?, reasons: String?, evidence: String?, position: String?,
                           _ what: String) throws -> Assessment? {
        guard let verdict else { return nil }
        guard let v = Verdict(rawValue: verdict) else { throw StoreError(.inconsistent, "\(what) has an unknown verdict") }
        let reasons = try reasons.map { try strings($0, "\(what): reasons") } ?? []
        var list: [Evidence] = []
        if let evidence {
            guard let read = Evidence.list(try JSONReader.parse(Array(evidence.utf8))) else {
                throw StoreError(.inconsistent, "\(what) has evidence that is not a list of {reason, quote}")
            }
            list = read
        }
        var taken: Position?
        if let position, !position.isEmpty {
            guard let p = Position(rawValue: position) else { throw StoreError(.inconsistent, "\(what) has an unknown position") }
            taken = p
        }
        return Assessment(v, reasons, evidence: list, position: taken)
    }

    static func duty(_ row: Row) throws -> Duty {
        let basis = try DeadlineBasis(json: JSONReader.parse(Array((row["basis"] as String).utf8)))
        let assessment = try Self.assessment(verdict: row["verdict"], reasons: row["reasons"], evidence: row["evidence"],
                                             position: row["position"], "a duty of \(row["consultation"] as String)")
        return Duty(kind: DutyKind(rawValue: row["kind"]) ?? .reply, party: row["party"], agency: row["agency"], basis: basis,
                    status: Duty.Status(rawValue: row["status"]) ?? .open, assessment: assessment,
                    firstVerdict: (row["first_verdict"] as String?).flatMap(Verdict.init(rawValue:)),
                    latestReplyAt: (row["latest_reply_at"] as Int64?).map(Instant.init(seconds:)),
                    endedAt: (row["ended_at"] as Int64?).map(Instant.init(seconds:)), daysLate: row["days_late"],
                    nextStepAt: (row["next_step_at"] as Int64?).map(Instant.init(seconds:)))
    }

    /// Writes a consultation's state, its duties, and the ledger entries it gained; `notices`
    /// are the payloads of the new `sent` entries, kept until delivered.
    public func save(_ c: Consultation, notices: [Notice], now: Instant) throws {
        try db.step("""
            INSERT INTO consultations (id, title, lead, consulted, sent, urgency, reply_days, deadline, reference, state, opened_at,
                next_step_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET state = excluded.state, next_step_at = excluded.next_step_at
            """) { Self.bindRow(c, now: now, to: &$0) }
        try saveDuties(c)
        try saveLedger(c, notices: notices)
    }

    /// Writes a consultation opened by a request — only if no consultation has its id (then it
    /// writes nothing and returns false). One statement where a lookup and an insert were two.
    public func open(_ c: Consultation, now: Instant) throws -> Bool {
        try db.step("""
            INSERT INTO consultations (id, title, lead, consulted, sent, urgency, reply_days, deadline, reference, state, opened_at,
                next_step_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO NOTHING
            """) { Self.bindRow(c, now: now, to: &$0) }
        guard db.changesCount > 0 else { return false }
        try saveDuties(c)
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

    private func saveDuties(_ c: Consultation) throws {
        var written: (basis: DeadlineBasis, json: String)?
        for d in c.duties {
            // The duties of a request share one basis until an extension splits them.
            let basis = written?.basis == d.basis ? written!.json : JSONWriter.string(d.basis.json)
            written = (d.basis, basis)
            let reasons = d.assessment.map { Self.json($0.reasons) }
            let evidence = d.assessment.map { JSONWriter.string(Evidence.json($0.evidence)) }
            try db.step("""
                INSERT OR REPLACE INTO duties (consultation, kind, agency, party, due, basis, status, verdict, reasons,
                    first_verdict, latest_reply_at, ended_at, days_late, next_step_at, evidence, position)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """) { b in
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

    private func saveLedger(_ c: Consultation, notices: [Notice]) throws {
        let payloads = Dictionary(notices.map { ($0.noticeID, $0) }, uniquingKeysWith: { a, _ in a })
        for e in c.ledger {
            let n = payloads[e.noticeID]
            try run(sql: """
                INSERT OR IGNORE INTO ledger (notice_id, consultation, agency, event, step, status, skip_reason,
                    late_detected, at, priority, payload, message, delivered)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [e.noticeID, c.id, e.agency, e.event, e.step, e.status.rawValue, e.skipReason,
                                 e.lateDetected, e.at.seconds, n?.priority.rawValue,
                                 n.map { JSONWriter.string($0.outboxJSON) }, n?.message, n == nil])
        }
    }

    /// Ids of open consultations with a ladder step due at or before `now` (uses the index).
    public func consultationsWithStepsDue(at now: Instant, limit: Int = 1000) throws -> [String] {
        try String.fetchAll(db, sql: Self.stepsDueSQL, arguments: [now.seconds, limit])
    }

    /// The earliest instant at which any ladder step is due.
    public func nextStepInstant() throws -> Instant? {
        try Int64.fetchOne(db, sql: Self.nextStepSQL).map(Instant.init(seconds:))
    }

    /// Open consultations, and open duties whose due date is before `today`.
    public func statusCounts(today: LocalDate) throws -> (open: Int, overdue: Int) {
        let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM consultations WHERE state = 'open'") ?? 0
        let overdue = try Int.fetchOne(db, sql: Self.overdueCountSQL, arguments: [today.description]) ?? 0
        return (open, overdue)
    }

    // The scheduler's and STATUS's queries, each served by an index (tests check their plans).
    static let stepsDueSQL = """
        SELECT id FROM consultations WHERE next_step_at IS NOT NULL AND next_step_at <= ?
        ORDER BY next_step_at LIMIT ?
        """
    static let nextStepSQL = "SELECT MIN(next_step_at) FROM consultations WHERE next_step_at IS NOT NULL"
    static let overdueCountSQL = "SELECT count(*) FROM duties WHERE status = 'open' AND due < ?"

    /// Which consultations `list` shows.
    public enum Selection: Sendable {
        /// Consultations still open.
        case open
        /// Consultations with an open duty past its due date.
        case overdue(today: LocalDate)
        case all
    }

    /// Ids of the open consultations, in the order they were sent.
    public func openConsultationIDs() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM consultations WHERE state = 'open' ORDER BY sent, id")
    }

    /// The consultations selected, as lists show them, in the order they were sent, with no
    /// deadline basis decoded. Two sequential scans (consultations, then duties in key order,
    /// grouped by consultation): at a million duties they cost a fifth of an indexed join.
    public func summaries(_ selection: Selection, agency: String? = nil) throws -> [ConsultationSummary] {
        // Both scans run in consultation id order (the keys of both tables), so each group of
        // duties meets its consultation by walking forward, without a table of 100,000 headers.
        var headers: [(id: String, sent: Int64, title: String, lead: String, state: Consultation.State)] = []
        let openOnly = if case .open = selection { true } else { false }
        try db.forEachRow("SELECT id, sent, title, lead, state FROM consultations"
                          + (openOnly ? " WHERE state = 'open'" : "") + " ORDER BY id") { row in
            let id = row.text(0) ?? ""
            guard let state = row.text(4).flatMap(Consultation.State.init(rawValue:)) else {
                throw StoreError(.inconsistent, "consultation \(id) has an unknown state")
            }
            headers.append((id, row.integer(1), row.text(2) ?? "", row.text(3) ?? "", state))
        }
        let overdueBefore: String? = if case let .overdue(today) = selection { today.description } else { nil }
        var selected: [(sent: Int64, summary: ConsultationSummary)] = []
        var group: (id: String, lines: [ConsultationSummary.DutyLine], overdue: Bool, concerns: Bool)?
        var next = 0
        func close() {
            guard let g = group else { return }
            // SQLite orders text by its bytes: compare the same way.
            var i = next
            while i < headers.count, headers[i].id.utf8.lexicographicallyPrecedes(g.id.utf8) { i += 1 }
            next = i
            guard i < headers.count, headers[i].id.utf8.elementsEqual(g.id.utf8) else { return }   // not selected
            next = i + 1
            let h = headers[i]
            guard overdueBefore == nil || g.overdue, agency == nil || g.concerns || h.lead == agency else { return }
            // Reply duties first, then reconcile duties; by agency within each (the scan gives
            // them by kind, then agency).
            let lines = g.lines.filter { $0.kind == .reply } + g.lines.filter { $0.kind != .reply }
            selected.append((h.sent, ConsultationSummary(id: g.id, title: h.title, lead: h.lead, state: h.state, duties: lines)))
        }
        var lastDue: (text: String, date: LocalDate)?   // the duties of a consultation mostly share one
        try db.forEachRow("""
            SELECT consultation, party, agency, kind, due, status, verdict FROM duties ORDER BY consultation, kind, agency
            """) { row in
            let id = row.text(0) ?? ""
            if !(group?.id.utf8.elementsEqual(id.utf8) ?? false) {
                close()
                group = (id, [], false, false)
            }
            let due = row.text(4) ?? "", status = row.text(5) ?? "", dutyAgency = row.text(2) ?? ""
            guard let date = lastDue?.text == due ? lastDue?.date : LocalDate(iso: due) else {
                throw StoreError(.inconsistent, "consultation \(id): a duty's due date is not a date")
            }
            lastDue = (due, date)
            if let overdueBefore, status == Duty.Status.open.rawValue, due < overdueBefore { group!.overdue = true }
            if dutyAgency == agency { group!.concerns = true }
            group!.lines.append(ConsultationSummary.DutyLine(
                party: row.text(1) ?? "", agency: dutyAgency, kind: row.text(3).flatMap(DutyKind.init(rawValue:)) ?? .reply,
                due: date, status: Duty.Status(rawValue: status) ?? .open,
                verdict: row.text(6).flatMap(Verdict.init(rawValue:))))
        }
        close()
        return selected.sorted { ($0.sent, $0.summary.id) < ($1.sent, $1.summary.id) }.map(\.summary)
    }

    /// The facts of every reply duty due in the closed range, for the scorecard.
    public func replyDutyFacts(from: LocalDate?, to: LocalDate?) throws -> [ReplyDutyFacts] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT d.consultation, d.agency, d.due, d.status, d.verdict, d.first_verdict, d.days_late,
                   (SELECT group_concat(DISTINCT verdict) FROM documents x
                     WHERE x.consultation = d.consultation AND x.agency = d.agency AND x.kind = 'reply') AS verdicts
            FROM duties d
            WHERE d.kind = 'reply' AND (? IS NULL OR d.due >= ?) AND (? IS NULL OR d.due <= ?)
            ORDER BY d.agency, d.due
            """, arguments: [from?.description, from?.description, to?.description, to?.description])
        return rows.map { row in
            let status = Duty.Status(rawValue: row["status"]) ?? .open
            let verdicts = Set(((row["verdicts"] as String?) ?? "").split(separator: ",").compactMap { Verdict(rawValue: String($0)) })
            return ReplyDutyFacts(consultation: row["consultation"], agency: row["agency"],
                                  due: LocalDate(iso: row["due"]) ?? LocalDate(dayNumber: 0), status: status,
                                  clearReplyDaysLate: status == .discharged ? (row["days_late"] as Int? ?? 0) : nil,
                                  firstVerdict: (row["first_verdict"] as String?).flatMap(Verdict.init(rawValue:)),
                                  verdicts: verdicts)
        }
    }

    /// Open reply duties whose latest reply was unclear (vague or deflection).
    public func unclearOpenDuties() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM duties WHERE kind = 'reply' AND status = 'open' AND verdict IN ('vague', 'deflection')") ?? 0
    }

    // MARK: Notices

    /// Notices committed but not yet confirmed written to the outbox and journal, in the order
    /// they were recorded, from after the ledger row `after`: each with its row, to go on from.
    public func undeliveredNotices(after: Int64 = 0, limit: Int = 1024) throws -> [(row: Int64, notice: Notice)] {
        try fetchAll(sql: "SELECT rowid, payload, message FROM ledger WHERE delivered = 0 AND rowid > ? ORDER BY rowid LIMIT ?",
                     arguments: [after, limit]).compactMap { row in
            guard let payload = row["payload"] as String?,
                  let json = try? JSONReader.parse(Array(payload.utf8)),
                  let notice = Notice(outbox: json, message: row["message"] ?? "") else { return nil }
            return (row[0], notice)
        }
    }

    public func markDelivered(_ ids: [String]) throws {
        for id in ids { try run(sql: "UPDATE ledger SET delivered = 1 WHERE notice_id = ?", arguments: [id]) }
    }

    // MARK: Documents

    /// Whether a document with this content (SHA-256) was applied to its consultation.
    public func isApplied(hash: String, consultation: String) throws -> Bool {
        try db.step("SELECT 1 FROM documents WHERE consultation = ? AND hash = ?") { b in
            b.text(consultation)
            b.text(hash)
        }
    }

    public func record(_ d: DocumentRecord) throws {
        let reasons = d.assessment.map { Self.json($0.reasons) }
        let evidence = d.assessment.map { JSONWriter.string(Evidence.json($0.evidence)) }
        try db.step("""
            INSERT OR IGNORE INTO documents (hash, file, kind, consultation, agency, applied_at, received, position, verdict, reasons,
                evidence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        }
    }

    public func documents(of consultation: String) throws -> [DocumentRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM documents WHERE consultation = ? ORDER BY applied_at, rowid", arguments: [consultation]).map { row in
            let assessment = try Self.assessment(verdict: row["verdict"], reasons: row["reasons"], evidence: row["evidence"],
                                                 position: row["position"], "document \(row["file"] as String)")
            return DocumentRecord(hash: row["hash"], file: row["file"], kind: row["kind"], consultation: row["consultation"],
                                  agency: row["agency"], appliedAt: Instant(seconds: row["applied_at"]),
                                  received: (row["received"] as Int64?).map(Instant.init(seconds:)), position: row["position"],
                                  assessment: assessment)
        }
    }

    // MARK: Held replies

    /// Records a reply held for its request; returns when it was first seen.
    public func hold(file: String, hash: String, consultation: String, now: Instant) throws -> Instant {
        try run(sql: "INSERT OR IGNORE INTO held (file, hash, consultation, first_seen) VALUES (?, ?, ?, ?)",
                       arguments: [file, hash, consultation, now.seconds])
        let seen = try Int64.fetchOne(db, sql: "SELECT first_seen FROM held WHERE file = ? AND hash = ?", arguments: [file, hash])
        if seen == nil {
            // Same name, new content: the clock restarts.
            try run(sql: "UPDATE held SET hash = ?, consultation = ?, first_seen = ? WHERE file = ?",
                           arguments: [hash, consultation, now.seconds, file])
        }
        return Instant(seconds: seen ?? now.seconds)
    }

    public func release(file: String) throws {
        try run(sql: "DELETE FROM held WHERE file = ?", arguments: [file])
    }

    // MARK: Meta

    public func meta(_ key: String) throws -> String? {
        try fetchOne(sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])?["value"]
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try run(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
    }

    public func deleteMeta(_ key: String) throws {
        try run(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
    }
}
