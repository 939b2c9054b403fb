import Foundation

/// Asks `condition` every `interval` until it holds or `timeout` has passed; whether it held.
/// For what another process or thread does in its own time (a daemon moving a file, journald
/// storing an entry): a test waits for the effect, not for a fixed delay.
@discardableResult
public func eventually(within timeout: Duration = .seconds(5), every interval: Duration = .milliseconds(50),
                       _ condition: () throws -> Bool) rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try condition() { return true }
        if clock.now >= deadline { return false }
        Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
    }
}
