import ConsultCore

extension DayOff {
    /// `{"date": D, "name": …}`, as `deadline` and `show` write a day off skipped.
    public var json: JSONValue { .object([("date", .string(date.description)), ("name", .string(name))]) }
}

/// The administrator's views of consultations: the JSON shapes of contract §10 and the rows of
/// their tables and CSV files.
public struct ConsultationView: Sendable {
    public let consultation: Consultation
    public let documents: [DocumentLine]
    public let clock: LocalClock

    /// A document of a consultation's timeline.
    public struct DocumentLine: Sendable, Equatable {
        public var kind: String
        public var file: String
        public var at: Instant
        public var agency: String?
        public var received: Instant?
        public var position: String?
        public var assessment: Assessment?

        public init(kind: String, file: String, at: Instant, agency: String?, received: Instant?, position: String?,
                    assessment: Assessment?) {
            self.kind = kind
            self.file = file
            self.at = at
            self.agency = agency
            self.received = received
            self.position = position
            self.assessment = assessment
        }
    }

    public init(_ consultation: Consultation, documents: [DocumentLine] = [], clock: LocalClock) {
        self.consultation = consultation
        self.documents = documents
        self.clock = clock
    }

    /// What `list` shows of it.
    public var summary: ConsultationSummary { ConsultationSummary(consultation) }

    /// The consultation's deadline: the latest due date of its reply duties (extensions included).
    public var deadline: LocalDate { summary.deadline }

    /// `show`'s object: the summary plus the timeline.
    public var detailJSON: JSONValue {
        let r = consultation.request
        let documents = JSONValue.array(self.documents.map { d in
            .object([
                ("kind", .string(d.kind)), ("file", .string(d.file)), ("at", .string(clock.format(d.at))),
                ("agency", .optional(d.agency)), ("received", .optional(d.received.map(clock.format))),
                ("position", .optional(d.position.flatMap { $0.isEmpty ? nil : $0 })),
                ("assessment", .optional(d.assessment?.verdict.rawValue)), ("reasons", .strings(d.assessment?.reasons ?? [])),
                ("evidence", d.assessment.map { Evidence.json($0.evidence) } ?? .array([])),
            ])
        })
        let notices = JSONValue.array(consultation.ledger.map { e in
            .object([
                ("notice_id", .string(e.noticeID)), ("event", .string(e.event)), ("step", .optional(e.step)),
                ("at", .string(clock.format(e.at))), ("status", .string(e.status.rawValue)),
                ("skip_reason", .optional(e.skipReason)), ("late_detected", .bool(e.lateDetected)), ("agency", .string(e.agency)),
            ])
        })
        return .object([
            ("id", .string(r.id)), ("title", .string(r.title)), ("lead", .string(r.lead)),
            ("deadline", .string(deadline.description)), ("state", .string(consultation.state.rawValue)),
            ("sent", .string(clock.format(r.sent))), ("urgency", .string(r.urgency.rawValue)), ("reference", .optional(r.reference)),
            ("consulted", .strings(r.consulted)),
            ("duties", .array(consultation.duties.map(dutyJSON))),
            ("documents", documents), ("notices", notices),
        ])
    }

    /// A duty in full: its standing, reasons, lateness and how its deadline was reached.
    func dutyJSON(_ d: Duty) -> JSONValue {
        guard case var .object(members) = ConsultationSummary.DutyLine(d).json else { return .null }
        let b = d.basis
        members.append(("reasons", .strings(d.assessment?.reasons ?? [])))
        members.append(("evidence", d.assessment.map { Evidence.json($0.evidence) } ?? .array([])))
        members.append(("days_late", d.daysLate.map(JSONValue.int) ?? .null))
        members.append(("basis", .object([
            ("method", .string(b.method.rawValue)), ("from", .string(b.sent.description)), ("days", .int(b.days)),
            ("deadline", .string(b.deadline.description)), ("provisional", .bool(b.provisional)),
            ("skipped", .array(b.skipped.map(\.json))),
            ("reason", .optional(b.reason)),
        ])))
        return .object(members)
    }

    /// One piece of evidence on one line: `reason: “quote”`, its white space folded; a quote
    /// longer than `width` characters is cut (nil: never).
    public static func evidenceLine(_ e: Evidence, width: Int? = 160) -> String {
        guard var flat = e.quoteOnOneLine else { return "\(e.reason): —" }
        if let width, flat.count > width { flat = String(flat.prefix(width - 1)) + "…" }
        return "\(e.reason): “\(flat)”"
    }

