@testable import ConsultCore
import Foundation
import Testing

@Suite("Working days and deadlines")
struct CalendarTests {
    let calendar = Fixtures.calendar
    func d(_ s: String) -> LocalDate { Fixtures.date(s) }

    @Test func tenWorkingDaysSkipTet() {
        let basis = calendar.deadline(from: d("2025-01-20"), workingDays: 10)
        #expect(basis.deadline == d("2025-02-10"))
        #expect(!basis.provisional)
        #expect(basis.skipped.map(\.date) == ["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31"].map(d))
        #expect(basis.skipped.allSatisfy { $0.name == "Tết Nguyên Đán" })
    }

    @Test func makeUpSaturdayCountsAsWorkingDay() {
        #expect(calendar.isWorkingDay(d("2025-04-26")))
        #expect(!calendar.isWorkingDay(d("2025-04-19")))
        // Fri 25/4 + 1 working day is Saturday 26/4, the make-up day.
        #expect(calendar.deadline(from: d("2025-04-25"), workingDays: 1).deadline == d("2025-04-26"))
        // Across 30/4, 1/5, 2/5: Mon 28, Tue 29, then Mon 5/5.
        #expect(calendar.deadline(from: d("2025-04-26"), workingDays: 3).deadline == d("2025-05-05"))
    }

    @Test func dayZeroIsTheSentDateEvenOnAHoliday() {
        #expect(calendar.deadline(from: d("2025-01-29"), workingDays: 1).deadline == d("2025-02-03"))
        #expect(calendar.deadline(from: d("2025-03-08"), workingDays: 1).deadline == d("2025-03-10"))
    }

    @Test(arguments: [
        ("2024-02-07", 1, "2024-02-15"), ("2024-04-26", 2, "2024-05-03"), ("2024-08-30", 1, "2024-09-04"),
        ("2026-01-09", 1, "2026-01-10"), ("2025-12-31", 1, "2026-01-05"), ("2026-02-13", 1, "2026-02-23"),
        ("2026-04-24", 1, "2026-04-28"), ("2026-08-21", 1, "2026-08-22"), ("2026-08-28", 1, "2026-09-03"),
        ("2024-05-03", 1, "2024-05-04"),
    ])
    func contractCalendar(from: String, days: Int, expected: String) {
        #expect(calendar.deadline(from: d(from), workingDays: days).deadline == d(expected))
    }

    @Test func workingDaysLate() {
        #expect(calendar.workingDays(after: d("2025-01-24"), through: d("2025-02-03")) == 1)
        #expect(calendar.workingDays(after: d("2025-03-10"), through: d("2025-03-10")) == 0)
        #expect(calendar.workingDays(after: d("2025-03-10"), through: d("2025-03-17")) == 5)
    }

    @Test func uncoveredYearIsProvisionalAndUsesStatutoryHolidays() {
        #expect(!calendar.covers(year: 2027))
        let basis = calendar.deadline(from: d("2026-12-28"), workingDays: 5)
        #expect(basis.provisional)
        // 1/1/2027 (Friday) is a statutory day off.
        #expect(basis.deadline == d("2027-01-05"))
        #expect(basis.skipped.map(\.name) == ["Tết Dương lịch"])
        #expect(!calendar.deadline(from: d("2026-12-01"), workingDays: 5).provisional)
    }

    @Test func statutoryTet2027WithCompensation() {
        // Tết 2027 (mùng 1) is Saturday 6/2: days off Fri 5, Mon 8, Tue 9, plus Wed 10, Thu 11 for the weekend days.
        let tet = StatutoryHolidays.daysOff(year: 2027).filter { $0.name.contains("Tết Nguyên Đán") }.map(\.date)
        #expect(tet == ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"].map(d))
        let all = StatutoryHolidays.daysOff(year: 2027)
        #expect(all.allSatisfy { !$0.date.isWeekend })
        #expect(all.contains { $0.date == d("2027-04-16") && $0.name == "Giỗ Tổ Hùng Vương" })
    }

