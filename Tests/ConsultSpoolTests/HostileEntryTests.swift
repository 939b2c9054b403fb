import ConsultCore
@testable import ConsultSpool
import ConsultTestSupport
import Foundation
import Testing

/// Entries no submitter should be able to wedge the intake with (issue 12): names too long for a
/// sidecar or a suffix, names that are not UTF-8, entries that cannot be moved; and the archive,
/// which holds the daemon's own copies.
@Suite("Spool: hostile entries and the archive")
struct HostileEntryTests {
    let spool: Spool

    init() throws { spool = try freshSpool() }

    func put(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: spool.new + "/" + name, contents: Data(text.utf8))
    }

    func entries(_ dir: String) -> [String] { ((try? FileSystem.entries(dir)) ?? []).map(\.name) }

    @Test func generatedNamesStayWithinNameMaxAndAreShortenedTheSameWayEachTime() {
        let long = String(repeating: "ả", count: 120) + ".json"   // 245 bytes
        #expect(SpoolNames.fitted("a.json") == "a.json")
        let fitted = SpoolNames.fitted(long, reserve: 11)
        #expect(fitted.utf8.count <= 244)
        #expect(fitted == SpoolNames.fitted(long, reserve: 11))
        #expect(fitted.hasPrefix("ảả"))
        #expect(SpoolNames.candidate(long, 1, reserve: 11) != SpoolNames.candidate(long, 2, reserve: 11))
        for n in 0..<3 { #expect(SpoolNames.candidate(String(repeating: "x", count: 255), n).utf8.count <= 255) }
    }

    @Test func aRefusedFileWithALongNameIsMovedWithItsSidecar() throws {
        let name = String(repeating: "n", count: 250)
        put(name, "{")
        let first = try spool.reject(name, refusal: Refusal(.malformedJSON, "broken"), at: "x")
        put(name, "[")
        let second = try spool.reject(name, refusal: Refusal(.malformedJSON, "broken"), at: "x")
        #expect(first != second)
        for moved in [first, second] {
            #expect((moved + ".error.json").utf8.count <= 255)
            let sidecar = try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: spool.rejected + "/" + moved + ".error.json"))))
            #expect(sidecar["file"] == .string(name))
        }
        #expect(try spool.waiting().isEmpty)
        #expect(entries(spool.rejectedStaging).isEmpty)
    }

    @Test func aNameThatIsNotUTF8IsListedEscapedAndMovedUnderThatName() throws {
        let raw: [UInt8] = Array("caf".utf8) + [0xE9] + Array("%.json".utf8)
        let path = Array((spool.new + "/").utf8) + raw + [0]
        let fd = open(path.map { CChar(bitPattern: $0) }, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        close(fd)
        let listed = try spool.listing()
        #expect(listed.map(\.name) == ["caf%E9%25.json"])
        #expect(listed.first?.undecodable == raw)
        #expect(SpoolNames.unescaped("caf%E9%25.json") == raw)
        #expect(SpoolNames.unescaped("report%20final.json") == nil)   // a valid name stands for itself
        #expect(SpoolEntry(reported: "caf%E9%25.json", in: spool.new) == listed.first)
        let results = spool.reject([Rejection(listed[0], Refusal(.invalidUTF8, "bad name"), owner: nil)], at: "x")
        guard case let .moved(moved) = results.first else { Issue.record("\(results)"); return }
        #expect(moved == "caf%E9%25.json")
        #expect(entries(spool.rejected) == ["caf%E9%25.json", "caf%E9%25.json.error.json"])
        #expect(try spool.listing().isEmpty)
    }

    /// An entry the daemon may not move (here a folder made immutable, which even root cannot
    /// rename; under the installed layout, a submitter's folder): its sidecar is written once,
    /// and it stays.
    @Test(.enabled(if: getuid() == 0, "chattr needs root"))
    func anEntryThatCannotBeMovedIsReportedAsSuch() throws {
        let dir = spool.new + "/d"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        guard (try? execute("/usr/bin/chattr", ["+i", dir]))?.status == 0 else { return }   // not ext4
        defer { _ = try? execute("/usr/bin/chattr", ["-i", dir]) }
        let entry = try #require(try spool.listing().first)
        let results = spool.reject([Rejection(entry, Refusal(.notRegularFile, "a directory"), owner: nil)], at: "x")
        guard case let .unmovable(sidecar, error) = results.first else { Issue.record("\(results)"); return }
        #expect(sidecar == "d.error.json")
        #expect(error.errno == EPERM)
        #expect(entries(spool.rejected) == ["d.error.json"])
        #expect(FileManager.default.fileExists(atPath: dir))
    }

    /// The archive holds the bytes that were read, in a file of the daemon's own: the submitter's
    /// descriptor, kept open across the hand-off, writes to a file that is no longer there. The
    /// submitter's file is kept, aside, until the copy is durable, then handed over for removal.
    @Test func theArchiveIsTheDaemonsCopyNotTheSubmittersFile() throws {
        put("a.json", #"{"position": "disagree"}"#)
        let handle = try #require(FileHandle(forUpdatingAtPath: spool.new + "/a.json"))
        guard case let .file(read) = spool.read("a.json", maxBytes: 1 << 20) else { Issue.record("not read"); return }
        let archive = try Archive(spool: spool, date: LocalDate(iso: "2025-03-10")!)
        #expect(try archive.archive([Archive.Item(name: "a.json", bytes: read.bytes, status: read.status)]).map { try $0.get() } == ["a.json"])
        let held = try { try spool.syncArchive(); return try spool.markSynced(holding: archive.holdingPath) }()
        #expect(held.hasPrefix(spool.doneStaging + "/synced.2025-03-10."))
        #expect(entries(held) == ["a.json"])
        try handle.seek(toOffset: 0)
        handle.write(Data(#"{"position": "agree"}   "#.utf8))
        try handle.synchronize()
        let kept = spool.done + "/2025-03-10/a.json"
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == #"{"position": "disagree"}"#)
        var st = stat()
        #expect(lstat(kept, &st) == 0 && UInt64(st.st_ino) != read.status.inode)
        #expect(try spool.waiting().isEmpty)
        FileSystem.removeFolder(held)
        #expect(entries(spool.doneStaging).isEmpty)
    }

    /// A file put in new/ under the same name after the one applied was read is not archived in
    /// its place: it goes back to new/, to be judged on its own.
    @Test func aFileThatReplacedTheOneReadGoesBackToNew() throws {
        put("a.json", "first")
        guard case let .file(read) = spool.read("a.json", maxBytes: 1 << 20) else { Issue.record("not read"); return }
        _ = FileManager.default.createFile(atPath: spool.root + "/other", contents: Data("second".utf8))
        #expect(rename(spool.root + "/other", spool.new + "/a.json") == 0)
        let archive = try Archive(spool: spool, date: LocalDate(iso: "2025-03-10")!)
        #expect(try archive.archive([Archive.Item(name: "a.json", bytes: read.bytes, status: read.status)]).map { try $0.get() } == ["a.json"])
        #expect(try String(contentsOfFile: spool.done + "/2025-03-10/a.json", encoding: .utf8) == "first")
        #expect(try String(contentsOfFile: spool.new + "/a.json", encoding: .utf8) == "second")
    }

    /// A submitter that removes its file after it was applied and puts a folder of the same name
    /// in its place (here made immutable: under the installed layout the daemon may not move a
    /// submitter's folder) cannot keep the document out of the archive: the copy is made.
    @Test(.enabled(if: getuid() == 0, "chattr needs root"))
    func aFolderPutInPlaceOfTheFileReadDoesNotKeepItsCopyOut() throws {
        put("a.json", "applied")
        guard case let .file(read) = spool.read("a.json", maxBytes: 1 << 20) else { Issue.record("not read"); return }
        let dir = spool.new + "/a.json"
        #expect(unlink(dir) == 0)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        guard (try? execute("/usr/bin/chattr", ["+i", dir]))?.status == 0 else { return }   // not ext4
        defer { _ = try? execute("/usr/bin/chattr", ["-i", dir]) }
        let archive = try Archive(spool: spool, date: LocalDate(iso: "2025-03-10")!)
        #expect(try archive.archive([Archive.Item(name: "a.json", bytes: read.bytes, status: read.status)]).map { try $0.get() } == ["a.json"])
        #expect(try String(contentsOfFile: spool.done + "/2025-03-10/a.json", encoding: .utf8) == "applied")
        var st = stat()
        #expect(lstat(dir, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR)
    }

    /// After a crash: in a holding folder not marked synced, a document whose copy is missing
    /// (the crash came before it was made) or torn (a power cut) has it written again from the
    /// submitter's file kept there — if it holds bytes applied, within the size limit; synced
    /// folders are only to be removed.
    @Test func recoveryWritesTheCopiesACrashLeftUndone() throws {
        let day = spool.done + "/2025-03-10", holding = spool.doneStaging + "/2025-03-10.123.4"
        let synced = spool.doneStaging + "/synced.2025-03-10.123.3"
        for dir in [day, holding, synced] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        _ = FileManager.default.createFile(atPath: holding + "/torn.json", contents: Data("applied".utf8))
        _ = FileManager.default.createFile(atPath: day + "/torn.json", contents: Data())
        _ = FileManager.default.createFile(atPath: holding + "/missing.json", contents: Data("also applied".utf8))
        _ = FileManager.default.createFile(atPath: holding + "/whole.json", contents: Data("whole".utf8))
        _ = FileManager.default.createFile(atPath: day + "/whole.json", contents: Data("whole".utf8))
        _ = FileManager.default.createFile(atPath: synced + "/old.json", contents: Data("x".utf8))
        // Its submitter wrote to this one after it was applied: those bytes never replace the copy.
        _ = FileManager.default.createFile(atPath: holding + "/rewritten.json", contents: Data("agree".utf8))
        _ = FileManager.default.createFile(atPath: day + "/rewritten.json", contents: Data("disagree".utf8))
        _ = FileManager.default.createFile(atPath: holding + "/huge.json", contents: Data(repeating: 32, count: 2048))
        let applied = Set(["applied", "also applied", "whole"].map { SHA256.hex(Array($0.utf8)) })
        let found = try spool.recoverArchive(maxBytes: 1024) { hashes in
            Dictionary(uniqueKeysWithValues: hashes.intersection(applied).map { ($0, Instant(seconds: 1_741_572_000)) })
        }
        let (toRemove, problems) = (found.synced, found.problems)
        #expect(Set(toRemove) == [synced, spool.doneStaging + "/synced.2025-03-10.123.4"] && found.cached.isEmpty)
        #expect(try String(contentsOfFile: day + "/torn.json", encoding: .utf8) == "applied")
        #expect(try String(contentsOfFile: day + "/missing.json", encoding: .utf8) == "also applied")
        #expect(try String(contentsOfFile: day + "/whole.json", encoding: .utf8) == "whole")
        #expect(try String(contentsOfFile: day + "/rewritten.json", encoding: .utf8) == "disagree")
        #expect(!FileManager.default.fileExists(atPath: day + "/huge.json"))
        #expect(problems.count == 2 && problems.contains { $0.contains("rewritten.json") } && problems.contains { $0.contains("huge.json") },
                "\(problems)")
        // What is no document applied was submitted all the same: back in new/, never removed.
        #expect(problems.allSatisfy { $0.contains("put back in new/") }, "\(problems)")
        #expect(try String(contentsOfFile: spool.new + "/rewritten.json", encoding: .utf8) == "agree")
        #expect(FileManager.default.fileExists(atPath: spool.new + "/huge.json"))
        for dir in toRemove { FileSystem.removeFolder(dir) }
        #expect(entries(spool.doneStaging).isEmpty)
    }

    /// A round's folder marked `cached.` as its process exited is trusted in the boot that
    /// marked it — its copies are whole, in the page cache: only a syncfs is owed, left to the
    /// caller — and checked as after a crash once the boot id differs (the page cache may have
    /// been lost with a power cut).
    @Test func aFolderCachedInThisBootIsTrustedAndOneOfAnotherBootChecked() throws {
        let boot = try #require(Spool.bootID)
        let other = String(boot.reversed()) == boot ? String(repeating: "0", count: 32) : String(boot.reversed())
        let day = spool.done + "/2025-03-10"
        let archive = try Archive(spool: spool, date: LocalDate(iso: "2025-03-10")!)
        close(archive.lock)
        let ours = try #require(try spool.markCached(holding: archive.holdingPath))
        #expect(ours == spool.doneStaging + "/cached.\(boot).\(archive.holdingPath.split(separator: "/").last!)")
        let earlier = spool.doneStaging + "/cached.\(other).2025-03-10.77.1"
        for dir in [day, earlier] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        // Both lost their copy to a power cut: only the other boot's folder can have.
        for (dir, name) in [(ours, "ours.json"), (earlier, "earlier.json")] {
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("applied".utf8))
            _ = FileManager.default.createFile(atPath: day + "/" + name, contents: Data())
        }
        let applied = SHA256.hex(Array("applied".utf8))
        let found = try spool.recoverArchive(maxBytes: 1024) { hashes in
            Dictionary(uniqueKeysWithValues: hashes.intersection([applied]).map { ($0, Instant(seconds: 1_741_572_000)) })
        }
        #expect(found.cached == [ours] && found.problems.isEmpty)
        #expect(found.synced == [spool.doneStaging + "/synced.2025-03-10.77.1"])
        #expect(try String(contentsOfFile: day + "/earlier.json", encoding: .utf8) == "applied")
        #expect(try String(contentsOfFile: day + "/ours.json", encoding: .utf8) == "")
        let marked = try spool.markSynced(holding: ours)
        #expect(marked == spool.doneStaging + "/synced.\(archive.holdingPath.split(separator: "/").last!)")
        // A name that only looks cached is no holding folder: left alone.
        let odd = spool.doneStaging + "/cached.short.2025-03-10.1.1"
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        #expect(try spool.recoverArchive(maxBytes: 1024) { _ in [:] }.cached.isEmpty)
        #expect(FileManager.default.fileExists(atPath: odd))
    }

    /// A holding folder whose intake is alive — this process's or another's, as a `--once` run
    /// beside the service — is locked, and recovery leaves it alone; the lock dies with its
    /// process, and the folder is then finished like any crash's. Progress is reported per folder.
    @Test func recoveryLeavesALiveIntakesFolderAlone() throws {
        let archive = try Archive(spool: spool, date: LocalDate(iso: "2025-03-10")!)
        let holding = archive.holdingPath
        _ = FileManager.default.createFile(atPath: holding + "/a.json", contents: Data("applied".utf8))
        let applied = Set([SHA256.hex(Array("applied".utf8))])
        var folders = 0
        var found = try spool.recoverArchive(maxBytes: 1024, progress: { folders += 1 }) { hashes in Dictionary(uniqueKeysWithValues: hashes.intersection(applied).map { ($0, Instant(seconds: 1_741_572_000)) }) }
        #expect(found.synced.isEmpty && found.problems.isEmpty && folders == 0)
        #expect(!FileManager.default.fileExists(atPath: spool.done + "/2025-03-10/a.json"))
        #expect(entries(spool.doneStaging) == [String(holding.split(separator: "/").last!)])
        // Its intake dies (the kernel drops the lock): finished at the next recovery.
        close(archive.lock)
        found = try spool.recoverArchive(maxBytes: 1024, progress: { folders += 1 }) { hashes in Dictionary(uniqueKeysWithValues: hashes.intersection(applied).map { ($0, Instant(seconds: 1_741_572_000)) }) }
        #expect(folders == 1)
        #expect(found.synced.count == 1 && found.synced[0].hasPrefix(spool.doneStaging + "/synced.") && found.problems.isEmpty)
        #expect(try String(contentsOfFile: spool.done + "/2025-03-10/a.json", encoding: .utf8) == "applied")
        // A folder another holds cannot be taken for an archive's either.
        let other = spool.doneStaging + "/2025-03-11.1.1"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let lock = try #require(FileSystem.lockFolder(other))
        #expect(FileSystem.lockFolder(other) == nil)
        close(lock)
        #expect(FileSystem.lockFolder(other).map { close($0) } != nil)
    }
}

/// Runs a program, for chattr.
@discardableResult
func execute(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: out, as: UTF8.self))
}
