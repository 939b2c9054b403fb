import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// `consultctl status` as a monitoring plugin (exit 0 healthy, 1 degraded, 2 critical), judging
/// a daemon run outside systemd by the heartbeat it keeps beside the state store.
@Suite("consultctl status as a health check", .tags(.root), .serialized)
struct HealthTests {
    func status(_ site: Site) throws -> (code: Int32, json: JSONValue) {
        let r = try execute(binary("consultctl"), ["--config", site.config, "status", "--format", "json"])
        return (r.status, try JSONReader.parse(Array(r.stdout.utf8)))
    }

    func check(_ json: JSONValue, _ name: String) -> JSONValue? {
        guard case let .array(checks)? = json["checks"] else { return nil }
        return checks.first { $0["name"] == .string(name) }
    }

    /// An account that may read the store but not list the outbox (a monitoring account without
    /// the outbox's ACL) is told so: the notices are not counted as none.
    @Test func anOutboxThisAccountMayNotListIsSaidNotCountedAsNone() throws {
        let site = try Site()
        site.put("request.json", #"{"kind": "request", "id": "HEALTH-2", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#)
        _ = try site.once("2025-03-12T10:00:00+07:00")
        #expect(try execute("/bin/chmod", ["-R", "a+rX", site.root]).status == 0)
        #expect(chmod(site.root + "/spool/outbox", 0o700) == 0)
        let r = try execute("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                                 binary("consultctl"), "--config", site.config, "status", "--format", "json"])
        let json = try JSONReader.parse(Array(r.stdout.utf8))
        #expect(json["notices"] == .null, "\(r.stdout) \(r.stderr)")
        #expect(check(json, "mail")?["state"] == .string("degraded"))
        guard case let .string(detail)? = check(json, "mail")?["detail"] else { Issue.record("no mail check: \(json)"); return }
        #expect(detail.contains("cannot count the notices") && detail.contains("outbox") && detail.contains("Permission denied"), "\(detail)")
        // As root, the counts.
        let (_, rootJSON) = try status(site)
        #expect(rootJSON["notices"]?["pending"] != nil)
    }

    @Test func aDaemonInAShellIsJudgedByItsHeartbeat() throws {
        try #require(try ensureJournald())
        let site = try Site()
        site.put("request.json", #"{"kind": "request", "id": "HEALTH-1", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#)
        _ = try site.once("2025-03-03T10:00:00+07:00")
        // Not running: critical, whatever the counts.
        var (code, json) = try status(site)
        #expect(code == 2)
        #expect(json["state"] == .string("critical"))
        #expect(check(json, "daemon")?["state"] == .string("critical"))
        #expect(json["counts"]?["open_consultations"] == .number("1"))

        // Started from a shell: running. Its duty is far past the top of its ladder (2025): degraded.
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary("consultd"))
        daemon.arguments = ["--config", site.config]
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate(); daemon.waitUntilExit() } }
        let heartbeat = site.root + "/state/consultd.heartbeat"
        eventually(within: .seconds(20), every: .milliseconds(100)) { FileManager.default.fileExists(atPath: heartbeat) }
        (code, json) = try status(site)
        #expect(check(json, "daemon")?["state"] == .string("healthy"), "\(json)")
        #expect(check(json, "ladder")?["state"] == .string("degraded"))
        #expect(code == 1)
        #expect(json["state"] == .string("degraded"))

        // A refusal within the hour is degraded too.
        site.put("broken.json", "{")
        eventually(within: .seconds(20), every: .milliseconds(100)) { site.list("spool/rejected").contains("broken.json.error.json") }
        (_, json) = try status(site)
        #expect(check(json, "refusals")?["state"] == .string("degraded"))

        // A daemon that stopped touching its heartbeat three minutes ago is taken for dead…
        var old = [timespec(tv_sec: time(nil) - 600, tv_nsec: 0), timespec(tv_sec: time(nil) - 600, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, heartbeat, &old, 0) == 0)
        (code, json) = try status(site)
        #expect(code == 2)
        #expect(check(json, "daemon")?["state"] == .string("critical"))
        // …and one stopped cleanly removes it.
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: heartbeat))
        (code, _) = try status(site)
        #expect(code == 2)
    }

    /// A damaged store is critical; the table says which check failed.
    @Test func aDamagedStoreIsCritical() throws {
        let site = try Site()
        try FileManager.default.createDirectory(atPath: site.root + "/state", withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: site.root + "/state/state.sqlite"))
        let r = try execute(binary("consultctl"), ["--config", site.config, "status"])
        #expect(r.status == 2)
        #expect(r.stdout.contains("critical  store"), "\(r.stdout)")
    }
}
