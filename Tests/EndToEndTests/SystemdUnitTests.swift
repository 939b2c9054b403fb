import ConsultTestSupport
import Foundation
import Testing

@Suite("The installed unit under a real systemd", .tags(.root, .slow), .skippedWhenFast)
struct SystemdUnitTests {
    /// Boots systemd in a container and runs scripts/e2e-systemd.sh's checks there: READY on
    /// start, owner authorization with real accounts, journal fields, whole letters judged for a
    /// clerk and by the daemon (verdict and evidence read back), hostile files, reload (good and
    /// broken), kill -9 in the middle of intake, clean stop; consultd-mail beside it with the
    /// container's Postfix: both units active, a clerk's reply delivered as a mail message to the
    /// offices' Maildirs, every header checked. Needs root, as CI has.
    @Test func startAuthorizeReloadCrashAndStop() throws {
        try #require(getuid() == 0, "booting a container needs root")
        let r = try execute("/bin/bash", [repository + "/scripts/e2e-systemd.sh"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr.suffix(4000))")
        #expect(r.stdout.contains(" passed, 0 failed"), "\(r.stdout)")
        #expect(r.stdout.contains("killed with"))
        #expect(r.stdout.contains("ok   - both units are active (consultd, consultd-mail)"))
        #expect(r.stdout.contains("ok   - a clerk's document produced a message in the agency office's mailbox"))
    }

    @Test(arguments: ["consultd.service", "consultd-mail.service"])
    func hardeningExposureIsAtMostOne(_ unit: String) throws {
        let r = try execute("/usr/bin/systemd-analyze", ["security", "--offline=yes", repository + "/systemd/" + unit])
        let line = try #require(r.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let figure = try #require(line.split(separator: " ").compactMap { Double($0) }.first)
        #expect(figure <= 1.0, "\(line)")
    }
}
