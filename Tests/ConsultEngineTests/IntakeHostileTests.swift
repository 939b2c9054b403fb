import ConsultCore
@testable import ConsultEngine
import ConsultSpool
import ConsultStore
import ConsultTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// Issue 12's attacks on the intake, one pass at a time (the service's side is in the end-to-end
/// tests): every refusal happens once, files are refused before they are read, refusals are
/// batched with the watchdog fed between batches, held replies are not read again while unchanged.
@Suite("Intake against hostile entries")
struct IntakeHostileTests {
    static let orphan = #"{"kind":"reply","request":"HN-2025-SXD-0153","agency":"STC","received":"2025-01-22T10:00:00+07:00","position":"agree"}"#

    func chattr(_ flag: String, _ path: String) -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        p.arguments = [flag, path]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// A folder the daemon cannot move (immutable here; a submitter's own folder in the installed
    /// layout) is refused once — one sidecar, no I/O failure — and then left alone, by later
    /// `--once` runs too, while valid documents beside it are applied. Once it is gone it is
    /// forgotten.
    @Test(.enabled(if: getuid() == 0, "chattr needs root"))
    func anEntryThatCannotBeMovedIsRefusedOnceAcrossRuns() throws {
        let b = try Bench()
        let dir = b.new + "/d"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        try #require(chattr("+i", dir), "needs a file system with immutable folders")
        defer { _ = chattr("-i", dir) }
        b.put("request.json", Bench.request)
        let first = try b.run("2025-01-21T09:00:00+07:00")
        #expect(first.applied == 1)
        #expect(first.refused == 1)
        #expect(first.ioFailures == 0)
        #expect(b.list("rejected") == ["d.error.json"])
        #expect(try b.code("d") == "not_regular_file")

        let again = try Bench(root: b.root)   // as a later `consultd --once` would
        b.put("reply.json", Self.orphan)
        let second = try again.run("2025-01-22T11:00:00+07:00")
        #expect(second == { var s = PassSummary(); s.applied = 1; s.ignored = 1; s.tally.applied = ["reply": 1]; return s }())
        #expect(b.list("rejected") == ["d.error.json"])
        #expect(try again.store.read { tx in try tx.unmovableEntries().map(\.name) } == ["d"])

        #expect(chattr("-i", dir))
        try FileManager.default.removeItem(atPath: dir)
        _ = try again.run("2025-01-22T12:00:00+07:00")
        #expect(try again.store.read { tx in try tx.unmovableEntries() }.isEmpty)
    }

