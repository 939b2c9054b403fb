import ConsultCore
@testable import ConsultSpool
import ConsultTestSupport
import Foundation
import Synchronization
import Testing

/// A fresh spool with its folders, in a temporary folder.
func freshSpool() throws -> Spool {
    let root = try TemporaryFolder.make("spool")
    let spool = Spool(root: root, outbox: root + "/outbox")
    try spool.prepare()
    return spool
}

@Suite("Spool")
struct SpoolTests {
    let spool: Spool

    init() throws { spool = try freshSpool() }

    func put(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: spool.new + "/" + name, contents: Data(text.utf8))
    }

    @Test func readsARegularFile() {
        put("a.json", "{}")
        guard case let .file(f) = spool.read("a.json", maxBytes: 100) else { Issue.record("not read"); return }
        #expect(f.bytes == Array("{}".utf8))
        #expect(f.owner == getuid())
    }

    @Test func refusesLinksFIFOsAndLargeFiles() throws {
        _ = FileManager.default.createFile(atPath: spool.root + "/secret", contents: Data("x".utf8))
        try FileManager.default.createSymbolicLink(atPath: spool.new + "/link.json", withDestinationPath: spool.root + "/secret")
        _ = mkfifo(spool.new + "/fifo.json", 0o644)
        put("big.json", String(repeating: "x", count: 101))
        _ = link(spool.root + "/secret", spool.new + "/hard.json")
        for (name, code) in [("link.json", "not_regular_file"), ("fifo.json", "not_regular_file"), ("big.json", "too_large"),
                             ("hard.json", "not_regular_file")] {
            guard case let .refused(_, _, refusal) = spool.read(name, maxBytes: 100) else {
                Issue.record("\(name) was not refused")
                continue
            }
            #expect(refusal.code.rawValue == code, "\(name)")
        }
        guard case .gone = spool.read("missing.json", maxBytes: 100) else { Issue.record("missing file"); return }
    }

    @Test func aFileWrittenWhileReadIsRefused() throws {
        let path = spool.new + "/growing.json"
        _ = FileManager.default.createFile(atPath: path, contents: Data("{".utf8))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let writing = Mutex(true)
        let writer = Thread {
            let chunk = Data(repeating: 0x20, count: 64)
            while writing.withLock({ $0 }) {
                handle.seekToEndOfFile()
                handle.write(chunk)
                if (try? handle.offset()) ?? 0 > 200_000 { try? handle.truncate(atOffset: 1) }
            }
        }
        writer.start()
        defer { writing.withLock { $0 = false } }
        // Bounded by time, not by a count of reads: on a loaded machine the writer may get few turns.
        let refused = eventually(within: .seconds(20), every: .zero) {
            guard case let .refused(_, _, refusal) = spool.read("growing.json", maxBytes: 1 << 20) else { return false }
            return refusal.code == .changedWhileRead
        }
        #expect(refused)
    }

    @Test func waitingIgnoresDotNames() throws {
        put("b.json", "{}")
        put(".partial", "{")
        #expect(try spool.waiting() == ["b.json"])
    }

    /// What the intake hands the archive: the bytes read, and the file they came from.
    func item(_ name: String) throws -> Archive.Item {
        guard case let .file(f) = spool.read(name, maxBytes: 1 << 20) else { throw FileSystemError("read", name) }
        return Archive.Item(name: name, bytes: f.bytes, status: f.status)
    }

    @Test func movesNeverOverwrite() throws {
        let day = LocalDate(iso: "2025-03-10")!
        let moves = try Archive(spool: spool, date: day)
        put("a.json", "1")
        #expect(try moves.archive([item("a.json")]).map { try $0.get() } == ["a.json"])
        put("a.json", "2")
        #expect(try moves.archive([item("a.json")]).map { try $0.get() } == ["a.json.1"])
        try spool.syncArchive()
        _ = try spool.markSynced(holding: moves.holdingPath)
        let dir = spool.done + "/2025-03-10/"
        #expect(try String(contentsOfFile: dir + "a.json", encoding: .utf8) == "1")
        #expect(try String(contentsOfFile: dir + "a.json.1", encoding: .utf8) == "2")
        #expect(try spool.waiting().isEmpty)
    }

    @Test func rejectionWritesTheSidecar() throws {
        put("bad.json", "{")
        try spool.reject("bad.json", refusal: Refusal(.malformedJSON, "broken"), at: "2025-03-10T08:00:00+07:00")
        let sidecar = try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: spool.rejected + "/bad.json.error.json"))))
        #expect(sidecar == .object([("file", .string("bad.json")), ("code", .string("malformed_json")),
                                    ("reason", .string("broken")), ("at", .string("2025-03-10T08:00:00+07:00"))]))
        put("bad.json", "[")
        #expect(try spool.reject("bad.json", refusal: Refusal(.malformedJSON, "again"), at: "x") == "bad.json.1")
        #expect(FileManager.default.fileExists(atPath: spool.rejected + "/bad.json.1.error.json"))
    }

    @Test func outboxWritesAreAtomic() throws {
        try spool.writeOutbox(noticeID: "HN-1.STC.overdue", bytes: Array("{\"a\":1}\n".utf8))
        try spool.writeOutbox(noticeID: "HN-1.STC.overdue", bytes: Array("{\"a\":2}\n".utf8))
        #expect(try FileSystem.list(spool.outbox) == ["HN-1.STC.overdue.json"])
        #expect(try FileSystem.list(spool.outboxStaging).isEmpty)
        #expect(try String(contentsOfFile: spool.outbox + "/HN-1.STC.overdue.json", encoding: .utf8) == "{\"a\":2}\n")
    }

    @Test func submitterChecks() {
        let agencies = [Agency(code: "A", name: "A", submitters: [.group("root"), .group("nogroup")])]
        let accounts = Accounts.lookUp([0], agencies: agencies)
        let root = accounts.userName(0)
        #expect(root == "root")
        #expect(accounts.isSubmitter(0, of: Agency(code: "A", name: "A", submitters: [.user("root")])))
        #expect(accounts.isSubmitter(0, of: Agency(code: "A", name: "A", submitters: [.group("root")])))
        #expect(!accounts.isSubmitter(0, of: Agency(code: "A", name: "A", submitters: [.user("nobody"), .group("nogroup")])))
        #expect(!accounts.isSubmitter(0, of: Agency(code: "A", name: "A", submitters: [.group("no-such-group")])))
        // A uid not looked up is no one: nothing is decided by a lookup made later.
        #expect(!accounts.isSubmitter(1, of: Agency(code: "A", name: "A", submitters: [.user("daemon")])))
        #expect(accounts.userName(1) == "uid 1")
    }
}
