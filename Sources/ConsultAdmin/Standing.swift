import ConsultCore

/// Where open duties stand at an instant — what `list` and `show` colour on a terminal: escalated
/// (the ladder has reached a step of priority `err` or higher: by default `escalation-1`, three
/// working days past due), overdue (past its due date), unclear (the latest reply was vague or a
/// deflection). Read from the due dates and the ladder, as the daemon fires it, so a list of a
/// hundred thousand consultations needs no notice ledger.
public struct Standing: Sendable {
    let calendar: WorkingCalendar
    let clock: LocalClock
    let policy: Policy
    let now: Instant
    let today: LocalDate

    public init(calendar: WorkingCalendar, clock: LocalClock, policy: Policy, now: Instant) {
        self.calendar = calendar
        self.clock = clock
        self.policy = policy
        self.now = now
        self.today = clock.date(of: now)
    }

    /// The offset of the first step of each duty kind that escalates (priority `err` or higher).
    var escalatingOffsets: [DutyKind: Int] {
        var offsets: [DutyKind: Int] = [:]
        for kind in DutyKind.allCases {
            offsets[kind] = policy.ladder.steps(for: kind).first { $0.priority.level <= Priority.err.level }?.offset
        }
        return offsets
    }

    /// The highlight of one duty, if it needs attention.
    public func highlight(kind: DutyKind, due: LocalDate, status: Duty.Status, verdict: Verdict?) -> TextTable.Highlight? {
        var cache: [Key: Bool] = [:]
        return highlight(kind: kind, due: due, status: status, verdict: verdict, offsets: escalatingOffsets, cache: &cache)
    }

    /// The strongest highlight among each consultation's duties.
    public func highlights(_ summaries: [ConsultationSummary]) -> [TextTable.Highlight?] {
        let offsets = escalatingOffsets
        // Duties share due dates: each (kind, due) is shifted through the calendar once.
        var cache: [Key: Bool] = [:]
        return summaries.map { summary in
            summary.duties.compactMap { d in
                highlight(kind: d.kind, due: d.due, status: d.status, verdict: d.verdict, offsets: offsets, cache: &cache)
            }.min()
        }
    }

    struct Key: Hashable {
        let kind: DutyKind
        let due: LocalDate
    }

    private func highlight(kind: DutyKind, due: LocalDate, status: Duty.Status, verdict: Verdict?,
                           offsets: [DutyKind: Int], cache: inout [Key: Bool]) -> TextTable.Highlight? {
        guard status == .open else { return nil }
        if due < today, let offset = offsets[kind] {
            let key = Key(kind: kind, due: due)
            let escalated = cache[key] ?? {
                let fired = clock.instant(on: calendar.shift(due, byWorkingDays: offset), minuteOfDay: policy.officeOpenMinute) <= now
                cache[key] = fired
                return fired
            }()
            if escalated { return .escalated }
        }
        if due < today { return .overdue }
        if kind == .reply, verdict == .vague || verdict == .deflection { return .unclear }
        return nil
    }
}
