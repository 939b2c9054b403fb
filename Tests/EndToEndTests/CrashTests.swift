import ConsultTestSupport
import Foundation
import Testing

@Suite("Crash safety", .tags(.root, .slow), .skippedWhenFast)
struct CrashTests {
    /// scripts/crash-test.py in its short form: 500 mixed documents, 10 SIGKILLs at random
    /// moments; done/, rejected/, the store and the outbox must equal an uninterrupted run's, and
    /// the journal must hold every notice once or twice. The full form is 5,000 and 50.
    @Test func killedTenTimesLosesNothingAndSendsNothingTwice() throws {
        try #require(getuid() == 0, "needs root (mount namespace, journald)")
        try #require(try ensureJournald())
        let r = try execute("/usr/bin/env", ["python3", repository + "/scripts/crash-test.py", "--documents", "500", "--kills", "10",
                                             "--binary", binary("consultd")])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr.suffix(2000))")
        #expect(r.stdout.contains(" passed, 0 failed"))
        // A run may finish before its random moment comes; most must have been killed.
        let kills = r.stdout.split(separator: "\n").first { $0.contains("crash run:") }
            .flatMap { $0.split(separator: " ").compactMap { Int($0) }.first } ?? 0
        #expect(kills >= 5, "\(r.stdout)")
    }
}
