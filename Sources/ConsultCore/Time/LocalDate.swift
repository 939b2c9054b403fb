/// A date on the civil (proleptic Gregorian) calendar, without a time or a zone.
///
/// Stored as a day number (days since 1970-01-01) so that arithmetic and comparison are cheap.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// Creates a date from its parts; `nil` when the parts do not name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.dayNumber = LocalDate.days(fromCivil: year, month, day)
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let y = Self.number(bytes[0..<4]), let m = Self.number(bytes[5..<7]),
              let d = Self.number(bytes[8..<10]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var year: Int { parts.year }
    public var month: Int { parts.month }
    public var day: Int { parts.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { weekday >= 6 }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// `YYYY-MM-DD` (the store writes several per document: built from bytes, not interpolated).
    public var description: String {
        let p = parts
        guard (0...9999).contains(p.year) else { return "\(Self.pad(p.year, 4))-\(Self.pad(p.month, 2))-\(Self.pad(p.day, 2))" }
        return String(unsafeUninitializedCapacity: 10) { out in
            func digits(_ n: Int, _ width: Int, at start: Int) {
                var n = n
                for i in stride(from: start + width - 1, through: start, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                }
            }
            digits(p.year, 4, at: 0)
            out[4] = UInt8(ascii: "-")
            digits(p.month, 2, at: 5)
            out[7] = UInt8(ascii: "-")
            digits(p.day, 2, at: 8)
            return 10
        }
    }

    /// `DD/MM/YYYY`, the way Vietnamese administrative documents write dates.
    public var vietnameseStyle: String {
        let p = parts
        return "\(Self.pad(p.day, 2))/\(Self.pad(p.month, 2))/\(p.year)"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public var parts: (year: Int, month: Int, day: Int) { Self.civil(fromDays: dayNumber) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for b in digits {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
