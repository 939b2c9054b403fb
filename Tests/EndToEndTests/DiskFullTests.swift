import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// The site's outbox on a 256 KiB tmpfs of its own, filled up by a file named `filler` (remove
/// it to give the space back); its path. The caller unmounts it.
func fullOutbox(_ site: Site) throws -> String {
    let outbox = site.root + "/outbox"
    try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
    let mount = try execute("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", outbox])
    try #require(mount.status == 0, "mount: \(mount.stderr)")
    try FileManager.default.createDirectory(atPath: outbox + "/.tmp", withIntermediateDirectories: true)
    _ = try execute("/bin/dd", ["if=/dev/zero", "of=\(outbox)/filler", "bs=4096", "count=1000"])
    return outbox
}

@Suite("A full disk under the outbox", .tags(.root, .slow), .skippedWhenFast, .serialized)
struct DiskFullTests {
    /// The outbox on a 256 KiB tmpfs, filled up: the service keeps running, says so once, and
    /// writes every pending notice once space returns; nothing half-written is ever visible.
    @Test func saidOnceRetriedAndDeliveredWhenSpaceReturns() throws {
        try #require(getuid() == 0, "mounting a tmpfs needs root")
        try #require(try ensureJournald())
        let site = try Site(extra: "outbox = \"outbox\"")
        let outbox = try fullOutbox(site)
        defer { _ = try? execute("/bin/umount", ["-l", outbox]) }

        let listener = try NotifyListener()
        let daemon = try startService(site, notify: listener)
        defer { if daemon.isRunning { daemon.terminate(); daemon.waitUntilExit() } }
        try #require(listener.wait(for: "READY=1") != nil)
        let id = "FULL-" + UUID().uuidString.prefix(8)
        // Sent long ago: each duty's latest step is due at once.
        site.put("late.json", """
            {"kind": "request", "id": "\(id)", "title": "t", "lead": "SXD", "consulted": ["STC", "STP"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        eventually { site.list("spool/new").isEmpty }
        sleep(4)  // several retries with backoff
        #expect(daemon.isRunning)
        #expect(site.list("outbox") == ["filler"])
        #expect(site.list("outbox/.tmp").isEmpty)
        let failed = try journalEntries(["CONSULT_EVENT=outbox-failed"], atLeast: 1).filter { $0["MESSAGE"]?.contains(outbox) == true }
        #expect(failed.count == 1)
        #expect(failed.first?["PRIORITY"] == "3")
        // The journal has no notice yet: a notice is told only once it is in the outbox.
        #expect(try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=escalation-2"], atLeast: 0).isEmpty)

        try FileManager.default.removeItem(atPath: outbox + "/filler")
        let expected = ["\(id).STC.escalation-2.json", "\(id).STP.escalation-2.json"]
        #expect(eventually(within: .seconds(15)) { site.list("outbox") == expected }, "\(site.list("outbox"))")
        for name in expected {
            let notice = try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: outbox + "/" + name))))
            #expect(notice["late_detected"] == .bool(true))
        }
        // Told once the notices' files are durable: wait for this outbox's entry (earlier tests'
        // entries of that event satisfy journalEntries' count at once).
        var recovered: [[String: String]] = []
        #expect(try eventually(within: .seconds(10), every: .milliseconds(100)) {
            recovered = try journalEntries(["CONSULT_EVENT=outbox-recovered"], atLeast: 1).filter { $0["MESSAGE"]?.contains(outbox) == true }
            return !recovered.isEmpty
        })
        #expect(recovered.count == 1)
        #expect(try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=escalation-2"], atLeast: 2).count == 2)
        let stillFailed = try journalEntries(["CONSULT_EVENT=outbox-failed"], atLeast: 1).filter { $0["MESSAGE"]?.contains(outbox) == true }
        #expect(stillFailed.count == 1)
    }
}
