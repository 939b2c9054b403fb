/// Everything a consultation's transitions depend on besides its own state: the city's policy
/// and contacts, the working calendar and the local clock.
public struct Rules: Sendable {
    public let directory: Directory
    public let calendar: WorkingCalendar
    public let clock: LocalClock
    public let composer: NoticeComposer
    public let assessor: Assessor

    public init(directory: Directory, calendar: WorkingCalendar, clock: LocalClock) {
        self.directory = directory
        self.calendar = calendar
        self.clock = clock
        self.composer = NoticeComposer(directory: directory, clock: clock)
        self.assessor = Assessor(directory: directory)
    }

    public var policy: Policy { directory.policy }

    /// The reply deadline of a request: explicit `deadline`, else `reply_days`, else the policy's
    /// default for its urgency, counted in working days from the local date of `sent`.
    public func deadline(for request: Request) -> DeadlineBasis {
        let sent = clock.date(of: request.sent)
        if let explicit = request.deadline {
            return calendar.fixedDeadline(from: sent, to: explicit, method: .explicit)
        }
        return calendar.deadline(from: sent, workingDays: request.replyDays ?? policy.replyDays(for: request.urgency))
    }

    /// When a step `offset` working days from `due` fires: `office_open` on that working day.
    public func stepInstant(due: LocalDate, offset: Int) -> Instant {
        clock.instant(on: calendar.shift(due, byWorkingDays: offset), minuteOfDay: policy.officeOpenMinute)
    }

    /// The latest ladder step after the due date that an open duty of this kind, due then, has
    /// reached at `now` (nil before the first): what the ladder says of it, whatever was sent.
    public func stepReached(kind: DutyKind, due: LocalDate, at now: Instant) -> LadderStep? {
        policy.ladder.steps(for: kind).filter { $0.offset > 0 && stepInstant(due: due, offset: $0.offset) <= now }
            .max { $0.offset < $1.offset }
    }

    /// Whether a step is the top of its ladder (the last rung: the city leadership by default).
    public func isTopStep(_ step: LadderStep) -> Bool {
        policy.ladder.steps(for: step.duty).max { $0.offset < $1.offset }?.name == step.name
    }
}

/// What kind of notice to compose: its event, the step it stands for, priority and recipients.
public struct NoticeSpec: Sendable, Equatable {
    public var event: String
    public var step: String?
    public var priority: Priority
    public var notify: [Recipient]

    public init(event: String, step: String?, priority: Priority, notify: [Recipient]) {
        self.event = event
        self.step = step
        self.priority = priority
        self.notify = notify
    }
}
