import ConsultCore
import ConsultTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The installed layout (`systemd/consultd.tmpfiles`) on a temporary site, with real accounts:
/// the daemon runs as an account of its own, `tmp/` and `new/` are 1730 daemon:cdtest-submit,
/// `done/`, `rejected/` and `outbox/` 0750; SXD's and STC's clerks, and a member of
/// cdtest-submit who may speak for no agency, all in cdtest-submit; `authorization = "owner"`.
struct InstalledSite {
    typealias Account = (uid: uid_t, gid: gid_t)
    let site: Site
    let daemon: Account, sxd: Account, stc: Account, foreign: Account

    var spool: String { site.root + "/spool" }
    var new: String { spool + "/new" }

    init() throws {
        daemon = try ensureAccount("cdtest-daemon")
        sxd = try ensureAccount("cdtest-h-sxd", groups: ["cdtest-submit"])
        stc = try ensureAccount("cdtest-h-stc", groups: ["cdtest-submit"])
        foreign = try ensureAccount("cdtest-h-foreign", groups: ["cdtest-submit"])
        site = try Site(submitters: ["SXD": ["user:cdtest-h-sxd"], "STC": ["user:cdtest-h-stc"]])
        let config = try String(contentsOfFile: site.config, encoding: .utf8)
        try config.replacingOccurrences(of: "authorization = \"off\"", with: "authorization = \"owner\"")
            .write(toFile: site.config, atomically: true, encoding: .utf8)
        let submit = try #require(getgrnam("cdtest-submit")).pointee.gr_gid
        for (dir, mode, group) in [("spool", 0o755, daemon.gid), ("spool/tmp", 0o1730, submit), ("spool/new", 0o1730, submit),
                                   ("spool/done", 0o750, daemon.gid), ("spool/rejected", 0o750, daemon.gid),
                                   ("spool/outbox", 0o750, daemon.gid), ("spool/outbox/.tmp", 0o750, daemon.gid),
                                   ("state", 0o750, daemon.gid)] as [(String, mode_t, gid_t)] {
            let path = site.root + "/" + dir
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            #expect(chown(path, daemon.uid, group) == 0 && chmod(path, mode) == 0)
        }
    }

    /// `consultd` as a service, as the daemon's account, reporting to `notify`.
    func start(_ notify: NotifyListener, watchdogMicroseconds: Int) throws -> Process {
        _ = chmod(notify.path, 0o666)
        let daemonProcess = Process()
        daemonProcess.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        daemonProcess.arguments = ["--reuid=\(daemon.uid)", "--regid=\(daemon.gid)", "--init-groups", binary("consultd"), "--config", site.config]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = String(watchdogMicroseconds)
        daemonProcess.environment = environment
        daemonProcess.standardError = FileHandle.nullDevice
        try daemonProcess.run()
        return daemonProcess
    }

    /// A shell command run as `account`.
    @discardableResult
    func run(as account: Account, _ command: String) throws -> Outcome {
        try execute("/usr/bin/setpriv", ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--init-groups", "/bin/sh", "-c", command])
    }

    /// Hands `bytes` off as `account` would: written in `tmp/`, owned by the account, mode 0644,
    /// renamed into `new/` (`name` may hold bytes that are not UTF-8).
    func handOff(_ name: [UInt8], _ bytes: [UInt8], by account: Account) {
        func path(_ dir: String) -> [CChar] { (Array((spool + "/" + dir + "/").utf8) + name + [0]).map { CChar(bitPattern: $0) } }
        let fd = open(path("tmp"), O_WRONLY | O_CREAT | O_EXCL, 0o644)
        bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
        #expect(fchown(fd, account.uid, account.gid) == 0)
        close(fd)
        #expect(rename(path("tmp"), path("new")) == 0)
    }

    func handOff(_ name: String, _ text: String, by account: Account) { handOff(Array(name.utf8), Array(text.utf8), by: account) }

    /// Names in a folder of the site, as bytes decoded leniently (a name that is not UTF-8 shows).
    func list(_ dir: String) -> [String] { site.list(dir) }

    /// The daemon's peak resident memory (`VmHWM`), in KiB.
    static func peakResidentKiB(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
    }

    static func request(_ id: String) -> String {
        #"{"kind": "request", "id": "\#(id)", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#
    }

    static func reply(_ id: String, _ position: String = "agree") -> String {
        #"{"kind": "reply", "request": "\#(id)", "agency": "STC", "received": "2025-03-04T09:00:00+07:00", "position": "\#(position)", "comments": ["Điều 4: bỏ khoản 2 vì trùng Điều 9."]}"#
    }

    /// `text` padded with spaces (still one JSON document) to exactly `size` bytes.
    static func padded(_ text: String, to size: Int) -> [UInt8] {
        var bytes = Array(text.utf8)
        bytes += [UInt8](repeating: 0x20, count: size - bytes.count)
        return bytes
    }
}

/// Issue 12's attacks, each against the running service in the installed layout with real
/// accounts: valid documents beside the hostile ones are applied, memory stays bounded, and
/// WATCHDOG=1 keeps arriving.
@Suite("Hostile submitters against the service in the installed layout", .tags(.root, .slow), .skippedWhenFast, .serialized)
struct HostileSubmittersTests {
    /// A site in the installed layout whose service runs as its own account, under a watchdog of
    /// 2 s, and has said READY=1 (stopped again if it did not).
    func started() throws -> (InstalledSite, NotifyListener, Process) {
        try #require(getuid() == 0, "accounts and setpriv need root")
        try #require(try ensureJournald())
        let s = try InstalledSite()
        let listener = try NotifyListener()
        let daemon = try s.start(listener, watchdogMicroseconds: 2_000_000)
        let ready = listener.wait(for: "READY=1") != nil
        if !ready { stop(daemon) }
        try #require(ready, "the service said no READY=1")
        return (s, listener, daemon)
    }

