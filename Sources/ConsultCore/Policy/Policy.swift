/// Syslog priorities, as journald's `PRIORITY` field numbers them.
public enum Priority: String, Sendable, CaseIterable, Codable {
    case emerg, alert, crit, err, warning, notice, info, debug

    /// The syslog level number (0 = emerg … 7 = debug).
    public var level: Int { Self.allCases.firstIndex(of: self)! }
}

/// The two kinds of duty.
public enum DutyKind: String, Sendable, CaseIterable, Codable {
    /// A consulted agency owes a clear reply by the deadline.
    case reply
    /// The lead's head owes a reconciliation with a dissenting agency's head.
    case reconcile
}

/// Who a notice goes to, by role.
public enum Recipient: String, Sendable, CaseIterable, Codable {
    case agencyOffice = "agency.office"
    case agencyHead = "agency.head"
    case leadOffice = "lead.office"
    case leadHead = "lead.head"
    case leadership
}

/// One rung of the escalation ladder: fires at `office_open` on the working day `offset`
/// working days from the duty's due date.
public struct LadderStep: Sendable, Equatable {
    public var duty: DutyKind
    public var name: String
    public var offset: Int
    public var priority: Priority
    public var notify: [Recipient]

    public init(duty: DutyKind, name: String, offset: Int, priority: Priority, notify: [Recipient]) {
        self.duty = duty
        self.name = name
        self.offset = offset
        self.priority = priority
        self.notify = notify
    }
}

/// The escalation ladder, per duty kind, in firing order.
public struct Ladder: Sendable, Equatable {
    public let steps: [LadderStep]

    public init(steps: [LadderStep]) {
        // Stable by offset: equal offsets keep the order the policy lists them in.
        self.steps = steps.enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
    }

    public func steps(for duty: DutyKind) -> [LadderStep] { steps.filter { $0.duty == duty } }

    /// The step at which a silent agency is deemed to agree under `silence = "deemed_agree"`:
    /// `overdue` if the ladder has it, else the first reply step after the due date.
    public var deemingStep: LadderStep? {
        let reply = steps(for: .reply)
        return reply.first { $0.name == Event.overdue.rawValue } ?? reply.first { $0.offset > 0 }
    }

    /// The ladder of the contract (§6).
    public static let standard = Ladder(steps: [
        LadderStep(duty: .reply, name: Event.reminder.rawValue, offset: -2, priority: .notice, notify: [.agencyOffice]),
        LadderStep(duty: .reply, name: Event.overdue.rawValue, offset: 1, priority: .warning, notify: [.agencyOffice, .leadOffice]),
        LadderStep(duty: .reply, name: Event.escalation1.rawValue, offset: 3, priority: .err, notify: [.agencyHead, .leadOffice]),
        LadderStep(duty: .reply, name: Event.escalation2.rawValue, offset: 5, priority: .crit, notify: [.leadership]),
        LadderStep(duty: .reconcile, name: Event.reconcileOverdue.rawValue, offset: 1, priority: .warning, notify: [.leadHead]),
        LadderStep(duty: .reconcile, name: Event.reconcileEscalation.rawValue, offset: 3, priority: .err, notify: [.leadership]),
    ])
}

/// What happens when a consulted agency stays silent past its deadline.
public enum SilenceRule: String, Sendable, Codable {
    /// Climb the ladder.
    case escalate
    /// Record the agency as agreeing (and answerable for its remit) at the overdue step.
    case deemedAgree = "deemed_agree"
}

/// The rules a city sets: default periods, office hours, the ladder.
public struct Policy: Sendable, Equatable {
    public var defaultReplyDays: [Urgency: Int]
    /// Minutes after local midnight at which steps fire.
    public var officeOpenMinute: Int
    public var reconcileDays: Int
    public var silence: SilenceRule
    public var orphanDays: Int
    public var ladder: Ladder

    public init(defaultReplyDays: [Urgency: Int] = [.normal: 15, .urgent: 5, .flash: 2], officeOpenMinute: Int = 8 * 60,
                reconcileDays: Int = 5, silence: SilenceRule = .escalate, orphanDays: Int = 7, ladder: Ladder = .standard) {
        self.defaultReplyDays = defaultReplyDays
        self.officeOpenMinute = officeOpenMinute
        self.reconcileDays = reconcileDays
        self.silence = silence
        self.orphanDays = orphanDays
        self.ladder = ladder
    }

    public func replyDays(for urgency: Urgency) -> Int { defaultReplyDays[urgency] ?? 15 }
}

/// An account allowed to submit documents for an agency.
public enum Submitter: Sendable, Hashable {
    case user(String)
    case group(String)
}

/// A participating agency and its contacts.
public struct Agency: Sendable, Equatable {
    public var code: String
    public var name: String
    /// Other names it is known by (an English name, a former name): they name it as `name` does.
    public var aliases: [String]
    public var office: [String]
    public var head: [String]
    public var submitters: [Submitter]

    public init(code: String, name: String, aliases: [String] = [], office: [String] = [], head: [String] = [],
                submitters: [Submitter] = []) {
        self.code = code
        self.name = name
        self.aliases = aliases
        self.office = office
        self.head = head
        self.submitters = submitters
    }
}

/// The language notices are written in.
public enum NoticeLocale: String, Sendable, Codable {
    case vi, en
}

/// Everything the domain needs to know about the city: agencies, leadership, policy, language.
public struct Directory: Sendable, Equatable {
    public var agencies: [String: Agency]
    public var leadership: [String]
    public var policy: Policy
    public var locale: NoticeLocale
    public var phrases: ExtraPhrases

    public init(agencies: [String: Agency], leadership: [String] = [], policy: Policy = Policy(),
                locale: NoticeLocale = .vi, phrases: ExtraPhrases = ExtraPhrases()) {
        self.agencies = agencies
        self.leadership = leadership
        self.policy = policy
        self.locale = locale
        self.phrases = phrases
    }

    /// Contacts for a role, in the context of a consultation's lead and one agency.
    public func contacts(_ recipient: Recipient, lead: String, agency: String) -> [String] {
        switch recipient {
        case .agencyOffice: return agencies[agency]?.office ?? []
        case .agencyHead: return agencies[agency]?.head ?? []
        case .leadOffice: return agencies[lead]?.office ?? []
        case .leadHead: return agencies[lead]?.head ?? []
        case .leadership: return leadership
        }
    }

    public func name(of code: String) -> String { agencies[code]?.name ?? code }
}
