/// How quickly the lead needs an answer; chooses the default reply period.
public enum Urgency: String, Sendable, CaseIterable, Codable {
    case normal, urgent, flash
}

/// The position a consulted agency takes in its reply.
public enum Position: String, Sendable, CaseIterable, Codable {
    case agree
    case agreeWithComments = "agree_with_comments"
    case disagree
    case outsideCompetence = "outside_competence"
}

/// Opens a consultation: the lead asks the consulted agencies for their opinion.
public struct Request: Sendable, Equatable {
    public var id: String
    public var title: String
    public var lead: String
    public var consulted: [String]
    public var sent: Instant
    public var urgency: Urgency
    public var replyDays: Int?
    public var deadline: LocalDate?
    public var reference: String?

    public init(id: String, title: String, lead: String, consulted: [String], sent: Instant, urgency: Urgency = .normal,
                replyDays: Int? = nil, deadline: LocalDate? = nil, reference: String? = nil) {
        self.id = id
        self.title = title
        self.lead = lead
        self.consulted = consulted
        self.sent = sent
        self.urgency = urgency
        self.replyDays = replyDays
        self.deadline = deadline
        self.reference = reference
    }
}

/// A consulted agency's answer.
public struct Reply: Sendable, Equatable {
    public var request: String
    public var agency: String
    public var received: Instant
    public var position: Position?
    public var comments: [String]
    public var text: String?
    public var referTo: String?
    public var reference: String?

    public init(request: String, agency: String, received: Instant, position: Position?, comments: [String] = [],
                text: String? = nil, referTo: String? = nil, reference: String? = nil) {
        self.request = request
        self.agency = agency
        self.received = received
        self.position = position
        self.comments = comments
        self.text = text
        self.referTo = referTo
        self.reference = reference
    }
}

/// The lead moves the deadline, for all agencies or some.
public struct Extension: Sendable, Equatable {
    public var request: String
    public var deadline: LocalDate
    public var agencies: [String]?
    public var reason: String

    public init(request: String, deadline: LocalDate, agencies: [String]? = nil, reason: String) {
        self.request = request
        self.deadline = deadline
        self.agencies = agencies
        self.reason = reason
    }
}

/// The lead withdraws the consultation, or some agencies from it.
public struct Withdrawal: Sendable, Equatable {
    public var request: String
    public var agencies: [String]?
    public var reason: String

    public init(request: String, agencies: [String]? = nil, reason: String) {
        self.request = request
        self.agencies = agencies
        self.reason = reason
    }
}

/// The lead records that a disagreement with one agency was reconciled.
public struct Resolution: Sendable, Equatable {
    public var request: String
    public var agency: String
    public var outcome: String
    public var received: Instant

    public init(request: String, agency: String, outcome: String, received: Instant) {
        self.request = request
        self.agency = agency
        self.outcome = outcome
        self.received = received
    }
}

/// One document from the spool.
public enum Document: Sendable, Equatable {
    case request(Request)
    case reply(Reply)
    case `extension`(Extension)
    case withdrawal(Withdrawal)
    case resolution(Resolution)

    public enum Kind: String, Sendable, CaseIterable {
        case request, reply, `extension`, withdrawal, resolution
    }

    public var kind: Kind {
        switch self {
        case .request: return .request
        case .reply: return .reply
        case .extension: return .extension
        case .withdrawal: return .withdrawal
        case .resolution: return .resolution
        }
    }

    /// The consultation the document belongs to.
    public var consultationID: String {
        switch self {
        case let .request(r): return r.id
        case let .reply(r): return r.request
        case let .extension(e): return e.request
        case let .withdrawal(w): return w.request
        case let .resolution(r): return r.request
        }
    }
}

/// Identifier syntax shared by consultation ids and agency codes.
public enum Identifier {
    /// `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`
    public static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard (1...64).contains(u.count), isAlnum(u[0]) else { return false }
        return u.dropFirst().allSatisfy { isAlnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b)
    }
}
