/// A duty one party owes in a consultation.
public struct Duty: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case open, discharged, withdrawn
        /// Silent past the deadline under `silence = "deemed_agree"`: recorded as agreeing.
        case deemed
    }

    public var kind: DutyKind
    /// Who owes it: the consulted agency for a reply, the lead for a reconcile.
    public var party: String
    /// The agency it concerns: the consulted agency (for a reconcile, the dissenting one).
    public var agency: String
    /// The due date and how it was reached.
    public var basis: DeadlineBasis
    public var status: Status
    /// Verdict on the latest reply (reply duties).
    public var assessment: Assessment?
    /// Verdict on the first reply (for the clarity rate).
    public var firstVerdict: Verdict?
    /// `received` of the latest reply taken into account.
    public var latestReplyAt: Instant?
    /// When the duty ended (clear reply, resolution, deemed agreement, withdrawal).
    public var endedAt: Instant?
    /// Working days late of the clear reply that discharged it.
    public var daysLate: Int?
    /// The instant of the next ladder step still to be decided, if any; indexed by the store.
    public var nextStepAt: Instant?

    public init(kind: DutyKind, party: String, agency: String, basis: DeadlineBasis, status: Status = .open,
                assessment: Assessment? = nil, firstVerdict: Verdict? = nil, latestReplyAt: Instant? = nil,
                endedAt: Instant? = nil, daysLate: Int? = nil, nextStepAt: Instant? = nil) {
        self.kind = kind
        self.party = party
        self.agency = agency
        self.basis = basis
        self.status = status
        self.assessment = assessment
        self.firstVerdict = firstVerdict
        self.latestReplyAt = latestReplyAt
        self.endedAt = endedAt
        self.daysLate = daysLate
        self.nextStepAt = nextStepAt
    }

    public var due: LocalDate { basis.deadline }
    public var isOpen: Bool { status == .open }
}

/// One line of a consultation's notice ledger: a notice sent, or a ladder step decided but not
/// sent. A (consultation, agency, step) appears at most once, ever.
public struct LedgerEntry: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case sent
        /// A ladder step passed over: by catch-up, or because it fell before the request was sent.
        case skipped
    }

    public var noticeID: String
    public var agency: String
    public var event: String
    /// The ladder step this entry consumes, if any.
    public var step: String?
    public var status: Status
    /// Why a step was skipped: `catch_up` or `before_sent`.
    public var skipReason: String?
    public var lateDetected: Bool
    /// When the notice was emitted (sent) or when the step was due (skipped).
    public var at: Instant

    public init(noticeID: String, agency: String, event: String, step: String?, status: Status,
                skipReason: String? = nil, lateDetected: Bool = false, at: Instant) {
        self.noticeID = noticeID
        self.agency = agency
        self.event = event
        self.step = step
        self.status = status
        self.skipReason = skipReason
        self.lateDetected = lateDetected
        self.at = at
    }
}
