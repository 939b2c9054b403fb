/// The public holidays of Vietnam's Labour Code (2019, art. 112) for a year no calendar file
/// covers: the best answer until the government publishes that year's schedule.
///
/// New Year (1/1); Tết: the last day of the lunar year and the first four of the new one; the
/// Hùng Kings' commemoration (10/3 lunar); Reunification Day (30/4); Labour Day (1/5); National
/// Day (2/9) with an adjacent day (the day before, or the day after when 2/9 is a Monday). A
/// holiday that falls on a weekend gives a compensatory day off on the next working day.
public enum StatutoryHolidays {
    public static func daysOff(year: Int, lunar: LunarCalendar = LunarCalendar()) -> [DayOff] {
        var holidays: [DayOff] = []
        func add(_ date: LocalDate?, _ name: String) {
            if let date { holidays.append(DayOff(date: date, name: name)) }
        }
        add(LocalDate(year: year, month: 1, day: 1), "Tết Dương lịch")
        let tet = lunar.newYear(year)
        for offset in -1...3 { add(tet.adding(days: offset), "Tết Nguyên Đán") }
        add(lunar.solarDate(lunarDay: 10, lunarMonth: 3, lunarYear: year), "Giỗ Tổ Hùng Vương")
        add(LocalDate(year: year, month: 4, day: 30), "Ngày Chiến thắng")
        add(LocalDate(year: year, month: 5, day: 1), "Ngày Quốc tế Lao động")
        let national = LocalDate(year: year, month: 9, day: 2)!
        add(national, "Quốc khánh")
        add(national.adding(days: national.weekday == 1 ? 1 : -1), "Quốc khánh")

        let taken = Set(holidays.map(\.date))
        var result = holidays.filter { !$0.date.isWeekend }
        var occupied = taken
        for holiday in holidays.sorted(by: { $0.date < $1.date }) where holiday.date.isWeekend {
            var d = holiday.date.adding(days: 1)
            while d.isWeekend || occupied.contains(d) { d = d.adding(days: 1) }
            occupied.insert(d)
            result.append(DayOff(date: d, name: "Nghỉ bù \(holiday.name)"))
        }
        return result.sorted { $0.date < $1.date }
    }
}
