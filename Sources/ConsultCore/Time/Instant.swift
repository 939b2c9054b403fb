
/// A point in time, to the second, as written in documents (RFC 3339 with an offset).
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }

    public func adding(seconds delta: Int64) -> Instant { Instant(seconds: seconds + delta) }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. An offset is required.
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116 || b[10] == 32,
              b[13] == 58, b[16] == 58,
              let date = LocalDate(iso: String(decoding: b[0..<10], as: UTF8.self)),
              let hh = LocalDate.number(b[11..<13]), let mm = LocalDate.number(b[14..<16]),
              let ss = LocalDate.number(b[17..<19]), hh < 24, mm < 60, ss < 61 else { return nil }
        var i = 19
        if b[i] == 46 {  // fractional seconds are accepted and dropped
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case 90, 122:  // Z z
            guard i + 1 == b.count else { return nil }
        case 43, 45:  // + -
            guard i + 6 == b.count, b[i + 3] == 58,
                  let oh = LocalDate.number(b[(i + 1)..<(i + 3)]),
                  let om = LocalDate.number(b[(i + 4)..<(i + 6)]), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
        default:
            return nil
        }
        let local = Int64(date.dayNumber) * 86_400 + Int64(hh * 3600 + mm * 60 + min(ss, 59))
        self.seconds = local - Int64(offset)
    }

    /// RFC 3339 in UTC (`…Z`).
    public var description: String { format(offsetSeconds: 0) }

    /// RFC 3339 with the given offset from UTC.
    public func format(offsetSeconds: Int) -> String {
        let local = seconds + Int64(offsetSeconds)
        let days = Int((local >= 0 ? local : local - 86_399) / 86_400)
        let secs = Int(local - Int64(days) * 86_400)
        let date = LocalDate(dayNumber: days)
        let time = "\(LocalDate.pad(secs / 3600, 2)):\(LocalDate.pad(secs / 60 % 60, 2)):\(LocalDate.pad(secs % 60, 2))"
        if offsetSeconds == 0 { return "\(date)T\(time)Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let a = abs(offsetSeconds)
        return "\(date)T\(time)\(sign)\(LocalDate.pad(a / 3600, 2)):\(LocalDate.pad(a / 60 % 60, 2))"
    }
}