    func stop(_ daemon: Process) {
        guard daemon.isRunning else { return }
        daemon.terminate()
        daemon.waitUntilExit()
    }

    /// A folder made in new/ by a member of the submitting group (which the daemon may not
    /// rename), a name too long for its sidecar, a name that is not UTF-8: each refused once — one
    /// journal entry, one sidecar — then left alone through later full passes and `--once` runs,
    /// which exit 0.
    @Test func everyRefusalHappensOnce() throws {
        let (s, listener, daemon) = try started()
        defer { stop(daemon) }
        let tag = String(UUID().uuidString.prefix(8))
        let folder = "dir-\(tag)"
        #expect(try s.run(as: s.foreign, "mkdir \(s.new)/\(folder)").status == 0)
        let long = "long-\(tag)-" + String(repeating: "x", count: 245 - 14)
        s.handOff(long, "{", by: s.stc)
        let undecodable = Array("bad-\(tag)-".utf8) + [0xFF] + Array(".json".utf8)
        s.handOff(undecodable, Array("{}".utf8), by: s.stc)
        s.handOff("req-\(tag).json", InstalledSite.request("ONCE-\(tag)"), by: s.sxd)
        s.handOff("reply-\(tag).json", InstalledSite.reply("ONCE-\(tag)"), by: s.stc)

        #expect(eventually(within: .seconds(15)) { s.list("spool/new") == [folder] }, "\(s.list("spool/new"))")
        let done = s.list("spool/done").flatMap { s.list("spool/done/\($0)") }
        #expect(done.contains("req-\(tag).json") && done.contains("reply-\(tag).json"))
        #expect(s.list("spool/rejected").filter { $0.hasPrefix(folder) } == ["\(folder).error.json"])
        #expect(try s.site.json("spool/rejected/\(folder).error.json")["code"] == .string("not_regular_file"))
        let longOnes = s.list("spool/rejected").filter { $0.hasPrefix("long-\(tag)") }
        #expect(longOnes.count == 2 && longOnes.allSatisfy { $0.utf8.count <= 255 }, "\(longOnes)")
        #expect(try s.site.json("spool/rejected/bad-\(tag)-%FF.json.error.json")["code"] == .string("invalid_utf8"))

        // Full passes over the same new/: two reloads, each followed by a rescan of everything.
        for _ in 0..<2 {
            kill(daemon.processIdentifier, SIGHUP)
            #expect(listener.wait(for: "READY=1") != nil)
            Thread.sleep(forTimeInterval: 1.5)
        }
        #expect(s.list("spool/rejected").filter { $0.hasPrefix(folder) } == ["\(folder).error.json"])
        let entries = try journalEntries(["CONSULT_FILE=\(folder)"], atLeast: 1)
        Thread.sleep(forTimeInterval: 1)
        #expect(try journalEntries(["CONSULT_FILE=\(folder)"], atLeast: 1).count == 1)
        #expect(entries.first?["MESSAGE"]?.contains("ignored while it stays") == true)
        #expect(listener.wait(for: "WATCHDOG=1", timeout: 3) != nil, "the entry must not mark the service unhealthy")
        #expect(daemon.isRunning)
        stop(daemon)

        // `consultd --once`, as the daemon: it was handled, so exit 0, and nothing new.
        let once = try s.run(as: s.daemon, "\(binary("consultd")) --config \(s.site.config) --once")
        #expect(once.status == 0, "\(once.stderr)")
        #expect(once.stdout.contains("refused 0"), "\(once.stdout)")
        #expect(s.list("spool/rejected").filter { $0.hasPrefix(folder) } == ["\(folder).error.json"])
    }

