import ConsultConfig
import ConsultCore
import ConsultMail
import ConsultMailService
import ConsultSpool
import ConsultSystemd
import ConsultTestSupport
import Foundation
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An outbox in a temporary folder and a fake sendmail (a shell script) that keeps each message
/// it is given and exits with the status written in `status` (0 when there is none).
struct Bench {
    let root: String
    let outbox: String
    let sendmailPath: String

    init(script: String? = nil) throws {
        root = try TemporaryFolder.make("mail")
        outbox = root + "/outbox"
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/got", withIntermediateDirectories: true)
        sendmailPath = root + "/sendmail"
        let body = script ?? """
            #!/bin/sh
            n=$(date +%s%N)
            printf '%s\\n' "$*" > "\(root)/got/$n.args"
            cat > "\(root)/got/$n.eml"
            [ -f "\(root)/say" ] && cat "\(root)/say"
            exit $(cat "\(root)/status" 2>/dev/null || echo 0)
            """
        try writeScript(body, to: sendmailPath)
    }

    func courier(timeout: Duration = .seconds(10), sendmail: String? = nil) throws -> Courier {
        let identity = try MailIdentity(from: Mailbox("Hệ thống <consultd@hanoi.example.vn>"), domain: "consultd.example.vn")
        return Courier(outbox: try Outbox(path: outbox, maximumBytes: NoticeFile.maximumBytes),
                       sendmail: Sendmail(path: sendmail ?? sendmailPath, sender: identity.from.address, timeout: timeout),
                       identity: identity, timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!,
                       journal: Journal(destination: .discard), logger: Logger(label: "test"))
    }

    func status(_ code: Int32?) {
        if let code { try? "\(code)".write(toFile: root + "/status", atomically: true, encoding: .utf8) } else { unlink(root + "/status") }
    }

    /// The messages sendmail was given, oldest first.
    var messages: [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/got")) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOfFile: root + "/got/" + $0, encoding: .utf8) }
    }

    var arguments: [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/got")) ?? []).filter { $0.hasSuffix(".args") }.sorted()
        return names.compactMap { try? String(contentsOfFile: root + "/got/" + $0, encoding: .utf8) }
    }

    static func notice(_ id: String, to: [String] = ["office.stc@example.vn"], cc: [String] = [], subject: String = "Quá hạn: Dự thảo") -> String {
        let quoted = { (list: [String]) in list.map { "\"\($0)\"" }.joined(separator: ", ") }
        return """
            {"notice_id": "\(id)", "event": "overdue", "step": "overdue", "priority": "warning", "consultation": "\(id.split(separator: ".")[0])",
             "title": "Dự thảo", "lead": "SXD", "agency": "STC", "deadline": "2025-02-07", "days_late": 1, "late_detected": false,
             "reasons": ["no_reply"], "to": [\(quoted(to))], "cc": [\(quoted(cc))], "subject": "\(subject)",
             "body": "Kính gửi Sở Tài chính,\\nĐã quá hạn.", "created": "2025-02-10T08:00:00+07:00"}
            """
    }

    /// Writes a notice as consultd does: whole, then renamed in.
    func drop(_ id: String, _ text: String? = nil, mtime: Int? = nil) {
        let path = outbox + "/\(id).json"
        try? (text ?? Self.notice(id)).write(toFile: path + ".part", atomically: false, encoding: .utf8)
        rename(path + ".part", path)
        if let mtime {
            var times = [timespec(tv_sec: mtime, tv_nsec: 0), timespec(tv_sec: mtime, tv_nsec: 0)]
            utimensat(AT_FDCWD, path, &times, 0)
        }
    }

    func list(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: outbox + "/" + dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every file under `sent/`, as `DATE/NAME`.
    var sent: [String] {
        list("sent").flatMap { day in list("sent/" + day).map { day + "/" + $0 } }
    }

    func sidecar(_ name: String) throws -> [String: String] {
        let json = try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: outbox + "/failed/" + name + ".error.json"))))
        guard case let .object(members) = json else { return [:] }
        var fields: [String: String] = [:]
        for (k, v) in members { if case let .string(s) = v { fields[k] = s } }
        return fields
    }
}

