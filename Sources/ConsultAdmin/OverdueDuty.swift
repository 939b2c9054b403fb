import ConsultCore

/// A reply duty behind a scorecard's late and unanswered counts: still without a clear reply past
/// its deadline, deemed to agree after staying silent, or answered late — with the ladder's last
/// notice about it and whether it was escalated.
public struct OverdueDuty: Sendable, Equatable {
    public var consultation: String
    public var title: String
    public var lead: String
    public var agency: String
    public var due: LocalDate
    /// `open`, `deemed` or `discharged` (by a late clear reply).
    public var status: Duty.Status
    /// Working days late: of the clear reply that discharged it; for an open duty, as of the
    /// report's day (set by whoever knows the calendar).
    public var daysLate: Int?
    /// The event of the last ladder notice sent about it (`escalation-2`, `deemed-agreement` …).
    public var lastNotice: String?
    /// Whether a ladder notice of priority `err` or higher was sent about it.
    public var escalated: Bool

    public init(consultation: String, title: String, lead: String, agency: String, due: LocalDate, status: Duty.Status,
                daysLate: Int?, lastNotice: String?, escalated: Bool) {
        self.consultation = consultation
        self.title = title
        self.lead = lead
        self.agency = agency
        self.due = due
        self.status = status
        self.daysLate = daysLate
        self.lastNotice = lastNotice
        self.escalated = escalated
    }
}