    /// The timeline as text: duties with how their deadline was reached, documents with their
    /// assessment, notices sent and steps skipped. With `style.width` each line is cut to the
    /// terminal's width (ending in `…`); with `style.colour` the duties that need attention are
    /// coloured as `standing` judges them.
    public func timeline(style: TableStyle = .plain, standing: Standing? = nil) -> String {
        let r = consultation.request
        var lines = ["\(r.id)  \(r.title)", "lead \(r.lead), sent \(clock.format(r.sent)), state \(consultation.state.rawValue)", "", "Duties:"]
        var highlights: [Int: TextTable.Highlight] = [:]
        for d in consultation.duties {
            if let standing, let h = standing.highlight(kind: d.kind, due: d.due, status: d.status, verdict: d.assessment?.verdict) {
                highlights[lines.count] = h
            }
            let b = d.basis
            var how: String
            switch b.method {
            case .workingDays: how = "\(b.days) working days from \(b.sent)"
            case .explicit: how = "set by the request (\(b.days) working days from \(b.sent))"
            case .extended: how = "extended (\(b.reason ?? "no reason")), \(b.days) working days from \(b.sent)"
            }
            if !b.skipped.isEmpty { how += "; skipped " + b.skipped.map { "\($0.date) \($0.name)" }.joined(separator: ", ") }
            if b.provisional { how += "; provisional" }
            let verdict = d.assessment.map { " — \($0.verdict.rawValue) [\($0.reasons.joined(separator: ","))]" } ?? ""
            lines.append("  \(d.kind.rawValue) \(d.kind == .reconcile ? "\(d.party) with \(d.agency)" : d.agency): due \(d.due), \(d.status.rawValue)\(verdict)")
            lines.append("      \(how)")
        }
        lines.append("")
        lines.append("Documents:")
        for doc in documents {
            var line = "  \(clock.format(doc.at))  \(doc.kind) \(doc.file)"
            if let agency = doc.agency { line += " (\(agency))" }
            if let a = doc.assessment { line += " — \(a.verdict.rawValue) [\(a.reasons.joined(separator: ","))]" }
            lines.append(line)
            for e in doc.assessment?.evidence ?? [] { lines.append("      " + Self.evidenceLine(e, width: style.width == nil ? nil : 160)) }
        }
        lines.append("")
        lines.append("Notices:")
        for e in consultation.ledger {
            var line = "  \(clock.format(e.at))  \(e.noticeID)  \(e.status.rawValue)"
            if let reason = e.skipReason { line += " (\(reason))" }
            if e.lateDetected { line += " late_detected" }
            lines.append(line)
        }
        var out = ""
        for (i, line) in lines.enumerated() {
            var text = TextTable.sanitize(line)
            if let width = style.width, TextTable.displayWidth(text) > width { text = TextTable.fit(text, to: width).text }
            if style.colour, let h = highlights[i] { text = "\u{1B}[" + h.sgr + "m" + text + "\u{1B}[0m" }
            out += text + "\n"
        }
        return out
    }
}

extension ConsultationSummary {
    /// `list`'s object.
    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("title", .string(title)), ("lead", .string(lead)),
            ("deadline", .string(deadline.description)), ("state", .string(state.rawValue)),
            ("duties", .array(duties.map(\.json))),
        ])
    }

    public static let listHeader = ["ID", "TITLE", "LEAD", "DEADLINE", "STATE", "DUTIES"]

    public var listRow: [String] {
        var cells = ""
        for d in duties {
            if !cells.isEmpty { cells += " " }
            d.appendCell(to: &cells)
        }
        return [id, title, lead, deadline.description, state.rawValue, cells]
    }

    public static let csvHeader = ["id", "title", "lead", "deadline", "state", "party", "agency", "kind", "due", "status", "assessment"]

    /// One CSV row per duty.
    public var csvRows: [[String]] {
        let deadline = self.deadline.description
        return duties.map { d in
            [id, title, lead, deadline, state.rawValue, d.party, d.agency, d.kind.rawValue, d.due.description, d.status.rawValue,
             d.verdict?.rawValue ?? ""]
        }
    }
}

extension ConsultationSummary.DutyLine {
    /// A duty in a list's object.
    public var json: JSONValue {
        .object([
            ("party", .string(party)), ("agency", .string(agency)), ("kind", .string(kind.rawValue)),
            ("due", .string(due.description)), ("status", .string(status.rawValue)), ("assessment", .optional(verdict?.rawValue)),
        ])
    }

    /// Appends the duty as a short cell: `STC:open(vague)`.
    func appendCell(to out: inout String) {
        if kind == .reconcile { out += party + "↔" }
        out += agency
        out += ":"
        out += status.rawValue
        if let verdict { out += "(" + verdict.rawValue + ")" }
    }
}
