import ConsultCore
import ConsultTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The local accounts scripts/postfix-test.sh delivers the test agencies' addresses to.
let mailAccounts = ["cm-office-sxd", "cm-head-sxd", "cm-office-stc", "cm-head-stc", "cm-office-stp", "cm-head-stp",
                    "cm-office-syt", "cm-head-syt", "cm-leaders"]

/// Debian's postfix, installed if missing ("Local only"), started without systemd, delivering
/// example.vn to ~/Maildir/ of `mailAccounts`.
func ensurePostfix() throws {
    let r = try execute("/bin/bash", [repository + "/scripts/postfix-test.sh", "start"] + mailAccounts)
    #expect(r.status == 0, "\(r.stderr)")
    try #require(r.status == 0, "postfix could not be started")
}

/// A site for the daemon and consultd-mail: `[mail]` with a Vietnamese sender name, a domain of
/// its own, and `sendmail` (Postfix's unless given).
struct MailSite {
    static let domain = "consultd.test"
    static let sender = "consultd@ubnd.example.vn"
    static let senderName = "Hệ thống theo dõi lấy ý kiến"
    let site: Site
    var outbox: String { site.root + "/spool/outbox" }

    init(sendmail: String = "/usr/sbin/sendmail", timeout: Int = 60) throws {
        site = try Site(extra: """
            [mail]
            sendmail = "\(sendmail)"
            from = "\(Self.senderName) <\(Self.sender)>"
            domain = "\(Self.domain)"
            timeout = \(timeout)
            """, locale: .vi)
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
    }

    func mailOnce() throws -> Outcome { try execute(binary("consultd-mail"), ["--config", site.config, "--once"]) }

    /// consultd-mail as a service outside systemd, reporting to `notify`.
    func startMail(notify: NotifyListener? = nil, watchdogMicroseconds: Int? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary("consultd-mail"))
        p.arguments = ["--config", site.config]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        if let notify { environment["NOTIFY_SOCKET"] = notify.path }
        if let watchdogMicroseconds { environment["WATCHDOG_USEC"] = String(watchdogMicroseconds) }
        p.environment = environment
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Notice files waiting in the outbox, and those in `sent/`.
    var waiting: [String] { site.list("spool/outbox").filter { $0.hasSuffix(".json") } }
    var sent: [String] { site.list("spool/outbox/sent").flatMap { day in site.list("spool/outbox/sent/" + day) } }

    /// Runs scripts/check-mailbox.py over `sent/`: every notice in every recipient's mailbox, every header.
    func checkMailboxes(maxCopies: Int = 1) throws -> (ok: Bool, summary: [String: JSONValue], output: String) {
        let r = try execute("/usr/bin/python3", [repository + "/scripts/check-mailbox.py", "--sent", outbox + "/sent",
                                                 "--domain", Self.domain, "--from", Self.sender, "--from-name", Self.senderName,
                                                 "--max-copies", String(maxCopies), "--wait", "30"])
        var summary: [String: JSONValue] = [:]
        if case let .object(members)? = try? JSONReader.parse(Array(r.stdout.utf8)) {
            for (k, v) in members { summary[k] = v }
        }
        return (r.status == 0, summary, r.stdout + r.stderr)
    }

    /// A notice as consultd writes it, dropped into the outbox by rename.
    func drop(_ id: String, consultation: String, priority: String = "warning", to: [String], cc: [String] = [],
              subject: String, body: String) throws {
        let json = JSONValue.object([
            ("notice_id", .string(id)), ("event", .string("overdue")), ("step", .string("overdue")), ("priority", .string(priority)),
            ("consultation", .string(consultation)), ("title", .string("Dự thảo")), ("lead", .string("SXD")),
            ("agency", .string("STC")), ("deadline", .string("2025-02-07")), ("days_late", .number("1")),
            ("late_detected", .bool(false)), ("reasons", .array([])), ("to", .array(to.map(JSONValue.string))),
            ("cc", .array(cc.map(JSONValue.string))), ("subject", .string(subject)), ("body", .string(body)),
            ("created", .string("2025-02-10T08:00:00+07:00")),
        ])
        let staging = outbox + "/.\(id).part"
        try Data(JSONWriter.bytes(json)).write(to: URL(fileURLWithPath: staging))
        try #require(rename(staging, outbox + "/\(id).json") == 0)
    }
}