    @Test(arguments: [
        (2024, "2024-02-10"), (2025, "2025-01-29"), (2026, "2026-02-17"), (2027, "2027-02-06"),
        (2028, "2028-01-26"),
        // Years where Vietnam (UTC+7) and China (UTC+8) differ.
        (1985, "1985-01-21"), (2007, "2007-02-17"), (2030, "2030-02-02"),
    ])
    func lunarNewYear(year: Int, expected: String) {
        #expect(LunarCalendar().newYear(year) == d(expected))
    }

    @Test func hungKingsDay() {
        let lunar = LunarCalendar()
        #expect(lunar.solarDate(lunarDay: 10, lunarMonth: 3, lunarYear: 2024) == d("2024-04-18"))
        #expect(lunar.solarDate(lunarDay: 10, lunarMonth: 3, lunarYear: 2025) == d("2025-04-07"))
        #expect(lunar.solarDate(lunarDay: 10, lunarMonth: 3, lunarYear: 2026) == d("2026-04-26"))
        // 2025 has a leap 6th month; a leap 3rd month does not exist.
        #expect(lunar.solarDate(lunarDay: 1, lunarMonth: 6, lunarYear: 2025, leap: true) == d("2025-07-25"))
        #expect(lunar.solarDate(lunarDay: 1, lunarMonth: 3, lunarYear: 2025, leap: true) == nil)
    }

    @Test func shiftByWorkingDays() {
        let due = d("2025-03-10")
        #expect(calendar.shift(due, byWorkingDays: -2) == d("2025-03-06"))
        #expect(calendar.shift(due, byWorkingDays: 1) == d("2025-03-11"))
        #expect(calendar.shift(due, byWorkingDays: 3) == d("2025-03-13"))
        #expect(calendar.shift(due, byWorkingDays: 5) == d("2025-03-17"))
        #expect(calendar.shift(d("2025-03-08"), byWorkingDays: 0) == d("2025-03-10"))
        #expect(calendar.shift(d("2025-01-24"), byWorkingDays: 1) == d("2025-02-03"))
    }

    @Test func explicitDeadlineIsExplained() {
        let basis = calendar.fixedDeadline(from: d("2025-01-20"), to: d("2025-02-07"), method: .explicit)
        #expect(basis.days == 9)
        #expect(basis.skipped.count == 5)
    }
}

@Suite("Dates and instants")
struct TimeTests {
    /// The settled offset of a zone without transitions any more gives the zone database's
    /// answers, before and after its last transition; zones with daylight saving time have none.
    @Test func offsetsAgreeWithTheZoneDatabase() throws {
        for id in ["Asia/Ho_Chi_Minh", "Asia/Kolkata", "UTC", "Europe/Paris", "America/New_York"] {
            let zone = try #require(TimeZone(identifier: id))
            let clock = LocalClock(timeZone: zone)
            for seconds in stride(from: Int64(-2_000_000_000), through: 4_000_000_000, by: 86_399 * 7 + 3_601) {
                let expected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
                #expect(clock.offset(at: Instant(seconds: seconds)) == expected, "\(id) at \(seconds)")
            }
        }
        let saigon = LocalClock.settledOffset(of: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
        #expect(saigon?.offset == 25_200)
        #expect(saigon?.since == Instant(rfc3339: "1975-06-13T00:00:00+08:00")!.seconds)
        #expect(LocalClock.settledOffset(of: TimeZone(identifier: "Europe/Paris")!) == nil)
    }

    @Test func localDateRoundTrip() {
        for n in stride(from: -800_000, through: 2_900_000, by: 997) {
            let date = LocalDate(dayNumber: n)
            guard date.year >= 1, date.year <= 9999 else { continue }
            #expect(LocalDate(iso: date.description) == date)
        }
        #expect(LocalDate(iso: "2025-02-29") == nil)
        #expect(LocalDate(iso: "2024-02-29") != nil)
        #expect(LocalDate(iso: "2025-1-01") == nil)
        #expect(LocalDate(iso: "2025-03-10")!.weekday == 1)
    }

    @Test func rfc3339() {
        let i = Instant(rfc3339: "2025-01-20T09:15:00+07:00")!
        #expect(i == Instant(rfc3339: "2025-01-20T02:15:00Z"))
        #expect(i.description == "2025-01-20T02:15:00Z")
        #expect(i.format(offsetSeconds: 7 * 3600) == "2025-01-20T09:15:00+07:00")
        #expect(Instant(rfc3339: "2025-01-20T09:15:00.123-05:30") != nil)
        #expect(Instant(rfc3339: "2025-01-20T09:15:00") == nil)
        #expect(Instant(rfc3339: "2025-01-20") == nil)
        #expect(Instant(rfc3339: "2025-01-20T25:00:00Z") == nil)
    }

    @Test func localDateOfAnInstantUsesTheConfiguredZone() {
        let clock = Fixtures.clock
        #expect(clock.date(of: Instant(rfc3339: "2025-02-06T23:30:00Z")!) == LocalDate(iso: "2025-02-07"))
        #expect(clock.instant(on: LocalDate(iso: "2025-03-06")!, minuteOfDay: 480) == Instant(rfc3339: "2025-03-06T08:00:00+07:00"))
    }
}

@Suite("Scorecard and calendar preview")
struct ReportingTests {
    func d(_ s: String) -> LocalDate { Fixtures.date(s) }

