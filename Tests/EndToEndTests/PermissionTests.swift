import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// consultctl run by real non-root accounts against the installed layout of the state folder
/// (0750, group-readable files, as StateDirectoryMode=0750 and UMask=0027 leave them): each error
/// says its cause, and a member of the group reads without writing anything.
@Suite("consultctl as a non-root account", .tags(.root), .serialized)
struct PermissionTests {
    /// The site's state folder and store, owned by root and group `cdtest-state`.
    static func site() throws -> (Site, state: String) {
        let t = try TerminalSite()
        let group = try #require(getgrnam("cdtest-state")).pointee.gr_gid
        let folder = t.site.root + "/state"
        #expect(chown(folder, 0, group) == 0 && chmod(folder, 0o750) == 0)
        #expect(chown(folder + "/state.sqlite", 0, group) == 0 && chmod(folder + "/state.sqlite", 0o640) == 0)
        return (t.site, folder)
    }

    static func run(as user: String, _ arguments: [String], clearGroups: Bool = false) throws -> Outcome {
        try execute("/usr/bin/setpriv", ["--reuid=\(user)", "--regid=\(user)"] + (clearGroups ? ["--clear-groups"] : ["--init-groups"])
                    + ["--", binary("consultctl")] + arguments)
    }

    @Test func errorsSayTheCause() throws {
        try #require(getuid() == 0, "creating accounts needs root")
        _ = try ensureAccount("cdtest-reader", groups: ["cdtest-state"])
        _ = try ensureAccount("cdtest-outsider")
        let (site, folder) = try Self.site()
        let store = folder + "/state.sqlite"

        // Not a member: the folder is in the way — said so, with who may read it; not "has consultd run yet?".
        let outsider = try Self.run(as: "cdtest-outsider", ["--config", site.config, "list"])
        #expect(outsider.status == 77, "\(outsider.stderr)")
        #expect(outsider.stderr.contains("permission denied: cannot reach the state store \(store): folder \(folder) (drwxr-x--- root:cdtest-state) may not be searched"), "\(outsider.stderr)")
        #expect(outsider.stderr.contains("you (cdtest-outsider) are not in group cdtest-state: run consultctl as root or as a member of group cdtest-state"), "\(outsider.stderr)")
        #expect(!outsider.stderr.contains("has consultd run yet"))

        // A member whose session began before they were added: told to log in again.
        let stale = try Self.run(as: "cdtest-reader", ["--config", site.config, "list"], clearGroups: true)
        #expect(stale.status == 77)
        #expect(stale.stderr.contains("were added to group cdtest-state after this session began: log in again"), "\(stale.stderr)")

        // A file it may not read: named, with its mode — not "SQLite error 14".
        #expect(chmod(store, 0o600) == 0)
        let unreadable = try Self.run(as: "cdtest-reader", ["--config", site.config, "report"])
        #expect(unreadable.status == 77)
        #expect(unreadable.stderr.contains("permission denied: cannot read the state store \(store) (-rw------- root:cdtest-state); run consultctl as root"), "\(unreadable.stderr)")
        #expect(!unreadable.stderr.contains("SQLite"))
        #expect(chmod(store, 0o640) == 0)

        // Missing is missing: 66, the store or its folder named.
        let elsewhere = try TemporaryFolder.make("nostate")
        var config = try String(contentsOfFile: site.config, encoding: .utf8)
        config = config.replacingOccurrences(of: "state = \"state/state.sqlite\"", with: "state = \"\(elsewhere)/lib/state.sqlite\"")
        let other = elsewhere + "/consultd.toml"
        try config.write(toFile: other, atomically: true, encoding: .utf8)
        let missing = try Self.run(as: "cdtest-reader", ["--config", other, "list"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no state store at \(elsewhere)/lib/state.sqlite: there is no folder \(elsewhere)/lib (has consultd run yet?)"), "\(missing.stderr)")

        // A configuration it may not read: 77, not "invalid configuration".
        #expect(chmod(site.config, 0o600) == 0)
        let config77 = try Self.run(as: "cdtest-reader", ["--config", site.config, "deadline", "--from", "2025-01-20", "--days", "1"])
        #expect(config77.status == 77)
        #expect(config77.stderr.contains("permission denied: cannot read the configuration \(site.config)"), "\(config77.stderr)")
        #expect(chmod(site.config, 0o644) == 0)
    }

    /// A member of the group reads whether the daemon is stopped (no -wal: nothing to create, the
    /// folder is not theirs to write) or running (a -wal and a -shm they may only read), and sees
    /// what the daemon committed to its WAL.
    @Test func aMemberReadsWithoutWritingAnything() throws {
        try #require(getuid() == 0, "creating accounts needs root")
        _ = try ensureAccount("cdtest-reader", groups: ["cdtest-state"])
        let (site, folder) = try Self.site()
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(before == ["state.sqlite"])
        for command in [["list", "--all"], ["show", "TT-1"], ["report"], ["calendar", "diff", repository + "/config/calendars/vn.toml"]] {
            let r = try Self.run(as: "cdtest-reader", ["--config", site.config] + command)
            #expect(r.status == 0, "\(command): \(r.stderr)")
            #expect(!r.stderr.contains("readonly database"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before, "a reader wrote beside the store")

        // The daemon, as it holds the store: WAL mode, a commit left in the WAL, the connection open.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        writer.arguments = [folder + "/state.sqlite"]
        let input = Pipe()
        writer.standardInput = input
        writer.standardOutput = FileHandle.nullDevice
        try writer.run()
        defer { if writer.isRunning { writer.terminate() } }
        input.fileHandleForWriting.write(Data("PRAGMA wal_autocheckpoint = 0;\nUPDATE consultations SET title = 'Changed in the WAL' WHERE id = 'TT-2';\n".utf8))
        #expect(eventually { FileManager.default.fileExists(atPath: folder + "/state.sqlite-shm") })
        // The daemon's files are its group's to read (UMask=0027 makes them 0640).
        for suffix in ["-wal", "-shm"] {
            #expect(chown(folder + "/state.sqlite" + suffix, 0, try #require(getgrnam("cdtest-state")).pointee.gr_gid) == 0)
            #expect(chmod(folder + "/state.sqlite" + suffix, 0o640) == 0)
        }
        #expect(eventually {
            (try? Self.run(as: "cdtest-reader", ["--config", site.config, "list", "--all"]))?.stdout.contains("Changed in the WAL") == true
        })
        let r = try Self.run(as: "cdtest-reader", ["--config", site.config, "list", "--all"])
        #expect(r.status == 0, "\(r.stderr)")
        // The backup of a member goes where they may write, and not where they may not.
        let home = try TemporaryFolder.make("reader-home")
        let reader = try #require(getpwnam("cdtest-reader")).pointee
        #expect(chown(home, reader.pw_uid, reader.pw_gid) == 0)
        let copy = try Self.run(as: "cdtest-reader", ["--config", site.config, "backup", home + "/copy.sqlite"])
        #expect(copy.status == 0, "\(copy.stderr)")
        let refused = try Self.run(as: "cdtest-reader", ["--config", site.config, "backup", folder + "/copy.sqlite"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("cannot create \(folder)/copy.sqlite: folder \(folder) (drwxr-x--- root:cdtest-state): Permission denied"), "\(refused.stderr)")
        input.fileHandleForWriting.closeFile()
        writer.waitUntilExit()
    }
}
