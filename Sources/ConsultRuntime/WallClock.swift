import ConsultCore
import Foundation

extension Instant {
    /// The system's wall clock, to the second. Outside the core: the domain is given its times,
    /// so that every rule can be checked at any instant.
    public static var now: Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
}