/// A number in a check-mailbox summary.
func count(_ summary: [String: JSONValue], _ key: String) -> Int {
    if case let .number(n)? = summary[key] { return Int(n) ?? -1 }
    return -1
}

@Suite("consultd-mail with a real Postfix", .serialized, .tags(.root, .slow), .skippedWhenFast)
struct MailDeliveryTests {
    /// A consultation through the real daemon — vague, deflecting and dissenting replies, every
    /// step of the ladder — then consultd-mail: each notice in each recipient's Maildir, every
    /// header checked by Python's email package, threads per consultation, Vietnamese intact.
    @Test func theDaemonsNoticesReachTheMailboxes() throws {
        try #require(getuid() == 0, "postfix and its accounts need root")
        try #require(try ensureJournald())
        try ensurePostfix()
        let mail = try MailSite()
        let run = UUID().uuidString.prefix(8)
        for (k, id) in ["MAIL-\(run)-A", "MAIL-\(run)-B"].enumerated() {
            mail.site.put("\(k)-request.json", """
                {"kind": "request", "id": "\(id)", "title": "Dự thảo Đề án phát triển nhà ở xã hội giai đoạn 2025–2030 trên địa bàn thành phố Hà Nội (\(k))",
                 "lead": "SXD", "consulted": ["STC", "STP", "SYT"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
                """)
            mail.site.put("\(k)-vague.json", """
                {"kind": "reply", "request": "\(id)", "agency": "STC", "received": "2025-03-04T10:00:00+07:00", "position": "agree",
                 "text": "Về cơ bản thống nhất với dự thảo."}
                """)
            mail.site.put("\(k)-deflect.json", """
                {"kind": "reply", "request": "\(id)", "agency": "STP", "received": "2025-03-04T11:00:00+07:00",
                 "text": "Nội dung này không thuộc chức năng, nhiệm vụ của Sở Tư pháp."}
                """)
            mail.site.put("\(k)-disagree.json", """
                {"kind": "reply", "request": "\(id)", "agency": "SYT", "received": "2025-03-04T12:00:00+07:00", "position": "disagree",
                 "comments": ["Điều 5 khoản 2: đề nghị bỏ quy định miễn phí thẩm định vì trái khoản 3 Điều 30 Luật Phí và lệ phí."]}
                """)
        }
        for at in ["2025-03-04T13:00:00+07:00", "2025-03-06T08:00:00+07:00", "2025-03-11T08:00:00+07:00",
                   "2025-03-13T08:00:00+07:00", "2025-03-17T08:00:00+07:00", "2025-03-20T08:00:00+07:00"] {
            #expect(try mail.site.once(at).status == 0)
        }
        let notices = mail.waiting
        #expect(notices.count >= 16, "\(notices)")
        let once = try mail.mailOnce()
        #expect(once.status == 0, "\(once.stdout) \(once.stderr)")
        #expect(mail.waiting.isEmpty)
        #expect(Set(mail.sent) == Set(notices))
        let check = try mail.checkMailboxes()
        #expect(check.ok, "\(check.output)")
        #expect(count(check.summary, "notices") == notices.count)
        #expect(count(check.summary, "threads") == 2, "one thread per consultation: \(check.output)")
        #expect(count(check.summary, "duplicates") == 0)

        let status = try execute(binary("consultctl"), ["--config", mail.site.config, "status"])
        #expect(status.stdout.contains("notices waiting              0\n"), "\(status.stdout)")
        #expect(status.stdout.contains("notices sent                 \(notices.count)\n"), "\(status.stdout)")
        #expect(status.stdout.contains("notices failed               0\n"), "\(status.stdout)")

        // One journal entry per delivery, with the notice id and the recipients.
        let entries = try journalEntries(["CONSULT_EVENT=mail-sent", "CONSULT_ID=MAIL-\(run)-A"], atLeast: notices.count / 2,
                                         identifier: "consultd-mail")
        #expect(entries.count == notices.count / 2)
        for entry in entries {
            #expect(entry["MESSAGE_ID"] == "c3253845fd33418bbbc7e998ab769c20")
            #expect(entry["CONSULT_NOTICE_ID"]?.hasPrefix("MAIL-\(run)-A.") == true)
            #expect(entry["CONSULT_RECIPIENTS"]?.contains("@example.vn") == true)
            #expect(entry["PRIORITY"] == "6")
        }
    }

