/// A day off (a weekday on which the civil service does not work), with its name.
public struct DayOff: Hashable, Sendable {
    public let date: LocalDate
    public let name: String

    public init(date: LocalDate, name: String) {
        self.date = date
        self.name = name
    }
}

/// The facts a calendar file holds for one jurisdiction: the years it covers, its days off and
/// its make-up working days (weekend days worked in exchange for a bridge day).
public struct CalendarFacts: Sendable, Equatable {
    public var name: String
    public var coveredYears: Set<Int>
    public var daysOff: [LocalDate: String]
    public var makeUpDays: [LocalDate: String]

    public init(name: String, coveredYears: Set<Int>, daysOff: [LocalDate: String], makeUpDays: [LocalDate: String]) {
        self.name = name
        self.coveredYears = coveredYears
        self.daysOff = daysOff
        self.makeUpDays = makeUpDays
    }
}

/// Working days of the civil service: Monday–Friday, minus the days off, plus make-up days.
///
/// For years the facts do not cover, the statutory holidays of the Labour Code are applied and
/// every answer that touches such a year is marked provisional.
public struct WorkingCalendar: Sendable {
    public let facts: CalendarFacts
    private let statutory: [LocalDate: String]
    /// Whether each day of `statutoryYears` is a working day, by day number from `firstDay`:
    /// deadlines and ladder steps count days one by one, and every request asks for dozens.
    private let workingDayTable: [Bool]
    private let firstDay: Int

    /// Years for which statutory holidays are precomputed; beyond them only weekends count.
    public static let statutoryYears = 1990...2200

    public init(facts: CalendarFacts) {
        self.facts = facts
        var statutory: [LocalDate: String] = [:]
        for year in Self.statutoryYears where !facts.coveredYears.contains(year) {
            for day in StatutoryHolidays.daysOff(year: year) { statutory[day.date] = day.name }
        }
        self.statutory = statutory
        let first = LocalDate(year: Self.statutoryYears.lowerBound, month: 1, day: 1)!.dayNumber
        let last = LocalDate(year: Self.statutoryYears.upperBound, month: 12, day: 31)!.dayNumber
        firstDay = first
        // Weekdays work; then the days off and make-up days of the lists that apply to each
        // year (the file's for covered years, the statutory ones for the others) are marked.
        var table = (first...last).map { !LocalDate(dayNumber: $0).isWeekend }
        func mark(_ date: LocalDate, working: Bool) {
            let index = date.dayNumber - first
            if table.indices.contains(index) { table[index] = working }
        }
        for date in statutory.keys { mark(date, working: false) }
        for date in facts.daysOff.keys where facts.coveredYears.contains(date.year) { mark(date, working: false) }
        for date in facts.makeUpDays.keys where facts.coveredYears.contains(date.year) { mark(date, working: true) }
        workingDayTable = table
    }

    private static func isWorkingDay(_ date: LocalDate, facts: CalendarFacts, statutory: [LocalDate: String]) -> Bool {
        if facts.coveredYears.contains(date.year) {
            if facts.makeUpDays[date] != nil { return true }
            return !date.isWeekend && facts.daysOff[date] == nil
        }
        return !date.isWeekend && statutory[date] == nil
    }

    public func covers(year: Int) -> Bool { facts.coveredYears.contains(year) }

    /// The name of the day off on `date`, if it is a weekday off.
    public func dayOffName(_ date: LocalDate) -> String? {
        if covers(year: date.year) { return facts.daysOff[date] }
        return statutory[date]
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        let index = date.dayNumber - firstDay
        if index >= 0, index < workingDayTable.count { return workingDayTable[index] }
        return Self.isWorkingDay(date, facts: facts, statutory: statutory)
    }

    /// The working day `offset` working days from `date`: for a positive offset the offset-th
    /// working day after it, for a negative one the |offset|-th working day before it, and for
    /// zero the date itself when it is a working day, else the next working day.
    public func shift(_ date: LocalDate, byWorkingDays offset: Int) -> LocalDate {
        if offset == 0 {
            var d = date
            while !isWorkingDay(d) { d = d.adding(days: 1) }
            return d
        }
        let step = offset > 0 ? 1 : -1
        var remaining = abs(offset)
        var d = date
        while remaining > 0 {
            d = d.adding(days: step)
            if isWorkingDay(d) { remaining -= 1 }
        }
        return d
    }

    /// Working days after `start` up to and including `end` (0 when `end` ≤ `start`).
    public func workingDays(after start: LocalDate, through end: LocalDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var d = start.adding(days: 1)
        while d <= end {
            if isWorkingDay(d) { count += 1 }
            d = d.adding(days: 1)
        }
        return count
    }

    /// The weekdays off strictly between `start` and `end` (inclusive of `end`).
    public func daysOff(after start: LocalDate, through end: LocalDate) -> [DayOff] {
        guard end > start else { return [] }
        var result: [DayOff] = []
        var d = start.adding(days: 1)
        while d <= end {
            if !d.isWeekend, !isWorkingDay(d) {
                result.append(DayOff(date: d, name: dayOffName(d) ?? ""))
            }
            d = d.adding(days: 1)
        }
        return result
    }

    /// Whether any date in the closed range falls in a year the calendar does not cover.
    public func isProvisional(from start: LocalDate, through end: LocalDate) -> Bool {
        let (a, b) = start <= end ? (start, end) : (end, start)
        return (a.year...b.year).contains { !covers(year: $0) }
    }

    /// Years in the closed range the calendar does not cover.
    public func uncoveredYears(from start: LocalDate, through end: LocalDate) -> [Int] {
        let (a, b) = start <= end ? (start, end) : (end, start)
        return (a.year...b.year).filter { !covers(year: $0) }
    }
}