    /// 300 one-MiB replies from an account allowed for no agency are refused unread, while 300
    /// one-MiB requests from SXD's clerk are read and applied in rounds bounded by bytes:
    /// resident memory stays under 256 MiB.
    @Test func aForeignAccountsFilesAreRefusedUnreadAndMemoryStaysBounded() throws {
        let (s, listener, daemon) = try started()
        defer { stop(daemon) }
        let tag = String(UUID().uuidString.prefix(8))
        let mib = 1 << 20
        let before = try #require(InstalledSite.peakResidentKiB(daemon.processIdentifier))
        for i in 0..<300 {
            s.handOff(Array("foreign-\(tag)-\(i).json".utf8), InstalledSite.padded(InstalledSite.reply("MEM-\(tag)-0"), to: mib), by: s.foreign)
            s.handOff(Array("req-\(tag)-\(i).json".utf8), InstalledSite.padded(InstalledSite.request("MEM-\(tag)-\(i)"), to: mib), by: s.sxd)
        }
        s.handOff("reply-\(tag).json", InstalledSite.reply("MEM-\(tag)-0"), by: s.stc)
        // 300 MiB of JSON parsed by a debug build: minutes on a loaded two-core machine.
        #expect(eventually(within: .seconds(420), every: .milliseconds(500)) { s.list("spool/new").isEmpty })
        let peak = try #require(InstalledSite.peakResidentKiB(daemon.processIdentifier))
        print("peak resident memory: \(before / 1024) MiB at READY, \(peak / 1024) MiB after 600 one-MiB files (VmHWM)")
        #expect(peak < 256 * 1024)
        let rejected = s.list("spool/rejected").filter { $0.hasPrefix("foreign-\(tag)") && $0.hasSuffix(".error.json") }
        #expect(rejected.count == 300)
        let sidecar = try s.site.json("spool/rejected/foreign-\(tag)-7.json.error.json")
        #expect(sidecar["code"] == .string("unauthorized"))
        if case let .string(reason) = sidecar["reason"] { #expect(reason.contains("unread")) }
        let done = s.list("spool/done").flatMap { s.list("spool/done/\($0)") }
        #expect(done.filter { $0.hasPrefix("req-\(tag)") }.count == 300)
        #expect(done.contains("reply-\(tag).json"))
        #expect(listener.wait(for: "WATCHDOG=1", timeout: 3) != nil)
    }

    /// A submitter who kept a descriptor open across the hand-off rewrites its file after the
    /// disagreement was applied: what done/ holds is the daemon's own copy, unchanged.
    /// `consultctl verify` finds every document, then names one changed and one removed.
    @Test func theArchiveBelongsToTheDaemon() throws {
        let (s, _, daemon) = try started()
        defer { stop(daemon) }
        let tag = String(UUID().uuidString.prefix(8)), id = "ARC-\(tag)"
        s.handOff("req-\(tag).json", InstalledSite.request(id), by: s.sxd)
        #expect(eventually { s.list("spool/new").isEmpty })
        // The clerk's file, and a descriptor on it opened before the hand-off (whoever holds it,
        // it writes to that inode).
        let disagree = InstalledSite.reply(id, "disagree"), staged = s.spool + "/tmp/reply-\(tag).json"
        _ = FileManager.default.createFile(atPath: staged, contents: Data(disagree.utf8))
        #expect(chown(staged, s.stc.uid, s.stc.gid) == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: staged))
        #expect(rename(staged, s.new + "/reply-\(tag).json") == 0)
        _ = try journalEntries(["CONSULT_ID=\(id)", "CONSULT_EVENT=disagreement"], atLeast: 1)
        #expect(eventually { s.list("spool/new").isEmpty })
        try handle.seek(toOffset: 0)
        handle.write(Data(InstalledSite.reply(id, "agree").utf8))
        try handle.truncate(atOffset: UInt64(InstalledSite.reply(id, "agree").utf8.count))
        try handle.close()

        let day = try #require(s.list("spool/done").first)
        let kept = "\(s.spool)/done/\(day)/reply-\(tag).json"
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == disagree)
        var st = stat()
        #expect(lstat(kept, &st) == 0 && st.st_uid == s.daemon.uid, "the archived file belongs to the daemon")
        let verify = { try execute(binary("consultctl"), ["--config", s.site.config, "verify"]) }
        let clean = try verify()
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")

        // Changed by someone who can (root), and one removed: both named, exit 1.
        try "tampered".write(toFile: kept, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: "\(s.spool)/done/\(day)/req-\(tag).json")
        let dirty = try verify()
        #expect(dirty.status == 1)
        #expect(dirty.stdout.contains("differs  \(kept)"), "\(dirty.stdout)")
        #expect(dirty.stdout.contains("missing  \(s.spool)/done/\(day)/req-\(tag).json"), "\(dirty.stdout)")
    }

