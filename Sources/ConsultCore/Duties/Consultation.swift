/// A consultation and everything decided about it: its duties and its notice ledger.
///
/// All rules of contract §6 live here, as pure transitions. Each transition returns the notices
/// to emit; the caller persists the new state and the notices in one transaction.
public struct Consultation: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case open, completed, withdrawn
    }

    public var request: Request
    public var state: State
    public var duties: [Duty]
    public var ledger: [LedgerEntry]

    public init(request: Request, state: State, duties: [Duty], ledger: [LedgerEntry]) {
        self.request = request
        self.state = state
        self.duties = duties
        self.ledger = ledger
    }

    public var id: String { request.id }

    /// Opens a consultation from its request: one reply duty per consulted agency.
    public static func open(_ request: Request, rules: Rules) -> Consultation {
        let basis = rules.deadline(for: request)
        var consultation = Consultation(
            request: request, state: .open,
            duties: request.consulted.map { Duty(kind: .reply, party: $0, agency: $0, basis: basis) },
            ledger: [])
        // No step consumed yet: the duties of one kind and due date (a request's share one
        // basis) have the same next step, worked out once.
        var last: (kind: DutyKind, due: LocalDate, next: Instant?)?
        for i in consultation.duties.indices {
            let duty = consultation.duties[i]
            if let last, duty.isOpen, last.kind == duty.kind, last.due == duty.due {
                consultation.duties[i].nextStepAt = last.next
                continue
            }
            consultation.refreshNextStep(i, rules: rules)
            if duty.isOpen { last = (duty.kind, duty.due, consultation.duties[i].nextStepAt) }
        }
        return consultation
    }

    // MARK: - Documents

    /// Applies a reply already assessed. The agency must be one of the consulted.
    public mutating func apply(_ reply: Reply, assessment: Assessment, rules: Rules, now: Instant) -> [Notice] {
        guard state != .withdrawn,
              let i = duties.firstIndex(where: { $0.kind == .reply && $0.agency == reply.agency }),
              duties[i].status != .withdrawn else { return [] }
        // An older reply arriving late does not supersede a newer one.
        if let latest = duties[i].latestReplyAt, reply.received < latest { return [] }
        // What the ledger already told people at an instant after this reply's: "no clear reply".
        let contradicted = firstStepNotice(of: duties[i], after: reply.received, rules: rules)
        duties[i].latestReplyAt = reply.received
        duties[i].assessment = assessment
        if duties[i].firstVerdict == nil { duties[i].firstVerdict = assessment.verdict }

        var notices: [Notice] = []
        let agency = reply.agency
        let receivedDate = rules.clock.date(of: reply.received)
        if let contradicted {
            notices.append(emitEvent(.backdatedReply, agency: agency, duty: duties[i], reasons: [],
                                     backdating: Backdating(received: reply.received, noticeID: contradicted.noticeID,
                                                            noticeAt: contradicted.at),
                                     rules: rules, now: now))
        }
        switch assessment.verdict {
        case .vague, .deflection:
            // Received before the agency was deemed to agree, as stated: it had spoken, so it was
            // no silence, and its duty climbs the ladder again from the steps not yet consumed.
            if duties[i].status == .deemed, let deemed = duties[i].endedAt, reply.received < deemed {
                duties[i].status = .open
                duties[i].endedAt = nil
                refreshNextStep(i, rules: rules)
            }
            let event: Event = assessment.verdict == .vague ? .vague : .deflection
            notices.append(emitEvent(event, agency: agency, duty: duties[i], reasons: assessment.reasons, rules: rules, now: now))
        case .clear:
            // Late when received after the due date (contract §4), by at least one working day: a
            // reply received on the Saturday after a Friday deadline is one working day late.
            let late = receivedDate > duties[i].due
                ? max(1, rules.calendar.workingDays(after: duties[i].due, through: receivedDate)) : 0
            // A clear reply after a deemed agreement is recorded as what it is: an answer, late.
            if duties[i].isOpen || duties[i].status == .deemed {
                duties[i].status = .discharged
                duties[i].endedAt = reply.received
                duties[i].daysLate = late
                duties[i].nextStepAt = nil
                if late > 0 {
                    notices.append(emitEvent(.lateReply, agency: agency, duty: duties[i],
                                             reasons: assessment.reasons, rules: rules, now: now))
                }
            }
            let openReconcile = duties.firstIndex { $0.kind == .reconcile && $0.agency == agency && $0.isOpen }
            if assessment.position == .disagree {
                if openReconcile == nil {
                    let start = max(receivedDate, duties[i].due)
                    var basis = rules.calendar.deadline(from: start, workingDays: rules.policy.reconcileDays)
                    basis.sent = start
                    let reconcile = Duty(kind: .reconcile, party: request.lead, agency: agency, basis: basis)
                    duties.append(reconcile)
                    refreshNextStep(duties.count - 1, rules: rules)
                    notices.append(emitEvent(.disagreement, agency: agency, duty: reconcile,
                                             reasons: assessment.reasons, rules: rules, now: now))
                }
            } else if let r = openReconcile {
                // The agency itself dropped its objection: nothing is left to reconcile.
                duties[r].status = .discharged
                duties[r].endedAt = reply.received
                duties[r].nextStepAt = nil
            }
        }
        notices += settle(rules: rules, now: now)
        return notices
    }

    /// Moves the deadline of the open reply duties of the named agencies (all when `nil`).
    public mutating func apply(_ ext: Extension, rules: Rules, now: Instant) throws(Refusal) -> [Notice] {
        guard state != .withdrawn else {
            throw Refusal(.notApplicable, "consultation \(id) was withdrawn; its deadline cannot be extended")
        }
        let sentDate = rules.clock.date(of: request.sent)
        guard ext.deadline >= sentDate else {
            throw Refusal(.invalidField, "field \"deadline\" (\(ext.deadline)) is before the request was sent (\(sentDate))")
        }
        let targets = Set(ext.agencies ?? request.consulted)
        for i in duties.indices where duties[i].kind == .reply && duties[i].isOpen && targets.contains(duties[i].agency) {
            duties[i].basis = rules.calendar.fixedDeadline(from: sentDate, to: ext.deadline, method: .extended, reason: ext.reason)
            refreshNextStep(i, rules: rules)
        }
        // An earlier deadline can make steps due at once.
        return fireDueSteps(rules: rules, now: now)
    }

    /// Withdraws the whole consultation, or the duties concerning some agencies.
    public mutating func apply(_ withdrawal: Withdrawal, rules: Rules, now: Instant) -> [Notice] {
        let targets = withdrawal.agencies.map(Set.init)
        for i in duties.indices where duties[i].isOpen && (targets?.contains(duties[i].agency) ?? true) {
            duties[i].status = .withdrawn
            duties[i].endedAt = now
            duties[i].nextStepAt = nil
        }
        if targets == nil { state = .withdrawn }
        return settle(rules: rules, now: now)
    }

    /// Records that the lead reconciled a disagreement.
    public mutating func apply(_ resolution: Resolution, rules: Rules, now: Instant) throws(Refusal) -> [Notice] {
        guard let i = duties.firstIndex(where: { $0.kind == .reconcile && $0.agency == resolution.agency && $0.isOpen }) else {
            throw Refusal(.notApplicable, "consultation \(id) has no open disagreement with \(resolution.agency) to resolve")
        }
        duties[i].status = .discharged
        duties[i].endedAt = resolution.received
        duties[i].nextStepAt = nil
        return settle(rules: rules, now: now)
    }

    // MARK: - Ladder

    /// Decides every ladder step due at `now`: per duty, the latest due step is sent (marked
    /// `late_detected` when others were due with it), earlier ones are recorded as skipped.
    public mutating func fireDueSteps(rules: Rules, now: Instant) -> [Notice] {
        var notices: [Notice] = []
        for i in duties.indices {
            guard duties[i].isOpen, let next = duties[i].nextStepAt, next <= now else { continue }
            if let notice = fireDueSteps(duty: i, rules: rules, now: now) { notices.append(notice) }
            refreshNextStep(i, rules: rules)
        }
        return notices + settle(rules: rules, now: now)
    }

    private mutating func fireDueSteps(duty i: Int, rules: Rules, now: Instant) -> Notice? {
        let duty = duties[i]
        var pending = pendingSteps(of: duty, rules: rules)
        // A step that would have fired before the request existed is dropped silently.
        for (step, instant) in pending where instant < request.sent {
            ledger.append(LedgerEntry(noticeID: noticeID(duty.agency, step.name), agency: duty.agency, event: step.name,
                                      step: step.name, status: .skipped, skipReason: "before_sent", at: instant))
        }
        pending.removeAll { $0.instant < request.sent }
        var due = pending.filter { $0.instant <= now }
        guard !due.isEmpty else { return nil }

        // Only silence is deemed agreement: an agency that answered vaguely, deflected or disagreed
        // without reasons has spoken, and its duty climbs the ladder.
        var deeming = false
        if duty.kind == .reply, duty.latestReplyAt == nil, rules.policy.silence == .deemedAgree,
           let deemingStep = rules.policy.ladder.deemingStep,
           let k = due.firstIndex(where: { $0.step.name == deemingStep.name }) {
            due = Array(due[...k])
            deeming = true
        }
        let (last, lastInstant) = due.removeLast()
        for (step, instant) in due {
            ledger.append(LedgerEntry(noticeID: noticeID(duty.agency, step.name), agency: duty.agency, event: step.name,
                                      step: step.name, status: .skipped, skipReason: "catch_up", at: instant))
        }
        let lateDetected = !due.isEmpty
        // The true lateness on the day the notice is written, not the step's offset: a catch-up
        // notice days after its step says how late the agency really is.
        let daysLate = self.daysLate(duty, rules: rules, now: now)
        let reasons = duty.assessment?.reasons.isEmpty == false && duty.kind == .reply ? duty.assessment!.reasons : ["no_reply"]
        if deeming {
            duties[i].status = .deemed
            duties[i].endedAt = lastInstant
            duties[i].daysLate = nil
            var spec = Self.spec(of: .deemedAgreement)
            spec.step = last.name
            return emit(spec, id: noticeID(duty.agency, Event.deemedAgreement.rawValue), duty: duties[i], daysLate: daysLate,
                        lateDetected: lateDetected, reasons: reasons, rules: rules, now: now)
        }
        let spec = NoticeSpec(event: last.name, step: last.name, priority: last.priority, notify: last.notify)
        return emit(spec, id: noticeID(duty.agency, last.name), duty: duty, daysLate: daysLate,
                    lateDetected: lateDetected, reasons: duty.kind == .reconcile ? ["not_reconciled"] : reasons,
                    rules: rules, now: now)
    }

    /// Working days from a duty's due date to `now`'s date (0 until it is past): a notice's `days_late`.
    private func daysLate(_ duty: Duty, rules: Rules, now: Instant) -> Int {
        rules.calendar.workingDays(after: duty.due, through: rules.clock.date(of: now))
    }

    /// The first ladder notice sent for a reply duty at an instant later than `instant` (a step
    /// sent, or the deemed agreement, which consumes a step).
    private func firstStepNotice(of duty: Duty, after instant: Instant, rules: Rules) -> LedgerEntry? {
        guard duty.kind == .reply else { return nil }
        let steps = Set(rules.policy.ladder.steps(for: .reply).map(\.name))
        return ledger.lazy
            .filter { $0.agency == duty.agency && $0.status == .sent && $0.at > instant && $0.step.map(steps.contains) == true }
            .min { $0.at < $1.at }
    }

    /// Ladder steps of a duty not yet sent or skipped, with their instants, in firing order.
    public func pendingSteps(of duty: Duty, rules: Rules) -> [(step: LadderStep, instant: Instant)] {
        let consumed = Set(ledger.lazy.filter { $0.agency == duty.agency }.compactMap(\.step))
        return rules.policy.ladder.steps(for: duty.kind)
            .filter { !consumed.contains($0.name) }
            .map { ($0, rules.stepInstant(due: duty.due, offset: $0.offset)) }
            .sorted { $0.1 < $1.1 }
    }

    private mutating func refreshNextStep(_ i: Int, rules: Rules) {
        duties[i].nextStepAt = duties[i].isOpen ? pendingSteps(of: duties[i], rules: rules).first?.instant : nil
    }

    // MARK: - Completion

    /// Recomputes the consultation's state once duties have changed; emits `completed` once.
    private mutating func settle(rules: Rules, now: Instant) -> [Notice] {
        guard state != .withdrawn else { return [] }
        if duties.contains(where: \.isOpen) {
            state = .open
            return []
        }
        guard duties.contains(where: { $0.status == .discharged || $0.status == .deemed }) else {
            state = .withdrawn
            return []
        }
        state = .completed
        let id = "\(request.id).\(request.lead).\(Event.completed.rawValue)"
        guard !ledger.contains(where: { $0.noticeID == id }) else { return [] }
        let spec = Self.spec(of: .completed)
        return [emit(spec, id: id, duty: nil, daysLate: 0, lateDetected: false, reasons: [], rules: rules, now: now)]
    }

    // MARK: - Emitting

    private func noticeID(_ agency: String, _ suffix: String) -> String { "\(request.id).\(agency).\(suffix)" }

    /// The built-in immediate events: priority and recipients (contract §6).
    static func spec(of event: Event) -> NoticeSpec {
        let notify: [Recipient] = switch event {
        case .vague: [.agencyOffice, .leadOffice]
        case .deflection, .deemedAgreement: [.agencyHead, .leadOffice]
        case .backdatedReply: [.leadOffice, .leadership]
        case .disagreement: [.leadHead, .agencyHead]
        default: [.leadOffice]
        }
        return NoticeSpec(event: event.rawValue, step: nil, priority: event.defaultPriority, notify: notify)
    }

    /// An immediate event about an agency's reply; its second, third … occurrence gets `-2`, `-3` ….
    private mutating func emitEvent(_ event: Event, agency: String, duty: Duty, reasons: [String],
                                    backdating: Backdating? = nil, rules: Rules, now: Instant) -> Notice {
        let count = ledger.lazy.filter { $0.agency == agency && $0.event == event.rawValue && $0.step == nil }.count
        let id = noticeID(agency, count == 0 ? event.rawValue : "\(event.rawValue)-\(count + 1)")
        return emit(Self.spec(of: event), id: id, duty: duty, daysLate: daysLate(duty, rules: rules, now: now),
                    lateDetected: false, reasons: reasons, backdating: backdating, rules: rules, now: now)
    }

    private mutating func emit(_ spec: NoticeSpec, id: String, duty: Duty?, daysLate: Int, lateDetected: Bool,
                               reasons: [String], backdating: Backdating? = nil, rules: Rules, now: Instant) -> Notice {
        let agency = duty?.agency ?? request.lead
        ledger.append(LedgerEntry(noticeID: id, agency: agency, event: spec.event, step: spec.step, status: .sent,
                                  lateDetected: lateDetected, at: now))
        return rules.composer.compose(spec, id: id, request: request, duty: duty, daysLate: daysLate,
                                      lateDetected: lateDetected, reasons: reasons, backdating: backdating, now: now)
    }
}
