import CSystemd

/// Talks to the service manager through `sd_notify` (a no-op where `NOTIFY_SOCKET` is unset).
public struct ServiceManager: Sendable {
    public init() {}

    /// Sends one or more `KEY=value` lines, e.g. `READY=1\nSTATUS=…`.
    public func notify(_ state: String) {
        _ = sd_notify(0, state)
    }

    /// The watchdog interval asked for by the unit (`WatchdogSec=`), if any.
    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }
}
