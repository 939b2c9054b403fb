/// What the scorecard needs to know about one reply duty.
public struct ReplyDutyFacts: Sendable, Equatable {
    public var consultation: String
    public var agency: String
    public var due: LocalDate
    public var status: Duty.Status
    /// Working days late of the clear reply that discharged it; nil when none did.
    public var clearReplyDaysLate: Int?
    /// Verdict on the agency's first reply, if it replied.
    public var firstVerdict: Verdict?
    /// Every verdict its replies received.
    public var verdicts: Set<Verdict>

    public init(consultation: String, agency: String, due: LocalDate, status: Duty.Status, clearReplyDaysLate: Int?,
                firstVerdict: Verdict?, verdicts: Set<Verdict>) {
        self.consultation = consultation
        self.agency = agency
        self.due = due
        self.status = status
        self.clearReplyDaysLate = clearReplyDaysLate
        self.firstVerdict = firstVerdict
        self.verdicts = verdicts
    }
}

/// One agency's line of the scorecard (contract §10, `report`).
public struct AgencyScore: Sendable, Equatable {
    public var agency: String
    /// Reply duties (not withdrawn) due in the period.
    public var consulted = 0
    /// Clear replies on or before the deadline.
    public var onTime = 0
    /// Clear replies after the deadline.
    public var late = 0
    /// Duties with no clear reply yet (deemed agreements included).
    public var unanswered = 0
    /// Duties that received at least one vague reply.
    public var vague = 0
    /// Duties that received at least one deflection.
    public var deflection = 0
    /// Duties with any reply, and those whose first reply was clear.
    public var replied = 0
    public var firstClear = 0
    public var totalDaysLate = 0

    public init(agency: String) { self.agency = agency }

    // A rate with nothing to divide is undefined, not 0: an agency that never replied has no
    // clarity rate, and must not look like one whose every reply was vague (contract §10).

    /// on_time / consulted; nil when nothing was consulted.
    public var onTimeRate: Double? { consulted == 0 ? nil : Double(onTime) / Double(consulted) }
    /// Duties whose first reply was clear / duties with any reply; nil when there was no reply.
    public var clarityRate: Double? { replied == 0 ? nil : Double(firstClear) / Double(replied) }
    /// Mean working days late over the late replies; nil when none was late.
    public var meanDaysLate: Double? { late == 0 ? nil : Double(totalDaysLate) / Double(late) }
}

public enum Scorecard {
    /// Every agency's line added up, under `agency`: counts summed, rates and the mean taken over
    /// the sums (a rate of the whole, not a mean of the agencies' rates).
    public static func total(_ scores: [AgencyScore], agency: String = "") -> AgencyScore {
        var t = AgencyScore(agency: agency)
        for s in scores {
            t.consulted += s.consulted
            t.onTime += s.onTime
            t.late += s.late
            t.unanswered += s.unanswered
            t.vague += s.vague
            t.deflection += s.deflection
            t.replied += s.replied
            t.firstClear += s.firstClear
            t.totalDaysLate += s.totalDaysLate
        }
        return t
    }

    /// Scores per agency, in agency-code order, over the reply duties given (withdrawn ones are
    /// left out, as the contract says).
    public static func score(_ duties: [ReplyDutyFacts]) -> [AgencyScore] {
        var scores: [String: AgencyScore] = [:]
        for d in duties where d.status != .withdrawn {
            var s = scores[d.agency] ?? AgencyScore(agency: d.agency)
            s.consulted += 1
            if let late = d.clearReplyDaysLate {
                if late > 0 {
                    s.late += 1
                    s.totalDaysLate += late
                } else {
                    s.onTime += 1
                }
            } else {
                s.unanswered += 1
            }
            if d.verdicts.contains(.vague) { s.vague += 1 }
            if d.verdicts.contains(.deflection) { s.deflection += 1 }
            if let first = d.firstVerdict {
                s.replied += 1
                if first == .clear { s.firstClear += 1 }
            }
            scores[d.agency] = s
        }
        return scores.values.sorted { $0.agency < $1.agency }
    }
}
