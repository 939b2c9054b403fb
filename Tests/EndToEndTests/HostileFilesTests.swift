import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

@Suite("Hostile files against a running service", .tags(.root, .slow), .skippedWhenFast)
struct HostileFilesTests {
    /// Tests/Fixtures/hostile (made by its make.py; expected.json gives each file's code), plus what
    /// only exists at run time: a FIFO, symlinks, a hard link to a file outside the spool, a
    /// directory, a name with a newline, an oversize file. Each is refused with its code, the
    /// service keeps running, and the valid documents beside them are applied.
    @Test func everyBadFileRefusedWithItsCodeValidOnesApplied() throws {
        try #require(try ensureJournald())
        let corpus = repository + "/Tests/Fixtures/hostile"
        guard case let .object(manifest) = try JSONReader.parse(Array(try Data(contentsOf: URL(fileURLWithPath: corpus + "/expected.json")))) else {
            Issue.record("no manifest")
            return
        }
        var expected: [String: String] = [:]
        for (name, value) in manifest { if case let .string(code) = value { expected[name] = code } }
        #expect(expected.count >= 40)

        let site = try Site()
        let listener = try NotifyListener()
        let daemon = try startService(site, notify: listener)
        defer { if daemon.isRunning { daemon.terminate(); daemon.waitUntilExit() } }
        try #require(listener.wait(for: "READY=1") != nil)

        let new = site.root + "/spool/new/"
        let stage = site.root + "/stage/"
        try FileManager.default.createDirectory(atPath: stage, withIntermediateDirectories: true)
        // Everything is prepared aside, then renamed in at once, beside the valid documents.
        for name in expected.keys { try FileManager.default.copyItem(atPath: corpus + "/" + name, toPath: stage + name) }
        try #"{"kind": "request", "id": "H-OK", "title": "t", "lead": "SXD", "consulted": ["STC"], "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}"#
            .write(toFile: stage + "valid-request.json", atomically: false, encoding: .utf8)
        try #"{"kind": "reply", "request": "H-OK", "agency": "STC", "received": "2025-03-04T09:00:00+07:00", "position": "agree"}"#
            .write(toFile: stage + "valid-reply.json", atomically: false, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: site.root + "/secret", contents: Data("{}".utf8))
        #expect(link(site.root + "/secret", stage + "hardlink-outside.json") == 0)
        _ = FileManager.default.createFile(atPath: stage + "too-large.json", contents: Data(repeating: 0x20, count: (1 << 20) + 1))
        _ = FileManager.default.createFile(atPath: stage + "name\nwith-newline.json", contents: Data("{".utf8))
        expected["hardlink-outside.json"] = "not_regular_file"
        expected["too-large.json"] = "too_large"
        expected["name\nwith-newline.json"] = "malformed_json"
        // The consultation the stateful fixtures name must exist first: a running service takes
        // files as they arrive, and a resolution for an unknown consultation is unknown_request.
        #expect(rename(stage + "valid-request.json", new + "valid-request.json") == 0)
        eventually { site.list("spool/new").isEmpty }
        for name in try FileManager.default.contentsOfDirectory(atPath: stage) {
            #expect(rename(stage + name, new + name) == 0)
        }
        try FileManager.default.createSymbolicLink(atPath: new + "symlink-passwd.json", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: new + "symlink-dangling.json", withDestinationPath: "/nonexistent")
        #expect(mkfifo(new + "fifo.json", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: new + "directory.json", withIntermediateDirectories: false)
        for name in ["symlink-passwd.json", "symlink-dangling.json", "fifo.json", "directory.json"] {
            expected[name] = "not_regular_file"
        }

        #expect(eventually(within: .seconds(10)) { site.list("spool/new").isEmpty }, "\(site.list("spool/new"))")
        #expect(daemon.isRunning)
        for (name, code) in expected.sorted(by: { $0.key < $1.key }) {
            let sidecar = try? site.json("spool/rejected/\(name).error.json")
            #expect(sidecar?["code"] == .string(code), "\(name.debugDescription)")
            #expect(sidecar?["file"] == .string(name))
        }
        let done = site.list("spool/done").flatMap { site.list("spool/done/\($0)") }
        #expect(Set(done) == ["valid-request.json", "valid-reply.json"])
        // The link's target and the hard-linked file outside the spool were never touched.
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
        #expect(try String(contentsOfFile: site.root + "/secret", encoding: .utf8) == "{}")
        // Still serving: one more document is applied.
        site.put("after.json", #"{"kind": "withdrawal", "request": "H-OK", "reason": "x"}"#)
        #expect(eventually { site.list("spool/new").isEmpty })
    }
}
