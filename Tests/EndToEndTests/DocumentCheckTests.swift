import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// `consultctl validate` and `submit` refuse what the daemon would refuse, as far as the
/// configuration tells, and name every problem of every file.
@Suite("consultctl validate and submit with the configuration")
struct DocumentCheckTests {
    /// The account the tests run as: under `authorization = "owner"` it owns what `submit` hands off.
    static let me = String(cString: getpwuid(geteuid()).pointee.pw_name)

    func write(_ folder: String, _ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anUndeclaredAgencyIsNamedWithTheFile() throws {
        let site = try Site()
        let request = try write(site.root, "request.json", """
            {"kind": "request", "id": "HN-1", "title": "Đề án", "lead": "SXD", "consulted": ["STC", "SXX"],
             "sent": "2025-03-03T09:00:00+07:00"}
            """)
        let reply = try write(site.root, "reply.json", """
            {"kind": "reply", "request": "HN-1", "agency": "SYY", "received": "2025-03-05T09:00:00+07:00", "position": "agree"}
            """)
        let r = try execute(binary("consultctl"), ["validate", "--config", site.config, request, reply])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("\(request): unknown_agency: field \"consulted\": agency SXX is not declared in the configuration ([agencies.SXX])"), "\(r.stderr)")
        #expect(r.stderr.contains("\(reply): unknown_agency: field \"agency\": agency SYY is not declared"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "\(r.stdout)")

        let submit = try execute(binary("consultctl"), ["submit", "--config", site.config, request])
        #expect(submit.status == 65, "\(submit.stderr)")
        #expect(submit.stderr.contains("\(request): unknown_agency"), "\(submit.stderr)")
        #expect(site.list("spool/new").isEmpty)
    }

