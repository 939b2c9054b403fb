import ConsultAdmin
import ConsultCore
import GRDB

// What administrators read (consultctl list, show, report): never written here.
extension StoreTransaction {
    /// Which consultations `list` shows.
    public enum Selection: Sendable {
        /// Consultations still open.
        case open
        /// Consultations with an open duty past its due date.
        case overdue(today: LocalDate)
        case all
    }

    /// Ids of the consultations that begin with `prefix`, in byte order, at most `limit`: a
    /// walk of the consultations' key from the prefix on, however many there are (completion).
    public func consultationIDs(prefix: String, limit: Int) throws -> [String] {
        let ids: [String] = try values("SELECT id FROM consultations WHERE id >= ? ORDER BY id LIMIT ?", [prefix, limit])
        // Byte order: the ids beginning with the prefix come first, and end where one does not.
        return Array(ids.prefix { $0.utf8.starts(with: prefix.utf8) })
    }

    /// Every agency code the store names: leads and the agencies of duties (one scan of each
    /// table; an agency removed from the configuration is still here while its consultations are).
    public func agencyCodes() throws -> Set<String> {
        Set(try values("SELECT lead FROM consultations UNION SELECT agency FROM duties") as [String])
    }

    /// The leads the store names (one scan of the consultations, not of their duties).
    public func leads() throws -> [String] {
        try values("SELECT DISTINCT lead FROM consultations")
    }

    /// Ids of the open consultations, in the order they were sent.
    public func openConsultationIDs() throws -> [String] {
        try values("SELECT id FROM consultations WHERE state = 'open' ORDER BY sent, id")
    }

