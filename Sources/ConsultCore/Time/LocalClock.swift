import Foundation

/// Converts between instants and the local dates and times of one configured time zone.
public struct LocalClock: Sendable {
    public let timeZone: TimeZone
    /// For a zone whose offset no longer changes (Asia/Ho_Chi_Minh since 1975): that offset and
    /// the instant from which it holds. Each answer from the zone database costs microseconds,
    /// and every request asks for dozens (its deadlines and ladder steps).
    private let settled: (since: Int64, offset: Int)?

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        settled = Self.settledOffset(of: timeZone)
    }

    /// The offset after the zone's last transition, if it has a last one among its first 64
    /// from 1843 on (zones with daylight saving time have none: they are always asked).
    static func settledOffset(of zone: TimeZone) -> (since: Int64, offset: Int)? {
        var date = Date(timeIntervalSince1970: -4_000_000_000)
        for _ in 0..<64 {
            guard let next = zone.nextDaylightSavingTimeTransition(after: date) else {
                return (Int64(date.timeIntervalSince1970.rounded(.up)), zone.secondsFromGMT(for: date.addingTimeInterval(1)))
            }
            date = next
        }
        return nil
    }

    /// The zone's offset from UTC at an instant, in seconds.
    public func offset(at instant: Instant) -> Int {
        if let settled, instant.seconds >= settled.since { return settled.offset }
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    /// The local date on which an instant falls.
    public func date(of instant: Instant) -> LocalDate {
        let local = instant.seconds + Int64(offset(at: instant))
        return LocalDate(dayNumber: Int((local >= 0 ? local : local - 86_399) / 86_400))
    }

    /// The instant of a local wall-clock time on a date. In a gap (spring forward) the later
    /// offset applies; in an overlap the earlier instant is chosen.
    public func instant(on date: LocalDate, minuteOfDay: Int) -> Instant {
        let local = Int64(date.dayNumber) * 86_400 + Int64(minuteOfDay * 60)
        var guess = Instant(seconds: local - Int64(offset(at: Instant(seconds: local))))
        for _ in 0..<2 {
            let corrected = Instant(seconds: local - Int64(offset(at: guess)))
            if corrected == guess { break }
            guess = corrected
        }
        return guess
    }

    /// RFC 3339 text of an instant with this zone's offset.
    public func format(_ instant: Instant) -> String {
        instant.format(offsetSeconds: offset(at: instant))
    }
}