    /// A file far over the limit is refused from its size, unread (a sparse 3 GB file, under a
    /// 256 MiB address-space limit), and a FIFO without waiting on a writer.
    @Test func aHugeFileIsRefusedUnreadAndAFIFOWithoutWaiting() throws {
        let site = try Site()
        let huge = site.root + "/huge.json"
        #expect(try execute("/usr/bin/truncate", ["-s", "3G", huge]).status == 0)
        let fifo = site.root + "/fifo.json"
        #expect(mkfifo(fifo, 0o644) == 0)
        let started = ContinuousClock.now
        let r = try execute("/bin/sh", ["-c", "ulimit -v 1048576; exec \(binary("consultctl")) validate --config \(site.config) \(huge) \(fifo)"])
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr.contains("\(huge): too_large: the file is 3221225472 bytes"), "\(r.stderr)")
        #expect(r.stderr.contains("\(fifo): not_regular_file: a FIFO, not a regular file"), "\(r.stderr)")
        let submit = try execute("/bin/sh", ["-c", "ulimit -v 1048576; exec \(binary("consultctl")) submit --config \(site.config) \(huge)"])
        #expect(submit.status == 65 && submit.stderr.contains("too_large"), "\(submit.stderr)")
        #expect(site.list("spool/new").isEmpty)
    }

    @Test func threeBadFieldsGetThreeMessages() throws {
        let site = try Site()
        let file = try write(site.root, "bad.json", """
            {"kind": "request", "id": "HN 1", "title": "Đề án", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03",
             "reply_days": "ten"}
            """)
        let r = try execute(binary("consultctl"), ["validate", "--config", site.config, file])
        #expect(r.status == 65)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.stderr)")
        #expect(lines.allSatisfy { $0.hasPrefix("\(file): invalid_field: ") }, "\(r.stderr)")
        #expect(lines.contains { $0.contains("field \"id\" is not a valid identifier") })
        #expect(lines.contains { $0.contains("field \"sent\" must be an RFC 3339 instant") })
        #expect(lines.contains { $0.hasSuffix("field \"reply_days\" must be a whole number, not a string") })
    }

    /// Agencies are checked though another field is bad, and beside the lead among the consulted:
    /// every bad field at once, each once.
    @Test func agenciesAreCheckedBesideOtherBadFields() throws {
        let site = try Site()
        let reply = try write(site.root, "reply.json", """
            {"kind": "reply", "request": "HN 1", "agency": "XYZ", "received": "yesterday", "position": "maybe"}
            """)
        let request = try write(site.root, "request.json", """
            {"kind": "request", "id": "HN-2", "title": "t", "lead": "NOPE", "consulted": ["STC", "SXD", "QQQ"],
             "sent": "2025-03-03T09:00:00+07:00", "reply_days": 10.5}
            """)
        let r = try execute(binary("consultctl"), ["validate", "--config", site.config, reply, request])
        #expect(r.status == 65)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix(reply + ":") }.count == 4, "\(r.stderr)")
        #expect(lines.contains("\(reply): unknown_agency: field \"agency\": agency XYZ is not declared in the configuration ([agencies.XYZ])"), "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("\(request): unknown_agency: field \"lead\": agency NOPE") }, "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("\(request): unknown_agency: field \"consulted\": agency QQQ") }, "\(r.stderr)")
        #expect(lines.contains { $0.hasSuffix("field \"reply_days\" must be a whole number, not 10.5") }, "\(r.stderr)")
        #expect(lines.filter { $0.hasPrefix(request + ":") }.count == 3, "\(r.stderr)")
    }

    /// The daemon's sidecar names every reason too, with one code.
    @Test func theDaemonNamesEveryReason() throws {
        let site = try Site()
        site.put("bad.json", #"{"kind": "withdrawal", "request": "HN 1", "agencies": [], "reason": " "}"#)
        #expect(try site.once("2025-03-04T09:00:00+07:00").status == 0)
        let sidecar = try site.json("spool/rejected/bad.json.error.json")
        #expect(sidecar["code"] == .string("invalid_field"))
        guard case let .string(reason)? = sidecar["reason"] else { Issue.record("no reason"); return }
        #expect(reason.hasPrefix("field \"request\" is not a valid identifier"), "\(reason)")
        #expect(reason.contains("; field \"agencies\" must not be empty; "), "\(reason)")
        #expect(reason.hasSuffix("; field \"reason\" is empty"), "\(reason)")
    }

    /// A request named beside a later document tells its lead and consulted agencies, as the
    /// state store tells the daemon.
    @Test func aRequestBesideTellsWhoIsConsulted() throws {
        let site = try Site()
        let request = try write(site.root, "request.json", """
            {"kind": "request", "id": "HN-2", "title": "Đề án", "lead": "SXD", "consulted": ["STC"],
             "sent": "2025-03-03T09:00:00+07:00"}
            """)
        let resolution = try write(site.root, "resolution.json", """
            {"kind": "resolution", "request": "HN-2", "agency": "STP", "outcome": "Đã thống nhất", "received": "2025-03-10T09:00:00+07:00"}
            """)
        let alone = try execute(binary("consultctl"), ["validate", "--config", site.config, resolution])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout == "\(resolution): valid resolution for HN-2\n")
        let both = try execute(binary("consultctl"), ["validate", "--config", site.config, request, resolution])
        #expect(both.status == 65)
        #expect(both.stderr == "\(resolution): not_consulted: agency STP is not consulted in HN-2\n")
        #expect(both.stdout == "\(request): valid request for HN-2\n")
    }

    /// Under `authorization = "owner"`, `submit` checks the caller as the daemon checks the
    /// owner: a consulted agency's account cannot send an extension, which only the lead may.
    @Test func submitChecksWhoMaySpeak() throws {
        let site = try Site(submitters: ["STC": ["user:\(Self.me)"]], authorization: "owner")
        let ext = try write(site.root, "extension.json", """
            {"kind": "extension", "request": "HN-3", "deadline": "2025-04-01", "agencies": ["STC"], "reason": "Bổ sung hồ sơ"}
            """)
        let reply = try write(site.root, "reply.json", """
            {"kind": "reply", "request": "HN-3", "agency": "STC", "received": "2025-03-05T09:00:00+07:00", "position": "agree"}
            """)
        // validate does not ask who you are: the extension is a valid document.
        #expect(try execute(binary("consultctl"), ["validate", "--config", site.config, ext]).status == 0)

        let r = try execute(binary("consultctl"), ["submit", "--config", site.config, ext, reply])
        #expect(r.status == 65, "\(r.stderr)")
        #expect(r.stderr == "\(ext): unauthorized: account \(Self.me) may submit documents only for STC, which this extension names as consulted: only the lead's submitters may send it\nconsultctl: nothing handed off; fix the documents above or use --partial\n")
        #expect(site.list("spool/new").isEmpty)

        let partial = try execute(binary("consultctl"), ["submit", "--config", site.config, "--partial", ext, reply])
        #expect(partial.status == 65)
        #expect(partial.stdout == "\(reply): handed off as new/reply.json\n", "\(partial.stdout)")
        #expect(site.list("spool/new") == ["reply.json"])

        // A request beside a withdrawal tells its lead: SXD, which this account does not speak for.
        let request = try write(site.root, "request.json", """
            {"kind": "request", "id": "HN-3", "title": "Đề án", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00"}
            """)
        let withdrawal = try write(site.root, "withdrawal.json", #"{"kind": "withdrawal", "request": "HN-3", "reason": "Dừng"}"#)
        let batch = try execute(binary("consultctl"), ["submit", "--config", site.config, request, withdrawal])
        #expect(batch.status == 65)
        #expect(batch.stderr.contains("\(request): unauthorized: account \(Self.me) may not submit documents for SXD\n"), "\(batch.stderr)")
        #expect(batch.stderr.contains("\(withdrawal): unauthorized: account \(Self.me) may not submit documents for SXD\n"), "\(batch.stderr)")

        // The lead's account may send it.
        let lead = try Site(submitters: ["SXD": ["user:\(Self.me)"]], authorization: "owner")
        let handed = try execute(binary("consultctl"), ["submit", "--config", lead.config, ext])
        #expect(handed.status == 0, "\(handed.stderr)")
        #expect(lead.list("spool/new") == ["extension.json"])
        // An account that speaks for no agency may send nothing.
        let nobody = try Site(authorization: "owner")
        let refused = try execute(binary("consultctl"), ["submit", "--config", nobody.config, reply])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("\(reply): unauthorized: account \(Self.me) may submit documents for no agency"), "\(refused.stderr)")
    }

    @Test func exitStatuses() throws {
        let site = try Site()
        let good = try write(site.root, "good.json", #"{"kind":"withdrawal","request":"R1","reason":"x"}"#)
        let missing = site.root + "/nonexistent.json"
        for command in ["validate", "submit"] {
            let r = try execute(binary("consultctl"), [command, "--config", site.config, missing])
            #expect(r.status == 66, "\(command): \(r.stderr)")
            #expect(r.stderr.contains(missing), "\(command): \(r.stderr)")
            let config = try execute(binary("consultctl"), [command, "--config", site.root + "/none.toml", good])
            #expect(config.status == 78, "\(command): \(config.stderr)")
        }
        #expect(site.list("spool/new").isEmpty)
    }
}
