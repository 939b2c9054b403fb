/// Every kind of entry consultd and consultd-mail write to the journal. The raw value is the stable token of
/// `CONSULT_EVENT`, of an outbox notice's `event` and of notice ids. A city's own ladder steps
/// are no case: their notices carry the step's name as their event.
public enum Event: String, CaseIterable, Sendable {
    // The default ladder's steps (contract §6).
    case reminder
    case overdue
    case escalation1 = "escalation-1"
    case escalation2 = "escalation-2"
    case reconcileOverdue = "reconcile-overdue"
    case reconcileEscalation = "reconcile-escalation"

    // Immediate events about a reply or a consultation (contract §6).
    case vague
    case deflection
    case disagreement
    case lateReply = "late-reply"
    case completed
    case deemedAgreement = "deemed-agreement"
    /// A reply received before a ladder notice that said there was no clear reply (contract §3).
    case backdatedReply = "backdated-reply"

    // What intake did with a document.
    case accepted
    case duplicate
    case held
    case rejected
    case unauthorized
    case calendarProvisional = "calendar-provisional"
    case staleHandoff = "stale-handoff"

    // Delivery and the daemon itself.
    case outboxFailed = "outbox-failed"
    case outboxRecovered = "outbox-recovered"
    case daemon
    case configInvalid = "config-invalid"

    // The spool's upkeep and its restoration.
    /// What a retention sweep removed (contract §2, `[retention]`).
    case retention
    /// `consultctl restore` put a backup in place and replayed what `done/` archived since.
    case restored
    /// A document of `done/` applied again by `consultctl restore`.
    case replayed
    // consultd-mail: notices handed to the mail system.
    /// A notice handed to sendmail (one entry per delivery, with its recipients).
    case mailSent = "mail-sent"
    /// sendmail cannot take notices for now: they stay in the outbox (once per episode).
    case mailFailed = "mail-failed"
    /// sendmail takes notices again after a `mail-failed` episode.
    case mailRecovered = "mail-recovered"
    /// A notice that can never go (a bad file or address, a permanent sendmail refusal) moved to
    /// `outbox/failed/`.
    case mailRefused = "mail-refused"

    /// The priority the contract gives the event (a ladder step's comes from the policy).
    public var defaultPriority: Priority {
        switch self {
        case .reminder, .disagreement, .deemedAgreement, .staleHandoff, .outboxRecovered, .restored, .mailRecovered: .notice
        case .overdue, .reconcileOverdue, .vague, .deflection, .backdatedReply, .calendarProvisional: .warning
        case .escalation1, .reconcileEscalation, .rejected, .outboxFailed, .configInvalid, .mailFailed, .mailRefused: .err
        case .escalation2: .crit
        case .unauthorized: .alert
        case .lateReply, .completed, .accepted, .duplicate, .held, .daemon, .retention, .replayed, .mailSent: .info
        }
    }
}
