/// The verdict on a reply.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// Takes a clear position: discharges the reply duty.
    case clear
    /// Generic, hedged, deferring, or without the reasons its position needs.
    case vague
    /// Disclaims competence without naming who is competent.
    case deflection
}

/// What decided one reason: the exact excerpt of the document, as written, that produced it —
/// or none where the reason is an absence (`no_position`, `no_reasons`, `no_comments`).
public struct Evidence: Sendable, Equatable, Codable {
    public var reason: String
    public var quote: String?

    public init(_ reason: String, _ quote: String?) {
        self.reason = reason
        self.quote = quote
    }

    /// The quote on one line, each run of white space a single space: for a notice or a table.
    public var quoteOnOneLine: String? { quote.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") } }
}

/// A verdict with the machine-readable reasons that led to it and the evidence for each.
public struct Assessment: Sendable, Equatable, Codable {
    public var verdict: Verdict
    /// Reason codes (``AssessmentReason``), each once, in the order the evidence gives them.
    public var reasons: [String]
    public var evidence: [Evidence]
    /// The position the reply takes: its `position` field, else the one its text takes; nil when
    /// it takes none.
    public var position: Position?

    public init(_ verdict: Verdict, _ reasons: [String], evidence: [Evidence] = [], position: Position? = nil) {
        self.verdict = verdict
        self.reasons = reasons
        self.evidence = evidence
        self.position = position
    }

    /// An assessment from its evidence: the reasons are the evidence's, each once, in order.
    public init(_ verdict: Verdict, evidence: [Evidence], position: Position?) {
        var reasons: [String] = []
        for e in evidence where !reasons.contains(e.reason) { reasons.append(e.reason) }
        self.init(verdict, reasons, evidence: evidence, position: position)
    }
}

/// Reason codes of assessments. Stable tokens: operators filter on them.
public enum AssessmentReason {
    public static let agree = "agree"
    public static let substantiveComment = "substantive_comment"
    public static let substantiveReason = "substantive_reason"
    public static let competentAgencyNamed = "competent_agency_named"
    public static let noPosition = "no_position"
    public static let hedgedAgreement = "hedged_agreement"
    public static let deferralToLead = "deferral_to_lead"
    public static let boilerplateComments = "boilerplate_comments"
    public static let noComments = "no_comments"
    public static let noReasons = "no_reasons"
    public static let competenceDisclaimed = "competence_disclaimed"
    public static let competentAgencyNotNamed = "competent_agency_not_named"
    public static let competentAgencyInvalid = "competent_agency_invalid"
}

extension Evidence {
    /// `[{"reason": CODE, "quote": TEXT|null}, …]`, as the store keeps it and `show` prints it.
    public static func json(_ evidence: [Evidence]) -> JSONValue {
        .array(evidence.map { .object([("reason", .string($0.reason)), ("quote", .optional($0.quote))]) })
    }

    /// Reads back what ``json(_:)`` wrote; nil when it is not of that shape.
    public static func list(_ json: JSONValue) -> [Evidence]? {
        guard case let .array(items) = json else { return nil }
        var result: [Evidence] = []
        for item in items {
            guard case let .string(reason) = item["reason"] else { return nil }
            switch item["quote"] {
            case let .string(quote): result.append(Evidence(reason, quote))
            case .null, nil: result.append(Evidence(reason, nil))
            default: return nil
            }
        }
        return result
    }
}
