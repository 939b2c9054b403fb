import ConsultCore
import Foundation
import Testing
@testable import ConsultSpool

@Suite("inotify watcher")
struct SpoolWatcherTests {
    let spool: Spool

    init() throws { spool = try freshSpool() }

    @Test func reportsDocumentsRenamedOrWrittenIn() throws {
        let watcher = try SpoolWatcher(directory: spool.new)
        #expect(watcher.drain() == SpoolWatcher.Events())
        _ = FileManager.default.createFile(atPath: spool.tmp + "/a.json", contents: Data("{}".utf8))
        #expect(rename(spool.tmp + "/a.json", spool.new + "/a.json") == 0)
        _ = FileManager.default.createFile(atPath: spool.new + "/b.json", contents: Data("{}".utf8))
        _ = FileManager.default.createFile(atPath: spool.new + "/.partial", contents: Data("{".utf8))
        let events = watcher.drain()
        #expect(events.names == ["a.json", "b.json"])
        #expect(!events.overflow)
    }

    @Test func reportsQueueOverflow() throws {
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        try #require(limit <= 100_000, "queue limit too high to overflow in a test")
        let watcher = try SpoolWatcher(directory: spool.new)
        _ = FileManager.default.createFile(atPath: spool.tmp + "/x", contents: Data())
        // A new name each time: the kernel merges an event identical to the one queued before it.
        var failures = 0
        for i in 0...(limit + 10) {
            if rename(spool.tmp + "/x", spool.new + "/x\(i)") != 0 { failures += 1 }
            if rename(spool.new + "/x\(i)", spool.tmp + "/x") != 0 { failures += 1 }
        }
        #expect(failures == 0)
        #expect(watcher.drain().overflow)
    }
}
