import ConsultTestSupport
import Foundation
import Testing

@Suite("The Debian package under a real systemd", .tags(.root, .slow), .skippedWhenFast)
struct DebianPackageTests {
    /// Builds the package twice (VERSION~test1, then VERSION) and runs scripts/e2e-deb.sh's checks
    /// in a booted Debian 12: apt-get install, the service enabled and active, sysusers and
    /// tmpfiles, a clerk's consultctl submit, the upgrade keeping an edited conffile and migrating
    /// the store in place, remove keeping the data, purge removing the configuration and keeping
    /// the records. Needs root, as CI has; the first run makes the cached system (debootstrap).
    @Test func installUpgradeRemovePurge() throws {
        try #require(getuid() == 0, "booting a container needs root")
        let r = try execute("/bin/bash", [repository + "/scripts/e2e-deb.sh"])
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr.suffix(4000))")
        #expect(r.stdout.contains(" passed, 0 failed"), "\(r.stdout)")
        #expect(r.stdout.contains("ok   - … the daemon migrated the store to v8 in place"), "\(r.stdout)")
    }
}