/// Writes an executable script through a descriptor no other test's child inherits: a copy of
/// a descriptor open for writing, held by a process another test started, would make `exec` of
/// the script fail with ETXTBSY.
func writeScript(_ text: String, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

@Suite("consultd-mail's courier with a fake sendmail")
struct CourierTests {
    @Test func deliversAndMovesToSent() throws {
        let bench = try Bench()
        let text = Bench.notice("C1.STC.overdue", cc: ["office.sxd@example.vn"])
        bench.drop("C1.STC.overdue", text)
        let pass = try bench.courier().pass()
        #expect(pass.sent == 1 && pass.failed == 0 && pass.temporary == nil)
        #expect(bench.list("").filter { $0.hasSuffix(".json") }.isEmpty)
        let sent = bench.sent
        #expect(sent.count == 1 && sent[0].hasSuffix("/C1.STC.overdue.json"))
        #expect(try String(contentsOfFile: bench.outbox + "/sent/" + sent[0], encoding: .utf8) == text)
        #expect(bench.arguments == ["-oi -t -f consultd@hanoi.example.vn\n"])
        let message = try #require(bench.messages.first)
        #expect(message.contains("\nMessage-ID: <C1.STC.overdue@consultd.example.vn>\n"))
        #expect(message.contains("\nTo: office.stc@example.vn\nCc: office.sxd@example.vn\n"))
        #expect(!message.contains("\r"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.outbox + "/.sending").isEmpty)
    }

    @Test func aNoticeWithoutRecipientsIsMovedUntouched() throws {
        let bench = try Bench()
        bench.drop("C2.STC.completed", Bench.notice("C2.STC.completed", to: [], cc: []))
        let pass = try bench.courier().pass()
        #expect(pass.unaddressed == 1 && pass.sent == 0)
        #expect(bench.messages.isEmpty)
        #expect(bench.sent.count == 1)
    }

    @Test func badFilesGoToFailedWithTheirReasonAndNeverBlockTheOthers() throws {
        let bench = try Bench()
        bench.drop("A.STC.overdue", mtime: 1000)
        bench.drop("B.STC.overdue", "{\"notice_id\": ", mtime: 1001)
        bench.drop("C.STC.overdue", Bench.notice("C.STC.overdue", cc: ["ok@example.vn", "not an address"]), mtime: 1002)
        bench.drop("D.STC.overdue", Bench.notice("X.STC.overdue"), mtime: 1003)
        symlink("/etc/passwd", bench.outbox + "/E.STC.overdue.json")
        mkfifo(bench.outbox + "/F.STC.overdue.json", 0o644)
        _ = FileManager.default.createFile(atPath: bench.outbox + "/G.STC.overdue.json",
                                           contents: Data(repeating: 0x20, count: NoticeFile.maximumBytes + 1))
        bench.drop("H.STC.overdue", Bench.notice("H.STC.overdue", subject: String(repeating: "Đ", count: 10_000) + "\\r\\nBcc: victim@evil.example"), mtime: 1004)
        bench.drop("I.STC.overdue", Bench.notice("I.STC.overdue", to: [String(repeating: "a", count: 10_000) + "@example.vn"]), mtime: 1005)
        try FileManager.default.createDirectory(atPath: bench.outbox + "/J.STC.overdue.json", withIntermediateDirectories: false)
        bench.drop("Z.STC.overdue", mtime: 2000)
        _ = FileManager.default.createFile(atPath: bench.outbox + "/README", contents: Data("not a notice".utf8))

        let pass = try bench.courier().pass()
        #expect(pass.sent == 3, "\(bench.sent)")
        #expect(pass.failed == 8)
        #expect(pass.temporary == nil)
        #expect(Set(bench.sent.map { String($0.split(separator: "/")[1]) }) == ["A.STC.overdue.json", "H.STC.overdue.json", "Z.STC.overdue.json"])
        let codes = [("B", "malformed_json"), ("C", "invalid_address"), ("D", "invalid_field"), ("E", "not_regular_file"),
                     ("F", "not_regular_file"), ("G", "too_large"), ("I", "invalid_address"), ("J", "not_regular_file")]
        for (letter, code) in codes {
            let sidecar = try bench.sidecar("\(letter).STC.overdue.json")
            #expect(sidecar["code"] == code, "\(letter): \(sidecar)")
            #expect(sidecar["file"] == "\(letter).STC.overdue.json")
            #expect((sidecar["reason"] ?? "").count > 10)
            #expect(sidecar["at"]?.hasSuffix("+07:00") == true)
        }
        #expect(try bench.sidecar("C.STC.overdue.json")["reason"]?.contains("cc[1]") == true)
        // The link was moved, never followed.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bench.outbox + "/failed/E.STC.overdue.json") == "/etc/passwd")
        #expect(FileManager.default.fileExists(atPath: bench.outbox + "/README"))
        // The long hostile subject went out encoded, on short lines, without the injected header.
        let long = try #require(bench.messages.first { $0.contains("<H.STC.overdue@") })
        let head = String(long.prefix { _ in true }.split(separator: "\n\n", maxSplits: 1)[0])
        #expect(!head.split(separator: "\n").contains { $0.hasPrefix("Bcc") })
        #expect(head.split(separator: "\n").allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func permanentAndTemporaryFailures() throws {
        let bench = try Bench()
        bench.drop("A.STC.overdue", mtime: 1000)
        bench.drop("B.STC.overdue", mtime: 1001)
        let courier = try bench.courier()

        bench.status(67)
        try "sendmail: no such user here".write(toFile: bench.root + "/say", atomically: true, encoding: .utf8)
        var pass = courier.pass(names: ["A.STC.overdue.json"])
        #expect(pass.failed == 1)
        let sidecar = try bench.sidecar("A.STC.overdue.json")
        #expect(sidecar["code"] == "sendmail_refused")
        #expect(sidecar["reason"]?.contains("status 67 (EX_NOUSER): sendmail: no such user here") == true, "\(sidecar)")

        bench.status(75)
        bench.drop("C.STC.overdue", mtime: 1002)
        pass = courier.pass()
        #expect(pass.temporary?.notice == "B.STC.overdue.json")
        #expect(pass.temporary?.what.contains("EX_TEMPFAIL") == true)
        #expect(pass.waiting == 2)
        #expect(bench.messages.count == 2, "the pass stops at the first temporary failure")
        #expect(bench.list("").contains("B.STC.overdue.json") && bench.list("").contains("C.STC.overdue.json"))

        // B failed last time: C goes first now. B's failure stops the pass again.
        bench.status(nil)
        _ = try? FileManager.default.removeItem(atPath: bench.root + "/say")
        bench.status(75)
        pass = courier.pass()
        let order = bench.messages.suffix(1).map { $0.contains("<C.STC.overdue@") }
        #expect(order == [true])
        bench.status(0)
        pass = courier.pass()
        #expect(pass.sent == 2 && pass.temporary == nil)
        #expect(bench.sent.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.outbox + "/.sending").isEmpty)
    }

    @Test func aMissingOrHangingSendmailIsATemporaryFailure() throws {
        let bench = try Bench()
        bench.drop("A.STC.overdue")
        let missing = try bench.courier(sendmail: bench.root + "/no-such-sendmail").pass()
        #expect(missing.temporary?.what.contains("No such file or directory") == true, "\(String(describing: missing.temporary))")
        #expect(bench.list("") .contains("A.STC.overdue.json"))

        let hanging = try Bench(script: "#!/bin/sh\nsleep 30 &\nexec sleep 30\n")
        hanging.drop("A.STC.overdue")
        let clock = ContinuousClock()
        let start = clock.now
        let pass = try hanging.courier(timeout: .seconds(1)).pass()
        #expect(clock.now - start < .seconds(5))
        #expect(pass.temporary?.what.contains("did not finish in time") == true)
        #expect(hanging.list("").contains("A.STC.overdue.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: hanging.outbox + "/.sending").isEmpty)
    }

    @Test func sentAtMostTwiceAcrossCrashes() throws {
        let bench = try Bench()
        bench.drop("A.STC.overdue")
        bench.drop("B.STC.overdue")
        let outbox = try Outbox(path: bench.outbox, maximumBytes: NoticeFile.maximumBytes)
        // A crash after one hand-off of A, and after two of B, each before the outcome was learnt.
        try outbox.handOffBegins(1, of: "A.STC.overdue.json")
        try outbox.handOffBegins(1, of: "B.STC.overdue.json")
        try outbox.handOffBegins(2, of: "B.STC.overdue.json")
        #expect(outbox.unknownHandOffs(of: "B.STC.overdue.json") == 2)
        let pass = try bench.courier().pass()
        #expect(pass.sent == 1 && pass.failed == 1)
        #expect(bench.messages.count == 1)
        #expect(bench.messages[0].contains("<A.STC.overdue@consultd.example.vn>"))
        #expect(try bench.sidecar("B.STC.overdue.json")["code"] == "uncertain_delivery")
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.outbox + "/.sending").isEmpty)
    }

    @Test func staleMarksAreRemoved() throws {
        let bench = try Bench()
        let outbox = try Outbox(path: bench.outbox, maximumBytes: NoticeFile.maximumBytes)
        try outbox.handOffBegins(1, of: "gone.json")
        try outbox.handOffBegins(2, of: "gone.json")
        _ = try bench.courier().pass()
        #expect(try FileManager.default.contentsOfDirectory(atPath: bench.outbox + "/.sending").isEmpty)
    }
}