    /// The consultations selected, as lists show them, in the order they were sent, with no
    /// deadline basis decoded. Two sequential scans (consultations, then duties in key order,
    /// grouped by consultation): at a million duties they cost a fifth of an indexed join.
    public func summaries(_ selection: Selection, agency: String? = nil) throws -> [ConsultationSummary] {
        // Both scans run in consultation id order (the keys of both tables), so each group of
        // duties meets its consultation by walking forward, without a table of 100,000 headers.
        var headers: [(id: String, sent: Int64, title: String, lead: String, state: Consultation.State)] = []
        let openOnly = if case .open = selection { true } else { false }
        try db.hotRows("SELECT id, sent, title, lead, state FROM consultations"
                       + (openOnly ? " WHERE state = 'open'" : "") + " ORDER BY id") { row in
            let id = row.text(0) ?? ""
            let state: Consultation.State = try Self.decode(row.text(4), "consultation \(id): state")
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
        try db.hotRows("""
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
            let what = "a duty of \(id) (\(dutyAgency))"
            group!.lines.append(ConsultationSummary.DutyLine(
                party: row.text(1) ?? "", agency: dutyAgency, kind: try Self.decode(row.text(3), "\(what): kind"),
                due: date, status: try Self.decode(status, "\(what): status"),
                verdict: try Self.decodeIfPresent(row.text(6), "\(what): verdict")))
        }
        close()
        return selected.sorted { ($0.sent, $0.summary.id) < ($1.sent, $1.summary.id) }.map(\.summary)
    }

    /// The facts of every reply duty due in the closed range, for the scorecard.
    public func replyDutyFacts(from: LocalDate?, to: LocalDate?) throws -> [ReplyDutyFacts] {
        try rows("""
            SELECT d.consultation, d.agency, d.due, d.status, d.verdict, d.first_verdict, d.days_late,
                   (SELECT group_concat(DISTINCT verdict) FROM documents x
                     WHERE x.consultation = d.consultation AND x.agency = d.agency AND x.kind = 'reply') AS verdicts
            FROM duties d
            WHERE d.kind = 'reply' AND (? IS NULL OR d.due >= ?) AND (? IS NULL OR d.due <= ?)
            ORDER BY d.agency, d.due
            """, [from?.description, from?.description, to?.description, to?.description]).map { row in
            let what = "a duty of \(row["consultation"] as String) (\(row["agency"] as String))"
            let status: Duty.Status = try Self.decode(row["status"], "\(what): status")
            let verdicts: [Verdict] = try ((row["verdicts"] as String?) ?? "").split(separator: ",").map { token in
                try Self.decode(String(token), "\(what): a reply's verdict")
            }
            return ReplyDutyFacts(consultation: row["consultation"], agency: row["agency"], due: try Self.date(row["due"], "\(what): due"),
                                  status: status, clearReplyDaysLate: status == .discharged ? (row["days_late"] as Int? ?? 0) : nil,
                                  firstVerdict: try Self.decodeIfPresent(row["first_verdict"], "\(what): first verdict"),
                                  verdicts: Set(verdicts))
        }
    }

    /// The reply duties due in the closed range that were overdue — without a clear reply past
    /// their deadline on `today`, deemed to agree, or discharged late — with the last notice of the
    /// reply ladder (`steps`) sent about each, by deadline, at most `limit` of them; and how many
    /// there are in all. The ledger is read through its consultation index for those listed only.
    public func overdueDuties(from: LocalDate?, to: LocalDate?, today: LocalDate, steps: [String],
                              limit: Int) throws -> (duties: [OverdueDuty], total: Int) {
        let range: StatementArguments = [from?.description, from?.description, to?.description, to?.description, today.description]
        let total: Int = try value("""
            SELECT count(*) FROM duties d
            WHERE d.kind = 'reply' AND (? IS NULL OR d.due >= ?) AND (? IS NULL OR d.due <= ?)
              AND ((d.status = 'open' AND d.due < ?) OR d.status = 'deemed' OR (d.status = 'discharged' AND d.days_late > 0))
            """, range) ?? 0
        let stepList = JSONWriter.string(.strings(steps))
        let severe = Priority.allCases.filter { $0.level <= Priority.err.level }.map(\.rawValue)
        let listed = try rows("""
            SELECT d.consultation, c.title, c.lead, d.agency, d.due, d.status, d.days_late,
                   (SELECT l.event FROM ledger l
                     WHERE l.consultation = d.consultation AND l.agency = d.agency AND l.status = 'sent'
                       AND l.step IN (SELECT value FROM json_each(?)) ORDER BY l.at DESC, l.rowid DESC LIMIT 1) AS last_notice,
                   EXISTS (SELECT 1 FROM ledger l
                     WHERE l.consultation = d.consultation AND l.agency = d.agency AND l.status = 'sent'
                       AND l.step IN (SELECT value FROM json_each(?)) AND l.priority IN (SELECT value FROM json_each(?))) AS escalated
            FROM duties d JOIN consultations c ON c.id = d.consultation
            WHERE d.kind = 'reply' AND (? IS NULL OR d.due >= ?) AND (? IS NULL OR d.due <= ?)
              AND ((d.status = 'open' AND d.due < ?) OR d.status = 'deemed' OR (d.status = 'discharged' AND d.days_late > 0))
            ORDER BY d.due, d.consultation, d.agency LIMIT ?
            """, [stepList, stepList, JSONWriter.string(.strings(severe))] + range + [limit]).map { row in
            let what = "a duty of \(row["consultation"] as String) (\(row["agency"] as String))"
            let status: Duty.Status = try Self.decode(row["status"], "\(what): status")
            return OverdueDuty(consultation: row["consultation"], title: row["title"], lead: row["lead"], agency: row["agency"],
                               due: try Self.date(row["due"], "\(what): due"), status: status,
                               daysLate: status == .discharged ? row["days_late"] : nil, lastNotice: row["last_notice"],
                               escalated: row["escalated"])
        }
        return (listed, total)
    }

    /// Open reply duties whose latest reply was unclear (vague or deflection).
    public func unclearOpenDuties() throws -> Int {
        try value("SELECT count(*) FROM duties WHERE kind = 'reply' AND status = 'open' AND verdict IN ('vague', 'deflection')") ?? 0
    }

    /// Which of `hashes` (SHA-256, hex) are those of documents applied, and when each was: one
    /// scan of the documents, whatever their number (the archive's recovery after a crash asks
    /// for a few).
    public func appliedInstants(among hashes: Set<String>) throws -> [String: Instant] {
        guard !hashes.isEmpty else { return [:] }
        var applied: [String: Instant] = [:]
        let cursor = try Row.fetchCursor(db, sql: "SELECT hash, applied_at FROM documents")
        while let row = try cursor.next() {
            let hash: String = row[0]
            if hashes.contains(hash) { applied[hash] = Instant(seconds: row[1]) }
        }
        return applied
    }

    /// Every document applied, in the order it was: its hash, file, kind, consultation, agency and
    /// when (for `consultctl verify`, which finds each in `done/DATE/`).
    public func appliedDocuments() throws -> [DocumentRecord] {
        try rows("SELECT hash, file, kind, consultation, agency, applied_at FROM documents ORDER BY rowid").map { row in
            DocumentRecord(hash: row["hash"], file: row["file"], kind: row["kind"], consultation: row["consultation"],
                           agency: row["agency"], appliedAt: Instant(seconds: row["applied_at"]))
        }
    }

    /// The documents applied to a consultation, in the order they were.
    public func documents(of consultation: String) throws -> [DocumentRecord] {
        try rows("SELECT * FROM documents WHERE consultation = ? ORDER BY applied_at, rowid", [consultation]).map { row in
            let assessment = try Self.assessment(verdict: row["verdict"], reasons: row["reasons"], evidence: row["evidence"],
                                                 position: row["position"]) { "document \(row["file"] as String)" }
            return DocumentRecord(hash: row["hash"], file: row["file"], kind: row["kind"], consultation: row["consultation"],
                                  agency: row["agency"], appliedAt: Instant(seconds: row["applied_at"]),
                                  received: (row["received"] as Int64?).map(Instant.init(seconds:)), position: row["position"],
                                  assessment: assessment)
        }
    }
}
