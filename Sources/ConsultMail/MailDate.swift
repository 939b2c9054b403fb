import ConsultCore

/// RFC 5322 §3.3 dates: `Mon, 10 Mar 2025 08:00:00 +0700`.
public enum MailDate {
    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `instant` as seen at `offsetSeconds` from UTC.
    public static func format(_ instant: Instant, offsetSeconds: Int) -> String {
        let local = instant.seconds + Int64(offsetSeconds)
        let days = Int((local >= 0 ? local : local - 86_399) / 86_400)
        let seconds = Int(local - Int64(days) * 86_400)
        let date = LocalDate(dayNumber: days)
        let sign = offsetSeconds < 0 ? "-" : "+"
        let offset = abs(offsetSeconds) / 60
        return "\(weekdays[date.weekday - 1]), \(pad(date.day, 2)) \(months[date.month - 1]) \(pad(date.year, 4)) "
            + "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)) "
            + "\(sign)\(pad(offset / 60, 2))\(pad(offset % 60, 2))"
    }

    /// The RFC 5322 form of an RFC 3339 instant, in the offset it was written with; nil when
    /// `text` is no RFC 3339 instant with an offset.
    public static func format(rfc3339 text: String) -> String? {
        guard let instant = Instant(rfc3339: text), let offset = offsetSeconds(rfc3339: text) else { return nil }
        return format(instant, offsetSeconds: offset)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The offset an RFC 3339 text ends with (`Z` is 0).
    static func offsetSeconds(rfc3339 text: String) -> Int? {
        if text.hasSuffix("Z") || text.hasSuffix("z") { return 0 }
        let tail = Array(text.utf8.suffix(6))
        guard tail.count == 6, tail[0] == UInt8(ascii: "+") || tail[0] == UInt8(ascii: "-"),
              let hours = Int(String(decoding: tail[1...2], as: UTF8.self)),
              let minutes = Int(String(decoding: tail[4...5], as: UTF8.self)) else { return nil }
        return (hours * 3600 + minutes * 60) * (tail[0] == UInt8(ascii: "-") ? -1 : 1)
    }
}