@Suite("Running sendmail")
struct SendmailRunTests {
    func sendmail(_ script: String, timeout: Duration = .seconds(10)) throws -> Sendmail {
        let path = try TemporaryFolder.make("sendmail") + "/sendmail"
        try writeScript(script, to: path)
        return Sendmail(path: path, sender: try MailAddress("a@example.vn"), timeout: timeout)
    }

    @Test func statusAndWhatItSaid() throws {
        let run = try sendmail("#!/bin/sh\ncat >/dev/null\necho 'postdrop: warning: one'\necho 'two' >&2\nexit 75\n").run(Array("x\n".utf8))
        #expect(run.ending == .exited(75))
        #expect(run.output == "postdrop: warning: one; two")
        #expect(run.verdict == .temporary)
        #expect(run.describe("/usr/sbin/sendmail") == "/usr/sbin/sendmail exited with status 75 (EX_TEMPFAIL): postdrop: warning: one; two")
    }

    @Test func aSendmailThatReadsNothingNeverBlocksUs() throws {
        let run = try sendmail("#!/bin/sh\nexit 0\n").run([UInt8](repeating: 65, count: 4 << 20))
        #expect(run.ending == .exited(0))
        let killed = try sendmail("#!/bin/sh\nkill -9 $$\n").run(Array("x".utf8))
        #expect(killed.ending == .signaled(9))
    }

