import ConsultCore
import Testing

@Suite("Scorecard rates with nothing to divide")
struct ScorecardRateTests {
    func d(_ s: String) -> LocalDate { Fixtures.date(s) }

    /// An agency that never replied has no clarity rate and no mean lateness: undefined, not 0.
    @Test func anAgencyThatNeverRepliedHasNoClarityRate() {
        let silent = Scorecard.score([
            ReplyDutyFacts(consultation: "A", agency: "STC", due: d("2025-03-10"), status: .open, clearReplyDaysLate: nil,
                           firstVerdict: nil, verdicts: []),
        ])[0]
        #expect(silent.onTimeRate == 0)
        #expect(silent.clarityRate == nil)
        #expect(silent.meanDaysLate == nil)

        let vague = Scorecard.score([
            ReplyDutyFacts(consultation: "A", agency: "STP", due: d("2025-03-10"), status: .open, clearReplyDaysLate: nil,
                           firstVerdict: .vague, verdicts: [.vague]),
        ])[0]
        #expect(vague.clarityRate == 0)
        #expect(vague.meanDaysLate == nil)
    }

    @Test func nothingConsultedHasNoOnTimeRate() {
        let none = AgencyScore(agency: "SYT")
        #expect(none.onTimeRate == nil)
        #expect(none.clarityRate == nil)
        #expect(none.meanDaysLate == nil)
    }
}
