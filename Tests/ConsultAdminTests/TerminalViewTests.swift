import ConsultCore
import Foundation
import Testing
@testable import ConsultAdmin

@Suite("What list and show colour: escalated, overdue, unclear")
struct StandingTests {
    static let clock = LocalClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
    // March 2025 has no day off: working days are the weekdays.
    static let calendar = WorkingCalendar(facts: CalendarFacts(name: "t", coveredYears: [2025], daysOff: [:], makeUpDays: [:]))

    func standing(_ now: String) -> Standing {
        Standing(calendar: Self.calendar, clock: Self.clock, policy: Policy(), now: Instant(rfc3339: now)!)
    }

    func highlight(_ now: String, due: String = "2025-03-10", status: Duty.Status = .open, verdict: Verdict? = nil,
                   kind: DutyKind = .reply) -> TextTable.Highlight? {
        standing(now).highlight(kind: kind, due: LocalDate(iso: due)!, status: status, verdict: verdict)
    }

    /// Due Monday 10 March: overdue from Tuesday; escalation-1 (+3 working days) fires Thursday
    /// 13 March at 08:00, the first step of priority err.
    @Test func theLadderDecidesWhenADutyIsEscalated() {
        #expect(highlight("2025-03-10T17:00:00+07:00") == nil)
        #expect(highlight("2025-03-11T09:00:00+07:00") == .overdue)
        #expect(highlight("2025-03-13T07:59:00+07:00") == .overdue)
        #expect(highlight("2025-03-13T08:00:00+07:00") == .escalated)
        // Reconcile duties escalate at their own step (reconcile-escalation, +3).
        #expect(highlight("2025-03-13T08:00:00+07:00", kind: .reconcile) == .escalated)
        // Only open duties stand out.
        for status in [Duty.Status.discharged, .withdrawn, .deemed] {
            #expect(highlight("2025-03-20T09:00:00+07:00", status: status) == nil)
        }
    }

    @Test func anUnclearReplyStandsOutUntilItsDutyIsOverdue() {
        #expect(highlight("2025-03-05T09:00:00+07:00", verdict: .vague) == .unclear)
        #expect(highlight("2025-03-05T09:00:00+07:00", verdict: .deflection) == .unclear)
        #expect(highlight("2025-03-05T09:00:00+07:00", verdict: .clear) == nil)
        #expect(highlight("2025-03-11T09:00:00+07:00", verdict: .vague) == .overdue)
    }

    @Test func aConsultationTakesItsStrongestDuty() {
        func line(_ due: String, _ status: Duty.Status, _ verdict: Verdict? = nil) -> ConsultationSummary.DutyLine {
            ConsultationSummary.DutyLine(party: "STC", agency: "STC", kind: .reply, due: LocalDate(iso: due)!, status: status, verdict: verdict)
        }
        let summaries = [
            ConsultationSummary(id: "A", title: "", lead: "SXD", state: .open, duties: [line("2025-03-20", .open, .vague), line("2025-03-03", .open)]),
            ConsultationSummary(id: "B", title: "", lead: "SXD", state: .open, duties: [line("2025-03-20", .open, .vague)]),
            ConsultationSummary(id: "C", title: "", lead: "SXD", state: .open, duties: [line("2025-03-03", .discharged)]),
        ]
        #expect(standing("2025-03-11T09:00:00+07:00").highlights(summaries) == [.escalated, .unclear, nil])
    }
}

@Suite("Agency codes given on the command line")
struct AgencyCodeTests {
    let known = ["SXD", "STC", "SNNMT"]

    @Test func exactOrOneMatchIgnoringCase() {
        #expect(AgencyCodes.resolve("STC", known: known) == .success("STC"))
        #expect(AgencyCodes.resolve("stc", known: known) == .success("STC"))
        #expect(AgencyCodes.resolve("SnNmT", known: known) == .success("SNNMT"))
    }

    @Test func anUnknownCodeListsTheKnownOnes() {
        guard case let .failure(m) = AgencyCodes.resolve("NOPE", known: known) else { Issue.record("resolved"); return }
        #expect(m.description == "'NOPE' is not an agency; known: SNNMT, STC, SXD")
    }

    @Test func twoMatchesAreAmbiguous() {
        guard case let .failure(m) = AgencyCodes.resolve("abc", known: ["ABC", "Abc", "X"]) else { Issue.record("resolved"); return }
        #expect(m.ambiguous)
        #expect(m.description == "'abc' could be any of ABC, Abc; give the code exactly")
        #expect(AgencyCodes.resolve("Abc", known: ["ABC", "Abc"]) == .success("Abc"))
    }
}