    /// kill -9 between sendmail and the move, again and again: every notice arrives, none more
    /// than twice, a second copy with the same Message-ID. sendmail here is Postfix's behind a
    /// wrapper that waits 0.3 s after Postfix took the message: a kill then comes after the
    /// message is queued and before consultd-mail knows it.
    @Test func killedBetweenSendmailAndTheMove() throws {
        try #require(getuid() == 0, "postfix and its accounts need root")
        try #require(try ensureJournald())
        try ensurePostfix()
        let wrapper = TemporaryFolder.name("slow-sendmail")
        try "#!/bin/sh\n/usr/sbin/sendmail \"$@\"\nstatus=$?\nsleep 0.3\nexit $status\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        let mail = try MailSite(sendmail: wrapper)
        let run = UUID().uuidString.prefix(8)
        let total = 30
        for i in 0..<total {
            try mail.drop("KILL-\(run)-\(i % 5).STC.n\(i)", consultation: "KILL-\(run)-\(i % 5)", priority: i % 3 == 0 ? "err" : "warning",
                          to: ["office.stc@example.vn"], cc: i % 2 == 0 ? ["leaders@example.vn"] : [],
                          subject: "Thông báo \(i): quá hạn trả lời về Dự thảo số \(i)",
                          body: "Kính gửi Sở Tài chính,\nThông báo số \(i).\nTrân trọng.\n")
        }
        var kills = 0
        var service = try mail.startMail()
        var sentAtStart = 0
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while !mail.waiting.isEmpty && clock.now < deadline {
            if kills < 6 {
                // Wait for progress since the last start (the notice sent again, and one more),
                // so that no notice meets two kills; then kill at a random moment of a hand-off.
                eventually(within: .seconds(20), every: .milliseconds(20)) { mail.sent.count >= sentAtStart + 2 || mail.waiting.isEmpty }
                guard !mail.waiting.isEmpty else { break }
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.35))
                kill(service.processIdentifier, SIGKILL)
                service.waitUntilExit()
                kills += 1
                sentAtStart = mail.sent.count
                service = try mail.startMail()
            } else {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        #expect(eventually(within: .seconds(60)) { mail.waiting.isEmpty })
        service.terminate()
        service.waitUntilExit()
        #expect(service.terminationStatus == 0)
        #expect(kills == 6)
        #expect(mail.sent.count == total)
        #expect(mail.site.list("spool/outbox/failed").isEmpty)
        let check = try mail.checkMailboxes(maxCopies: 2)
        #expect(check.ok, "\(check.output)")
        let duplicates = count(check.summary, "duplicates")
        // Each kill can leave one notice whose outcome was lost: sent again, to its 1 or 2 recipients.
        #expect(duplicates <= kills * 2, "\(check.output)")
        let again = try journalEntries(["CONSULT_EVENT=mail-sent"], atLeast: 0, identifier: "consultd-mail")
            .filter { $0["CONSULT_ID"]?.hasPrefix("KILL-\(run)") == true && $0["MESSAGE"]?.contains(" again ") == true }
        #expect(again.count <= kills)
        print("killed \(kills) times: \(again.count) notices sent again, \(duplicates) duplicate messages in the mailboxes")
    }