    @Test func scorecardCountsPerTheContract() {
        let facts = [
            ReplyDutyFacts(consultation: "A", agency: "STC", due: d("2025-03-10"), status: .discharged, clearReplyDaysLate: 0,
                           firstVerdict: .clear, verdicts: [.clear]),
            ReplyDutyFacts(consultation: "B", agency: "STC", due: d("2025-03-14"), status: .open, clearReplyDaysLate: nil,
                           firstVerdict: .deflection, verdicts: [.deflection]),
            ReplyDutyFacts(consultation: "C", agency: "STC", due: d("2025-03-14"), status: .discharged, clearReplyDaysLate: 3,
                           firstVerdict: .vague, verdicts: [.vague, .clear]),
            ReplyDutyFacts(consultation: "D", agency: "STC", due: d("2025-03-14"), status: .withdrawn, clearReplyDaysLate: nil,
                           firstVerdict: nil, verdicts: []),
            ReplyDutyFacts(consultation: "E", agency: "STC", due: d("2025-03-14"), status: .deemed, clearReplyDaysLate: nil,
                           firstVerdict: nil, verdicts: []),
        ]
        let s = Scorecard.score(facts)[0]
        #expect((s.consulted, s.onTime, s.late, s.unanswered, s.vague, s.deflection) == (4, 1, 1, 2, 1, 1))
        #expect(s.onTimeRate == 0.25)
        #expect(s.clarityRate == 1.0 / 3.0)
        #expect(s.meanDaysLate == 3)
    }

    @Test func calendarPreviewFindsMovedDeadlines() {
        let rules = Fixtures.rules()
        let c = Consultation.open(Fixtures.request(sent: "2025-03-03T09:00:00+07:00", deadline: nil, replyDays: 5), rules: rules)
        #expect(c.deadlineChanges(under: Fixtures.calendar).isEmpty)
        var facts = Fixtures.facts
        facts.daysOff[d("2025-03-07")] = "Nghỉ đột xuất"
        let changes = c.deadlineChanges(under: WorkingCalendar(facts: facts))
        #expect(changes.map { "\($0.agency) \($0.due) → \($0.newDue)" } == ["STC 2025-03-10 → 2025-03-11", "SNNMT 2025-03-10 → 2025-03-11"])
        let fixed = Consultation.open(Fixtures.request(), rules: rules)
        #expect(fixed.deadlineChanges(under: WorkingCalendar(facts: facts)).isEmpty)
    }
}
