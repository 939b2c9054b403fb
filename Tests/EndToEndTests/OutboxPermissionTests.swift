import ConsultCore
import ConsultTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The outbox as installed (`systemd/consultd.tmpfiles` applied by `systemd-tmpfiles`, its
/// accounts renamed to test accounts) with real accounts: the daemon's own, and a member of the
/// consumer's group who delivers notices.
@Suite("The outbox's consumer group", .tags(.root, .slow), .skippedWhenFast, .serialized)
struct OutboxPermissionTests {
    typealias Account = (uid: uid_t, gid: gid_t)

    /// The shipped tmpfiles lines, for a spool at `spool` and the test accounts.
    static func tmpfiles(spool: String) throws -> String {
        let shipped = try String(contentsOfFile: repository + "/systemd/consultd.tmpfiles", encoding: .utf8)
        let accounts = ["consultd": "cdtest-daemon", "consultd-outbox": "cdtest-outbox", "consultd-submit": "cdtest-submit"]
        return shipped.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            var fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            fields[1] = fields[1].replacingOccurrences(of: "/var/spool/consultd", with: spool)
            for i in [3, 4] where fields.count > i { fields[i] = accounts[fields[i]] ?? fields[i] }
            if fields.count > 6 {
                fields[6] = fields[6].replacingOccurrences(of: "user:consultd:", with: "user:cdtest-daemon:")
                    .replacingOccurrences(of: "group:consultd-outbox:", with: "group:cdtest-outbox:")
            }
            return fields.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    @Test func aMemberMovesNoticesIntoSentAndReachesNothingElse() throws {
        try #require(getuid() == 0, "accounts and setpriv need root")
        let daemon: Account = try ensureAccount("cdtest-daemon")
        _ = try ensureAccount("cdtest-outbox")
        let mailer: Account = try ensureAccount("cdtest-mailer", groups: ["cdtest-outbox"])
        _ = try execute("/usr/sbin/groupadd", ["-f", "cdtest-submit"])
        let site = try Site(extra: "[retention]\nsent_days = 0\n")
        let spool = site.root + "/spool"
        let rules = site.root + "/consultd-test.conf"
        try Self.tmpfiles(spool: spool).write(toFile: rules, atomically: true, encoding: .utf8)
        let applied = try execute("/usr/bin/systemd-tmpfiles", ["--create", rules])
        try #require(applied.status == 0, "\(applied.stderr)")
        try FileManager.default.createDirectory(atPath: site.root + "/state", withIntermediateDirectories: true)
        #expect(chown(site.root + "/state", daemon.uid, daemon.gid) == 0 && chmod(site.root + "/state", 0o750) == 0)

        func run(as account: Account, _ command: String) throws -> Outcome {
            try execute("/usr/bin/setpriv", ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--init-groups", "/bin/sh", "-c", command])
        }
        /// consultd --once as the daemon's account, under the unit's UMask=0027.
        func consultd(_ at: String) throws {
            let r = try run(as: daemon, "umask 027; exec \(binary("consultd")) --config \(site.config) --once --at \(at)")
            #expect(r.status == 0, "\(r.stderr)")
        }
        let id = "OP-" + UUID().uuidString.prefix(6), done = "OQ-" + UUID().uuidString.prefix(6)
        site.put("req.json", #"{"kind": "request", "id": "\#(id)", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#)
        site.put("vague.json", #"{"kind": "reply", "request": "\#(id)", "agency": "STC", "received": "2025-03-04T09:00:00+07:00", "position": "agree", "text": "Về cơ bản thống nhất."}"#)
        site.put("req2.json", #"{"kind": "request", "id": "\#(done)", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#)
        site.put("agree.json", #"{"kind": "reply", "request": "\#(done)", "agency": "STC", "received": "2025-03-04T09:00:00+07:00", "position": "agree"}"#)
        site.put("bad.json", "{ not json")
        try consultd("2025-03-04T10:00:00+07:00")
        let vague = "\(id).STC.vague.json", completed = "\(done).SXD.completed.json"
        #expect(Set(site.list("spool/outbox")).isSuperset(of: [vague, completed]))
        var st = stat()
        #expect(lstat(spool + "/outbox/" + vague, &st) == 0)
        #expect(st.st_uid == daemon.uid && st.st_gid == getgrnam("cdtest-outbox")!.pointee.gr_gid && st.st_mode & 0o777 == 0o640)

        // What the consumer may do: list, read, move into sent/DAY/ (a folder it makes).
        let outbox = spool + "/outbox"
        #expect(try run(as: mailer, "ls \(outbox)").stdout.contains(vague))
        #expect(try run(as: mailer, "cat \(outbox)/\(vague)").stdout.contains("\"event\": \"vague\""))
        for name in [vague, completed] {
            let moved = try run(as: mailer, "mkdir -p \(outbox)/sent/2025-03-04 && mv \(outbox)/\(name) \(outbox)/sent/2025-03-04/")
            #expect(moved.status == 0, "\(moved.stderr)")
        }
        // And nothing else: the state store, done/, rejected/, the staging folder, a notice's bytes.
        for command in ["ls \(site.root)/state", "cat \(site.root)/state/state.sqlite", "ls \(spool)/done",
                        "cat \(spool)/done/2025-03-04/req.json", "ls \(spool)/rejected", "cat \(spool)/rejected/bad.json.error.json",
                        "ls \(outbox)/.tmp", "touch \(outbox)/.tmp/x", "echo x >> \(outbox)/sent/2025-03-04/\(vague)",
                        "ls \(spool)/new", "ls \(spool)/tmp"] {
            let r = try run(as: mailer, command)
            #expect(r.status != 0, "the consumer could: \(command)")
        }

        // A notice the member forges under a coming notice's name is not the daemon's: the daemon
        // writes its own over it. One already in sent/ is never written again, also when the
        // store says it is pending (a crash between the write and the record).
        let reminder = "\(id).STC.reminder.json"
        #expect(try run(as: mailer, "echo forged > \(outbox)/\(reminder)").status == 0)
        let sentFile = "\(outbox)/sent/2025-03-04/\(vague)"
        var before = stat()
        #expect(lstat(sentFile, &before) == 0)
        let sql = try execute("/usr/bin/sqlite3", [site.root + "/state/state.sqlite",
                                                    "UPDATE ledger SET delivered = 0 WHERE notice_id = '\(id).STC.vague'"])
        #expect(sql.status == 0, "\(sql.stderr)")
        try consultd("2025-03-06T08:00:00+07:00")
        #expect(!FileManager.default.fileExists(atPath: "\(outbox)/\(vague)"), "delivered again into the outbox")
        var after = stat()
        #expect(lstat(sentFile, &after) == 0 && after.st_ino == before.st_ino && after.st_mtim.tv_sec == before.st_mtim.tv_sec
                && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        #expect(lstat("\(outbox)/\(reminder)", &st) == 0 && st.st_uid == daemon.uid)
        #expect(try String(contentsOfFile: "\(outbox)/\(reminder)", encoding: .utf8).contains("\"step\": \"reminder\""))

        // sent_days = 0: from the day after, the daemon removes what the consumer filed (the run
        // above swept 2025-03-06), through the default ACL on the folder the consumer made,
        // except the open consultation's notice.
        #expect(site.list("spool/outbox/sent/2025-03-04") == [vague], "the completed consultation's notice went, the open one's stayed")

        // The member moves the staging folder away and makes one of its own: the daemon stages
        // nothing through it (a notice could be swapped there before its rename), and says so.
        #expect(try run(as: mailer, "mv \(outbox)/.tmp \(outbox)/.tmp-moved && mkdir \(outbox)/.tmp").status == 0)
        let refused = try run(as: daemon, "umask 027; exec \(binary("consultd")) --config \(site.config) --once --at 2025-03-11T08:00:00+07:00")
        #expect(refused.status == 74 && refused.stderr.contains("not a folder of consultd's own"), "\(refused.stderr)")
        #expect(!site.list("spool/outbox").contains("\(id).STC.overdue.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(outbox)/.tmp").isEmpty)
        try FileManager.default.removeItem(atPath: "\(outbox)/.tmp")
        #expect(rename("\(outbox)/.tmp-moved", "\(outbox)/.tmp") == 0)
        try consultd("2025-03-11T09:00:00+07:00")
        #expect(site.list("spool/outbox").contains("\(id).STC.overdue.json"))

        // The accounts the shipped sysusers file makes.
        let root = try TemporaryFolder.make("sysusers")
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        let users = try execute("/usr/bin/systemd-sysusers", ["--root=\(root)", repository + "/systemd/consultd.sysusers"])
        #expect(users.status == 0, "\(users.stderr)")
        let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
        let group = try String(contentsOfFile: root + "/etc/group", encoding: .utf8)
        #expect(passwd.contains("consultd-outbox:x:") && passwd.contains("consultd mail delivery"))
        #expect(group.contains("consultd-outbox:x:") && group.contains("consultd-submit:x:"))
        // Postfix's group, which consultd-mail.service joins, exists before Postfix is configured.
        #expect(group.contains("postdrop:x:"))
    }
}