    /// sendmail missing: the notices wait, the journal hears once, retries back off, the watchdog
    /// is fed and STATUS= says what fails; a reload with the right path delivers them all, with
    /// one mail-recovered.
    @Test func aFailureThatLastsThenAReload() throws {
        try #require(getuid() == 0, "postfix and its accounts need root")
        try #require(try ensureJournald())
        try ensurePostfix()
        let mail = try MailSite(sendmail: "/nonexistent/sendmail")
        let run = UUID().uuidString.prefix(8)
        let listener = try NotifyListener()
        let service = try mail.startMail(notify: listener, watchdogMicroseconds: 2_000_000)
        defer {
            service.terminate()
            service.waitUntilExit()
        }
        #expect(listener.wait(for: "READY=1") != nil)
        for i in 0..<3 {
            try mail.drop("FAIL-\(run).STC.n\(i)", consultation: "FAIL-\(run)", to: ["office.stc@example.vn"],
                          subject: "Nhắc nhở \(i)", body: "Nội dung \(i)\n")
        }
        let status = listener.wait(for: "Failing since")
        #expect(status?.contains("/nonexistent/sendmail") == true, "\(String(describing: status))")
        Thread.sleep(forTimeInterval: 8)
        #expect(mail.waiting.count == 3)
        let failed = try journalEntries(["CONSULT_EVENT=mail-failed", "CONSULT_NOTICE_ID=FAIL-\(run).STC.n0"], atLeast: 1,
                                        identifier: "consultd-mail")
        let allFailed = try journalEntries(["CONSULT_EVENT=mail-failed"], atLeast: 1, identifier: "consultd-mail")
            .filter { $0["CONSULT_NOTICE_ID"]?.hasPrefix("FAIL-\(run)") == true }
        #expect(failed.count == 1 && allFailed.count == 1, "once per episode")
        #expect(failed.first?["PRIORITY"] == "3")
        // Fed every second, failing or not; and asleep between retries (1, 2, 4 s …).
        let pings = listener.messages.filter { $0.contains("WATCHDOG=1") }.count
        #expect(pings >= 6, "\(pings)")
        let stat = try String(contentsOfFile: "/proc/\(service.processIdentifier)/stat", encoding: .utf8)
        let fields = stat.split(separator: ")").last!.split(separator: " ")
        let ticks = (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
        #expect(ticks < 100, "CPU ticks \(ticks)")

        let config = try String(contentsOfFile: mail.site.config, encoding: .utf8)
        try config.replacingOccurrences(of: "/nonexistent/sendmail", with: "/usr/sbin/sendmail")
            .write(toFile: mail.site.config, atomically: true, encoding: .utf8)
        kill(service.processIdentifier, SIGHUP)
        #expect(listener.wait(for: "RELOADING=1") != nil)
        #expect(eventually(within: .seconds(10)) { mail.waiting.isEmpty })
        let recovered = try journalEntries(["CONSULT_EVENT=mail-recovered", "_PID=\(service.processIdentifier)"], atLeast: 1,
                                           identifier: "consultd-mail")
        #expect(recovered.count == 1)
        let check = try mail.checkMailboxes()
        #expect(check.ok, "\(check.output)")
    }

    /// What an attacker in the outbox's group, or a broken contact in the configuration, can put
    /// there: each refused into failed/ with its reason, the good notices delivered, no header
    /// forged.
    @Test func hostileNotices() throws {
        try #require(getuid() == 0, "postfix and its accounts need root")
        try #require(try ensureJournald())
        try ensurePostfix()
        let mail = try MailSite()
        let run = UUID().uuidString.prefix(8)
        let c = "EVIL-\(run)"
        try mail.drop("\(c).STC.crlf", consultation: c, to: ["office.stc@example.vn"],
                      subject: "Dự thảo\r\nBcc: cm-head-syt@localhost\r\nX-Evil: 1", body: "Bcc: in the body is text.\r\n.\r\n")
        try mail.drop("\(c).STC.long", consultation: c, priority: "crit", to: ["office.stc@example.vn"],
                      subject: String(repeating: "Tiêu đề rất dài ", count: 640), body: String(repeating: "Nội dung dài. ", count: 2000))
        try mail.drop("\(c).STC.many", consultation: c, to: ["office.stc@example.vn"],
                      cc: Array(repeating: "leaders@example.vn", count: 400), subject: "Nhiều người nhận", body: "x\n")
        try mail.drop("\(c).STC.badaddr", consultation: c, to: ["office.stc@example.vn", "Sở Tài chính <office.stc@example.vn>"],
                      subject: "s", body: "b")
        try mail.drop("\(c).STC.bigaddr", consultation: c, to: [String(repeating: "a", count: 10_000) + "@example.vn"], subject: "s", body: "b")
        try mail.drop("\(c).STC.inject", consultation: c, to: ["office.stc@example.vn\r\nBcc: cm-head-syt@localhost"], subject: "s", body: "b")
        #expect(symlink("/etc/shadow", mail.outbox + "/\(c).STC.link.json") == 0)
        let once = try mail.mailOnce()
        #expect(once.status == 0, "\(once.stderr)")
        #expect(Set(mail.sent) == ["\(c).STC.crlf.json", "\(c).STC.long.json", "\(c).STC.many.json"])
        for (name, code) in [("badaddr", "invalid_address"), ("bigaddr", "invalid_address"), ("inject", "invalid_address"),
                             ("link", "not_regular_file")] {
            let sidecar = try mail.site.json("spool/outbox/failed/\(c).STC.\(name).json.error.json")
            #expect(sidecar["code"] == .string(code), "\(name)")
        }
        let check = try mail.checkMailboxes()
        #expect(check.ok, "\(check.output)")
        // Nothing reached the account a forged Bcc named.
        let forged = (try? FileManager.default.contentsOfDirectory(atPath: "/home/cm-head-syt/Maildir/new")) ?? []
        for file in forged {
            let text = (try? String(contentsOfFile: "/home/cm-head-syt/Maildir/new/" + file, encoding: .utf8)) ?? ""
            #expect(!text.contains(c), "\(file)")
        }
        let refused = try journalEntries(["CONSULT_EVENT=mail-refused", "CONSULT_ID=\(c)"], atLeast: 3, identifier: "consultd-mail")
        #expect(refused.count == 3)
        #expect(refused.allSatisfy { $0["PRIORITY"] == "3" && $0["CONSULT_REASONS"] == "invalid_address" })
    }

    /// Why the unit gives consultd-mail the group postdrop instead of dropping NoNewPrivileges=:
    /// under no_new_privs Postfix's setgid postdrop runs without its group, cannot write the
    /// maildrop and retries for ever — sendmail hangs, and is stopped at the timeout; with the
    /// group as a supplementary one, the same sendmail delivers.
    @Test func noNewPrivilegesAndThePostdropGroup() throws {
        try #require(getuid() == 0, "postfix and its accounts need root")
        try ensurePostfix()
        let mail = try MailSite(timeout: 3)
        let account = "cm-nnp-runner"
        if (try execute("/usr/bin/id", [account])).status != 0 {
            #expect(try execute("/usr/sbin/useradd", ["-M", "-s", "/usr/sbin/nologin", account]).status == 0)
        }
        let run = UUID().uuidString.prefix(8)
        try mail.drop("NNP-\(run).STC.n0", consultation: "NNP-\(run)", to: ["office.stc@example.vn"], subject: "NNP", body: "b\n")
        #expect(try execute("/bin/chown", ["-R", account, mail.site.root]).status == 0)
        func mailOnce(groups: String) throws -> Outcome {
            try execute("/usr/bin/setpriv", ["--no-new-privs", "--reuid=\(account)", "--regid=\(account)", "--groups=\(groups)",
                                             binary("consultd-mail"), "--config", mail.site.config, "--once"])
        }
        let account_gid = try execute("/usr/bin/id", ["-g", account]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let hung = try mailOnce(groups: account_gid)
        #expect(hung.status == 75, "\(hung.stdout) \(hung.stderr)")
        #expect(hung.stderr.contains("did not finish in time"), "\(hung.stderr)")
        #expect(mail.waiting.count == 1)
        let postdrop = try execute("/usr/bin/getent", ["group", "postdrop"]).stdout.split(separator: ":")[2]
        let delivered = try mailOnce(groups: "\(account_gid),\(postdrop)")
        #expect(delivered.status == 0, "\(delivered.stdout) \(delivered.stderr)")
        #expect(mail.waiting.isEmpty)
        #expect(try mail.checkMailboxes().ok)
    }
}
