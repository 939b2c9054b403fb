/// A deadline a new calendar would move.
public struct DeadlineChange: Sendable, Equatable {
    public var consultation: String
    public var kind: DutyKind
    public var party: String
    public var agency: String
    public var due: LocalDate
    public var newDue: LocalDate

    public init(consultation: String, kind: DutyKind, party: String, agency: String, due: LocalDate, newDue: LocalDate) {
        self.consultation = consultation
        self.kind = kind
        self.party = party
        self.agency = agency
        self.due = due
        self.newDue = newDue
    }
}

extension Consultation {
    /// The open duties whose deadline, counted again under `calendar`, would differ from the
    /// frozen one. Dates set by a request or an extension do not depend on the calendar.
    public func deadlineChanges(under calendar: WorkingCalendar) -> [DeadlineChange] {
        duties.compactMap { d in
            guard d.isOpen, d.basis.method == .workingDays else { return nil }
            let recounted = calendar.deadline(from: d.basis.sent, workingDays: d.basis.days).deadline
            guard recounted != d.due else { return nil }
            return DeadlineChange(consultation: id, kind: d.kind, party: d.party, agency: d.agency, due: d.due, newDue: recounted)
        }
    }
}