    /// A held reply is not read again while its file is unchanged — by a restarted service (what
    /// is held is remembered in the store) nor by its full rescans: its bytes are changed in place
    /// while the service is stopped, size and modification time kept, and a read would refuse
    /// them. Once its request comes, a held reply is applied at once.
    @Test func heldRepliesAreNotReadAgainWhileUnchanged() throws {
        var (s, listener, daemon) = try started()
        defer { stop(daemon) }
        let tag = String(UUID().uuidString.prefix(8))
        let waiting = "waiting-\(tag).json", never = "never-\(tag).json"
        s.handOff(Array(waiting.utf8), InstalledSite.padded(InstalledSite.reply("HELD-\(tag)"), to: 512 << 10), by: s.stc)
        s.handOff(Array(never.utf8), InstalledSite.padded(InstalledSite.reply("NEVER-\(tag)"), to: 512 << 10), by: s.stc)
        _ = try journalEntries(["CONSULT_EVENT=held", "CONSULT_FILE=\(never)"], atLeast: 1)
        _ = try journalEntries(["CONSULT_EVENT=held", "CONSULT_FILE=\(waiting)"], atLeast: 1)
        stop(daemon)

        // Changed in place while nothing watches, size and modification time kept.
        let path = s.new + "/" + never
        var st = stat()
        #expect(stat(path, &st) == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        handle.write(Data(repeating: UInt8(ascii: "x"), count: 512 << 10))
        try handle.close()
        var times = [st.st_atim, st.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)

        daemon = try s.start(listener, watchdogMicroseconds: 2_000_000)
        #expect(listener.wait(for: "READY=1") != nil)
        #expect(listener.wait(for: "WATCHDOG=1", timeout: 5) != nil)   // after the first full pass
        func bytesRead() -> Int {
            let io = (try? String(contentsOfFile: "/proc/\(daemon.processIdentifier)/io", encoding: .utf8)) ?? ""
            return Int(io.split(separator: "\n").first { $0.hasPrefix("rchar:") }?.split(separator: " ").last ?? "") ?? 0
        }
        let readBefore = bytesRead()
        kill(daemon.processIdentifier, SIGHUP)   // a reload, then a full rescan
        #expect(listener.wait(for: "READY=1") != nil)
        Thread.sleep(forTimeInterval: 1.5)
        let read = bytesRead() - readBefore
        #expect(read < 256 << 10, "the rescan read \(read) bytes: the held replies were read again")
        #expect(Set(s.list("spool/new")) == [waiting, never])
        #expect(!s.list("spool/rejected").contains("\(never).error.json"))

        s.handOff("req-\(tag).json", InstalledSite.request("HELD-\(tag)"), by: s.sxd)
        #expect(eventually(within: .seconds(5)) { s.list("spool/new") == [never] }, "\(s.list("spool/new"))")
        #expect(listener.wait(for: "WATCHDOG=1", timeout: 3) != nil)
    }

