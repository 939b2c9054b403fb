import ConsultCore
import Testing
@testable import ConsultLoop

@Suite("Failure episodes and epoll timeouts")
struct FailureEpisodeTests {
    @Test func retriesBackOffFromOneSecondToSixty() {
        let clock = ContinuousClock()
        let start = clock.now
        var episode = FailureEpisode(what: "sendmail exited 75", since: Instant(seconds: 0), now: start)
        #expect(episode.retryAt == start + .seconds(1))
        var intervals: [Duration] = []
        for _ in 0..<8 {
            episode.failedAgain("again", full: true, now: start)
            intervals.append(episode.retryInterval)
        }
        #expect(intervals == [2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
        // A partial pass retried nothing: the interval stays, the latest failure is kept.
        episode.failedAgain("partial", full: false, now: start + .seconds(500))
        #expect(episode.retryInterval == .seconds(60))
        #expect(episode.retryAt == start + .seconds(60))
        #expect(episode.what == "partial")
    }

    @Test func timeoutsAreNeverZeroAndRoundedUp() {
        #expect(LoopTime.milliseconds(.zero) == 1)
        #expect(LoopTime.milliseconds(.seconds(-5)) == 1)
        #expect(LoopTime.milliseconds(.microseconds(1)) == 1)
        #expect(LoopTime.milliseconds(.microseconds(1500)) == 2)
        #expect(LoopTime.milliseconds(.seconds(60)) == 60_000)
        #expect(LoopTime.milliseconds(.seconds(86_400)) == 3_600_000)
    }
}
