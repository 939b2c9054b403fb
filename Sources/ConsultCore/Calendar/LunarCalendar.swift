import Foundation

/// The Vietnamese lunisolar calendar (Hồ Ngọc Đức's astronomical algorithm), evaluated for a
/// time zone. Vietnam uses UTC+7, which is why some years' new year differs from China's (UTC+8).
public struct LunarCalendar: Sendable {
    /// Hours east of UTC at which new moons and solar terms are dated.
    public let timeZoneHours: Double

    public init(timeZoneHours: Double = 7) { self.timeZoneHours = timeZoneHours }

    /// The solar date of a lunar date (`leap` for a date in the leap month), or `nil` when that
    /// leap month does not exist in the year.
    public func solarDate(lunarDay: Int, lunarMonth: Int, lunarYear: Int, leap: Bool = false) -> LocalDate? {
        let a11: Int
        let b11: Int
        if lunarMonth < 11 {
            a11 = lunarMonth11(year: lunarYear - 1)
            b11 = lunarMonth11(year: lunarYear)
        } else {
            a11 = lunarMonth11(year: lunarYear)
            b11 = lunarMonth11(year: lunarYear + 1)
        }
        let k = Int(floor(0.5 + (Double(a11) - 2415021.076998695) / 29.530588853))
        var off = lunarMonth - 11
        if off < 0 { off += 12 }
        if b11 - a11 > 365 {
            let leapOff = leapMonthOffset(a11: a11)
            var leapMonth = leapOff - 2
            if leapMonth < 0 { leapMonth += 12 }
            if leap && lunarMonth != leapMonth { return nil }
            if leap || off >= leapOff { off += 1 }
        } else if leap {
            return nil
        }
        let monthStart = newMoonDay(k + off)
        return Self.date(julianDay: monthStart + lunarDay - 1)
    }

    /// The solar date of the lunar new year (mùng 1 Tết) that falls in a Gregorian year.
    public func newYear(_ year: Int) -> LocalDate {
        // Lunar year Y starts in January or February of Gregorian year Y.
        solarDate(lunarDay: 1, lunarMonth: 1, lunarYear: year)!
    }

    // MARK: - Astronomy

    private func newMoonDay(_ k: Int) -> Int {
        Int(floor(Self.newMoon(k) + 0.5 + timeZoneHours / 24))
    }

    private func sunLongitudeSector(_ dayNumber: Int) -> Int {
        Int(floor(Self.sunLongitude(Double(dayNumber) - 0.5 - timeZoneHours / 24) / Double.pi * 6))
    }

    private func lunarMonth11(year: Int) -> Int {
        let off = Double(Self.julianDay(LocalDate(year: year, month: 12, day: 31)!)) - 2415021
        let k = Int(floor(off / 29.530588853))
        var nm = newMoonDay(k)
        if sunLongitudeSector(nm) >= 9 { nm = newMoonDay(k - 1) }
        return nm
    }

    private func leapMonthOffset(a11: Int) -> Int {
        let k = Int(floor((Double(a11) - 2415021.076998695) / 29.530588853 + 0.5))
        var i = 1
        var arc = sunLongitudeSector(newMoonDay(k + i))
        var last = 0
        repeat {
            last = arc
            i += 1
            arc = sunLongitudeSector(newMoonDay(k + i))
        } while arc != last && i < 14
        return i - 1
    }

    static func newMoon(_ k: Int) -> Double {
        let kk = Double(k)
        let t = kk / 1236.85
        let t2 = t * t, t3 = t2 * t
        let dr = Double.pi / 180
        var jd1 = 2415020.75933 + 29.53058868 * kk + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * kk - 0.0000333 * t2 - 0.00000347 * t3
        let mpr = 306.0253 + 385.81691806 * kk + 0.0107306 * t2 + 0.00001236 * t3
        let f = 21.2964 + 390.67050646 * kk - 0.0016528 * t2 - 0.00000239 * t3
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT: Double
        if t < -11 {
            deltaT = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
        } else {
            deltaT = -0.000278 + 0.000265 * t + 0.000262 * t2
        }
        return jd1 + c1 - deltaT
    }

    static func sunLongitude(_ jdn: Double) -> Double {
        let t = (jdn - 2451545.0) / 36525
        let t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var l = (l0 + dl) * dr
        l -= Double.pi * 2 * floor(l / (Double.pi * 2))
        return l
    }

    /// Julian day number of a Gregorian date (1970-01-01 is JD 2440588).
    static func julianDay(_ date: LocalDate) -> Int { date.dayNumber + 2440588 }
    static func date(julianDay: Int) -> LocalDate { LocalDate(dayNumber: julianDay - 2440588) }
}