    /// A reply held for its request waits in new/, where any submitter could open it by name:
    /// with the shipped default ACL on tmp/, `consultctl submit` makes it 0640, readable by the
    /// daemon through the ACL and by no other submitter; the daemon applies it when the request
    /// comes.
    @Test func aHeldReplyIsReadableByTheDaemonAloneAfterSubmit() throws {
        let (s, _, daemon) = try started()
        defer { stop(daemon) }
        // The line of systemd/consultd.tmpfiles, for this site's daemon account.
        let acl = try execute("/usr/bin/setfacl", ["-m", "d:user:cdtest-daemon:r--", s.spool + "/tmp"])
        try #require(acl.status == 0, "setfacl: \(acl.stderr)")
        let tag = String(UUID().uuidString.prefix(8))
        let home = TemporaryFolder.name("held-acl")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        #expect(chmod(home, 0o777) == 0)
        try InstalledSite.reply("ACL-\(tag)", "disagree").write(toFile: home + "/r-\(tag).json", atomically: false, encoding: .utf8)
        #expect(chown(home + "/r-\(tag).json", s.stc.uid, s.stc.gid) == 0)
        let submitted = try s.run(as: s.stc, "\(binary("consultctl")) submit --config \(s.site.config) \(home)/r-\(tag).json")
        #expect(submitted.status == 0, "\(submitted.stderr)")
        _ = try journalEntries(["CONSULT_EVENT=held", "CONSULT_FILE=r-\(tag).json"], atLeast: 1)
        let held = s.new + "/r-\(tag).json"
        var st = stat()
        #expect(stat(held, &st) == 0 && st.st_mode & 0o777 == 0o640 && st.st_uid == s.stc.uid)
        // Another agency's clerk, and an account that speaks for none, both in the submitting group.
        for account in [s.sxd, s.foreign] {
            let peek = try s.run(as: account, "cat \(held)")
            #expect(peek.status != 0 && peek.stderr.contains("Permission denied") && !peek.stdout.contains("Điều 4"), "\(peek.stdout)")
        }
        s.handOff("q-\(tag).json", InstalledSite.request("ACL-\(tag)"), by: s.sxd)
        #expect(eventually(within: .seconds(10)) { s.list("spool/new").isEmpty }, "\(s.list("spool/new"))")
        _ = try journalEntries(["CONSULT_EVENT=accepted", "CONSULT_FILE=r-\(tag).json"], atLeast: 1)
    }

    /// 65,000 junk files waiting when the service starts: refused in batches, WATCHDOG=1 never
    /// more than 10 s apart (the unit allows 30 s), the valid documents beside them applied.
    /// Last of the suite: its 65,000 journal entries may set off journald's rate limit.
    @Test func aJunkBacklogNeverStarvesTheWatchdog() throws {
        try #require(getuid() == 0, "accounts and setpriv need root")
        try #require(try ensureJournald())
        let s = try InstalledSite()
        let tag = String(UUID().uuidString.prefix(8))
        let junk = 65_000
        for i in 0..<junk {
            let fd = open("\(s.new)/junk-\(tag)-\(i).json", O_WRONLY | O_CREAT | O_EXCL, 0o644)
            _ = write(fd, "{", 1)
            _ = fchown(fd, s.stc.uid, s.stc.gid)
            close(fd)
        }
        s.handOff("req-\(tag).json", InstalledSite.request("JUNK-\(tag)"), by: s.sxd)
        s.handOff("reply-\(tag).json", InstalledSite.reply("JUNK-\(tag)"), by: s.stc)
        let listener = try NotifyListener()
        let daemon = try s.start(listener, watchdogMicroseconds: 10_000_000)
        defer { stop(daemon) }
        try #require(listener.wait(for: "READY=1") != nil)
        let started = ContinuousClock.now
        #expect(eventually(within: .seconds(600), every: .seconds(1)) { (try? FileManager.default.contentsOfDirectory(atPath: s.new))?.isEmpty ?? false })
        let finished = ContinuousClock.now
        let pings = listener.arrivals.filter { $0.message.contains("WATCHDOG=1") || $0.message.contains("READY=1") }.map(\.at)
        let times = pings.filter { $0 <= finished } + [finished]
        let longest = zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? .zero
        print("\(junk) junk files refused in \(finished - started); longest wait for WATCHDOG=1: \(longest)")
        #expect(longest < .seconds(10))
        let done = s.list("spool/done").flatMap { s.list("spool/done/\($0)") }
        #expect(done.contains("req-\(tag).json") && done.contains("reply-\(tag).json"))
        #expect(s.list("spool/rejected").count >= 2 * junk)
        #expect(daemon.isRunning)
    }
}
