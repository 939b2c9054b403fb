import ConsultCore

/// What a list shows of a consultation: its request's headline and its duties' standing —
/// no deadline bases, no ledger, so that long lists are read without decoding them.
public struct ConsultationSummary: Sendable, Equatable {
    /// One duty's standing.
    public struct DutyLine: Sendable, Equatable {
        public var party: String
        public var agency: String
        public var kind: DutyKind
        public var due: LocalDate
        public var status: Duty.Status
        public var verdict: Verdict?

        public init(party: String, agency: String, kind: DutyKind, due: LocalDate, status: Duty.Status, verdict: Verdict?) {
            self.party = party
            self.agency = agency
            self.kind = kind
            self.due = due
            self.status = status
            self.verdict = verdict
        }

        public init(_ d: Duty) {
            self.init(party: d.party, agency: d.agency, kind: d.kind, due: d.due, status: d.status, verdict: d.assessment?.verdict)
        }
    }

    public var id: String
    public var title: String
    public var lead: String
    public var state: Consultation.State
    public var duties: [DutyLine]

    public init(id: String, title: String, lead: String, state: Consultation.State, duties: [DutyLine]) {
        self.id = id
        self.title = title
        self.lead = lead
        self.state = state
        self.duties = duties
    }

    public init(_ c: Consultation) {
        self.init(id: c.id, title: c.request.title, lead: c.request.lead, state: c.state, duties: c.duties.map(DutyLine.init))
    }

    /// The consultation's deadline: the latest due date of its reply duties (extensions included).
    public var deadline: LocalDate {
        var latest: LocalDate?
        for d in duties where d.kind == .reply && latest.map({ d.due > $0 }) ?? true { latest = d.due }
        return latest ?? duties.first?.due ?? LocalDate(dayNumber: 0)
    }
}