    @Test func endedWhenAskedToStopWithItsChildren() throws {
        let marker = TemporaryFolder.name("child")
        let run = try sendmail("#!/bin/sh\n(sleep 20; touch \(marker)) &\nsleep 20\n").run(Array("x".utf8), tick: { false })
        #expect(run.ending == .interrupted)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func itsOutputIsBoundedAndOneLine() throws {
        let run = try sendmail("#!/bin/sh\nhead -c 100000 /dev/zero | tr '\\\\0' 'x'\nprintf '\\033[2J\\n'\nexit 1\n").run([])
        #expect(run.ending == .exited(1))
        #expect(run.output.utf8.count <= 4096)
        #expect(!run.output.contains("\n") && !run.output.contains("\u{1B}"))
    }

    @Test func signalsAreAtTheirDefaultInTheChild() throws {
        // consultd-mail ignores SIGPIPE, and its threads block signals: sendmail must not inherit that.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let run = try sendmail("#!/bin/sh\nexec grep -E '^(SigIgn|SigBlk)' /proc/self/status\n").run([])
        func mask(_ name: String) -> UInt64? {
            guard let field = run.output.split(separator: ";").first(where: { $0.contains(name) }) else { return nil }
            return UInt64(field.split(separator: "?").last ?? "", radix: 16)
        }
        #expect(mask("SigBlk") == 0, "\(run.output)")
        // glibc keeps its own two real-time signals (32, 33) as they are; SIGPIPE (13) is at its default.
        let ignored = try #require(mask("SigIgn"), "\(run.output)")
        #expect(ignored & (1 << (UInt64(SIGPIPE) - 1)) == 0 && ignored & 0x7FFF_FFFF == 0, "\(run.output)")
    }
}

@Suite("consultd-mail's setup")
struct MailSetupTests {
    @Test func defaultsFromTheHostAndContactsThatAreNoAddress() throws {
        let text = """
            spool = "/s"
            [leadership]
            contacts = ["leaders@example.vn", "Văn phòng <vp@example.vn>"]
            [agencies.STC]
            office = ["office.stc@example.vn"]
            head = ["giám đốc"]
            """
        let configuration = try ConsultConfig.Configuration.parse(text, path: "/etc/consultd/consultd.toml")
        let setup = try MailSetup(configuration, hostName: "mail.example.vn")
        #expect(setup.identity.domain == "mail.example.vn")
        #expect(setup.identity.from.description == "consultd@mail.example.vn")
        #expect(setup.sendmail.path == "/usr/sbin/sendmail")
        #expect(setup.sendmail.arguments == ["-oi", "-t", "-f", "consultd@mail.example.vn"])
        #expect(setup.contactProblems.count == 2)
        #expect(setup.contactProblems[0].hasPrefix("leadership.contacts[2]: "))
        #expect(setup.contactProblems[0].contains("write the address alone"))
        #expect(setup.contactProblems[1].hasPrefix("agencies.STC.head[1]: "))
        #expect(throws: ConsultConfig.ConfigError.self) { try MailSetup(configuration, hostName: "my_host") }
    }
}