    /// Under `authorization = "owner"`, a file whose owner may speak for no agency is refused
    /// `unauthorized` before it is read (its broken JSON is never seen); a file of an account
    /// allowed for some agency is read and judged.
    @Test func aFileOfAnAccountAllowedForNoAgencyIsRefusedUnread() throws {
        let b = try Bench(authorization: "owner")
        b.put("foreign.json", "{")
        b.put("allowed.json", "{")
        #expect(chown(b.new + "/foreign.json", 1, 1) == 0)   // daemon: no agency lists it
        let summary = try b.run("2025-01-21T09:00:00+07:00")
        #expect(summary.refused == 2)
        #expect(try b.code("foreign.json") == "unauthorized")
        if case let .string(reason) = try b.sidecar("foreign.json")["reason"] { #expect(reason.contains("no agency")) }
        #expect(try b.code("allowed.json") == "malformed_json")
    }

    /// A held reply is not read again while its file is unchanged (here its bytes are changed in
    /// place with size and modification time kept, so a read would show); a change of its
    /// modification time brings it back.
    @Test func aHeldReplyIsNotReadAgainWhileItsFileIsUnchanged() throws {
        let b = try Bench()
        let path = b.new + "/reply.json"
        b.put("reply.json", Self.orphan)
        #expect(try b.run("2025-01-22T11:00:00+07:00").held == 1)
        var st = stat()
        #expect(stat(path, &st) == 0)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        handle.write(Data(String(repeating: "x", count: Self.orphan.utf8.count).utf8))
        try handle.close()
        var times = [st.st_atim, st.st_mtim]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        let later = try Bench(root: b.root)
        #expect(try later.run("2025-01-23T11:00:00+07:00") == { var s = PassSummary(); s.held = 1; return s }())
        #expect(try later.run("2025-01-23T11:05:00+07:00").held == 1)
        times[1].tv_sec += 1
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        #expect(try later.run("2025-01-23T11:10:00+07:00").refused == 1)
        #expect(try later.code("reply.json") == "malformed_json")
    }

    /// Rounds end at a number of bytes as well as of documents: with a round of one byte every
    /// document is a round of its own, and a reply read before its request is still applied in
    /// the same pass.
    @Test func roundsAreBoundedByBytesAndHeldRepliesFindTheirRequest() throws {
        let b = try Bench()
        b.engine.intake.roundBytes = 1
        b.put("a-reply.json", Self.orphan)
        b.put("b-reply.json", Self.orphan.replacingOccurrences(of: "STC", with: "STP"))
        b.put("z-request.json", Bench.request)
        let pass = try b.run("2025-01-22T11:00:00+07:00")
        #expect(pass.applied == 3)
        #expect(pass.held == 0)
        #expect(b.list("new").isEmpty)
    }

    /// Refusals are moved in batches, and the caller's `betweenBatches` (the service's watchdog)
    /// is called between them.
    @Test func refusalsAreBatchedAndTheCallerIsCalledBetweenBatches() throws {
        let b = try Bench()
        b.engine.intake.refusalBatchSize = 10
        let calls = Mutex(0)
        b.engine.control.betweenBatches = { calls.withLock { $0 += 1 } }
        for i in 0..<35 { b.put(String(format: "junk-%02d.json", i), "{") }
        try FileManager.default.createDirectory(atPath: b.new + "/folder", withIntermediateDirectories: false)
        let summary = try b.run("2025-01-21T09:00:00+07:00")
        #expect(summary.refused == 36)
        #expect(calls.withLock { $0 } >= 4)
        #expect(b.list("rejected").count == 72)
        #expect(b.list("new").isEmpty)
    }

    /// Entries refused unread are moved before the next round is read: a long take of large
    /// documents does not keep them waiting in new/ until its end.
    @Test func refusalsAreMovedBeforeTheNextRoundIsApplied() throws {
        let b = try Bench()
        b.engine.intake.roundBytes = 1
        for i in 0..<3 { #expect(symlink("/etc/passwd", b.new + "/a-link-\(i).json") == 0) }
        b.put("b-request.json", Bench.request)
        b.put("c-request.json", Bench.request.replacingOccurrences(of: "0153", with: "0154"))
        let linksWaiting = Mutex<[Int]>([])
        let new = b.new
        b.engine.control.betweenBatches = {
            let waiting = ((try? FileManager.default.contentsOfDirectory(atPath: new)) ?? []).filter { $0.hasPrefix("a-link") }
            linksWaiting.withLock { $0.append(waiting.count) }
        }
        let pass = try b.run("2025-01-22T11:00:00+07:00")
        #expect(pass.applied == 2 && pass.refused == 3)
        #expect(!linksWaiting.withLock { $0 }.isEmpty)
        #expect(linksWaiting.withLock { $0 }.allSatisfy { $0 == 0 }, "\(linksWaiting.withLock { $0 })")
    }

    /// The service settles the archive when the intake is quiet, not after each round (a syncfs
    /// holds up the store's commits); before it exits, the round's folder is marked cached in
    /// this boot, and the next start settles it: the submitter's file is kept there until then.
    @Test func theArchiveIsSettledWhenQuietAndBeforeExit() throws {
        let b = try Bench()
        b.engine.intake.settleQuiet = .seconds(3600)
        b.put("request.json", Bench.request)
        let staging = b.root + "/spool/done/.tmp"
        _ = try b.engine.pass(now: Instant(rfc3339: "2025-01-21T09:00:00+07:00")!)
        _ = try b.engine.pass(now: Instant(rfc3339: "2025-01-21T09:01:00+07:00")!)
        let holding = try FileManager.default.contentsOfDirectory(atPath: staging)
        #expect(holding.count == 1 && holding.allSatisfy { !$0.hasPrefix("synced.") }, "\(holding)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging + "/" + holding[0]) == ["request.json"])
        try b.engine.intake.settleBeforeExit()
        let boot = try #require(Spool.bootID)
        let marked = try FileManager.default.contentsOfDirectory(atPath: staging)
        #expect(marked == ["cached.\(boot).\(holding[0])"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging + "/" + marked[0]) == ["request.json"])
        // Quiet at once: the reaper settles the next round's folder, and removes it.
        b.engine.intake.settleQuiet = .zero
        b.put("second.json", Bench.request.replacingOccurrences(of: "0153", with: "0154"))
        _ = try b.engine.pass(now: Instant(rfc3339: "2025-01-21T09:02:00+07:00")!)
        #expect(b.list("new").isEmpty)
        #expect(eventually { (try? FileManager.default.contentsOfDirectory(atPath: staging)) == marked })
        // The next process settles the one left cached (a syncfs, then its files removed) before
        // its `--once` returns.
        _ = try Bench(root: b.root).run("2025-01-21T09:03:00+07:00")
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty)
        #expect(b.list("done/2025-01-21").sorted() == ["request.json", "second.json"])
    }

    /// What a crash or an earlier `--once` run left in done/.tmp is dealt with by the next run: a
    /// copy the crash left unmade is made from the submitter's file kept, and every folder set
    /// aside is removed before the run returns.
    @Test func theNextRunFinishesWhatEarlierOnesLeftInTheArchive() throws {
        let b = try Bench()
        // Applied by an earlier run, which crashed before its copy was made.
        b.put("request.json", Bench.request)
        _ = try b.run("2025-01-20T10:00:00+07:00")
        #expect(unlink(b.root + "/spool/done/2025-01-20/request.json") == 0)
        let staging = b.root + "/spool/done/.tmp"
        let holding = staging + "/2025-01-20.99.1", synced = staging + "/synced.2025-01-20.99.0"
        for dir in [holding, synced] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        _ = FileManager.default.createFile(atPath: holding + "/request.json", contents: Data(Bench.request.utf8))
        _ = FileManager.default.createFile(atPath: synced + "/old.json", contents: Data("{}".utf8))
        _ = try Bench(root: b.root).run("2025-01-21T09:00:00+07:00")   // the next process
        #expect(try String(contentsOfFile: b.root + "/spool/done/2025-01-20/request.json", encoding: .utf8) == Bench.request)
        #expect(!FileManager.default.fileExists(atPath: holding))
        #expect(!FileManager.default.fileExists(atPath: synced))
    }

    /// A name that is not UTF-8 is refused `invalid_utf8` and moved under its escaped name; a
    /// name too long for its sidecar is refused once, its generated names within NAME_MAX.
    @Test func namesThatAreNotUTF8OrTooLongAreRefusedOnce() throws {
        let b = try Bench()
        let raw = Array((b.new + "/bad-").utf8) + [0xFF, 0xFE] + Array(".json".utf8) + [0]
        let fd = open(raw.map { CChar(bitPattern: $0) }, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        close(fd)
        let long = String(repeating: "l", count: 240) + ".json"
        b.put(long, "{")
        let first = try b.run("2025-01-21T09:00:00+07:00")
        #expect(first.refused == 2)
        #expect(first.ioFailures == 0)
        #expect(try b.code("bad-%FF%FE.json") == "invalid_utf8")
        #expect(try b.sidecar("bad-%FF%FE.json")["file"] == .string("bad-%FF%FE.json"))
        let sidecars = b.list("rejected").filter { $0.hasSuffix(".error.json") && $0.hasPrefix("lll") }
        #expect(sidecars.count == 1)
        #expect(sidecars.allSatisfy { $0.utf8.count <= 255 })
        #expect(b.list("new").isEmpty)
        #expect(try b.run("2025-01-21T09:01:00+07:00") == PassSummary())
    }
}

/// A file left in a holding folder that is no document archived (it took the name of one
/// applied, and could not be moved back then) goes back to new/ when the round is settled.
@Suite("Settling the archive's holding folders")
struct SettlingTests {
    @Test func aStrayGoesBackToNewAndIsNeverRemoved() throws {
        let b = try Bench()
        let spool = Spool(root: b.root + "/spool", outbox: b.root + "/spool/outbox")
        let holding = spool.doneStaging + "/2025-03-10.1.1"
        try FileManager.default.createDirectory(atPath: holding, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: holding + "/a.json", contents: Data("second".utf8))
        b.put("a.json", "third")   // the name is taken again meanwhile: put back under a free one
        #expect(Intake.putBackStrays((holding, -1, ["a.json"]), spool: spool, logger: Logger(label: "test")))
        #expect(b.list("new").count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: holding).isEmpty)
        // new/ gone: it cannot be put back, and says so; the file stays where it is.
        _ = FileManager.default.createFile(atPath: holding + "/b.json", contents: Data("x".utf8))
        try FileManager.default.removeItem(atPath: spool.new)
        #expect(!Intake.putBackStrays((holding, -1, ["b.json"]), spool: spool, logger: Logger(label: "test")))
        #expect(FileManager.default.fileExists(atPath: holding + "/b.json"))
    }
}
