import ConsultCore
import ConsultTestSupport
import Foundation
import Testing

/// Runs consultctl with a terminal for its standard output (script(1) gives it a pty), standard
/// input from /dev/null; the output with the terminal's CR LF made LF.
func onTerminal(_ arguments: [String], environment extra: [String: String] = [:], in directory: String? = nil) throws -> Outcome {
    let command = ([binary("consultctl")] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        .joined(separator: " ")
    var environment = ProcessInfo.processInfo.environment
    for key in ["COLUMNS", "NO_COLOR", "PAGER", "SYSTEMD_PAGER", "LESS", "SYSTEMD_LESS", "SUDO_UID"] { environment[key] = nil }
    environment["TERM"] = "xterm-256color"
    environment.merge(extra) { $1 }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    p.arguments = ["-qec", command, "/dev/null"]
    p.environment = environment
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    p.standardInput = FileHandle.nullDevice
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n"),
                   stderr: String(decoding: e, as: UTF8.self))
}

/// `text` without its SGR sequences (ESC [ … m).
func withoutColour(_ text: String) -> String {
    text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
}

/// A site with one consultation of a long title: STC escalated (silent since 10 March), STP
/// overdue for a day, SYT vague with days to go (as of the real now, all are long past due: the
/// escalation is what shows).
struct TerminalSite {
    static let title = "Dự thảo Đề án phát triển nhà ở xã hội giai đoạn 2025–2030 trên địa bàn thành phố Hà Nội \u{1B}[2J"
    let site: Site

    init() throws {
        site = try Site()
        site.put("req.json", JSONWriter.string(.object([
            ("kind", .string("request")), ("id", .string("TT-1")), ("title", .string(Self.title)), ("lead", .string("SXD")),
            ("consulted", .strings(["STC", "STP", "SYT"])), ("sent", .string("2025-03-03T09:00:00+07:00")), ("deadline", .string("2025-03-10")),
        ])))
        site.put("req2.json", """
            {"kind": "request", "id": "TT-2", "title": "Kế hoạch", "lead": "STC", "consulted": ["SXD"],
             "sent": "2025-03-03T09:00:00+07:00", "deadline": "2025-03-10"}
            """)
        site.put("reply.json", """
            {"kind": "reply", "request": "TT-2", "agency": "SXD", "received": "2025-03-05T09:00:00+07:00", "position": "agree"}
            """)
        let r = try site.once("2025-03-06T09:00:00+07:00")
        guard r.status == 0 else { throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
    }

    func ctl(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try onTerminal(["--config", site.config] + arguments, environment: environment)
    }
}

@Suite("consultctl on a terminal: width, colour, pager")
struct TerminalTests {
    @Test func tablesFitTheTerminalAndPipesGetEverything() throws {
        let t = try TerminalSite()
        for columns in [200, 80] {
            let r = try t.ctl(["list", "--all"], environment: ["COLUMNS": "\(columns)", "PAGER": "cat"])
            #expect(r.status == 0, "\(r.stderr)")
            let lines = withoutColour(r.stdout).split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(r.stdout)")
            for line in lines { #expect(line.count <= columns, "\(columns): \(line)") }
        }
        let narrow = withoutColour(try t.ctl(["list"], environment: ["COLUMNS": "80", "PAGER": "cat"]).stdout)
        #expect(narrow.contains("TT-1  Dự thảo"), "\(narrow)")
        #expect(narrow.contains("…"))
        // --full, or a pipe: nothing cut.
        let full = withoutColour(try t.ctl(["list", "--full"], environment: ["COLUMNS": "80", "PAGER": "cat"]).stdout)
        #expect(full.contains("địa bàn thành phố Hà Nội ?[2J"), "\(full)")
        let piped = try execute(binary("consultctl"), ["--config", t.site.config, "list"], environment: ["COLUMNS": "40", "TERM": "xterm"])
        #expect(piped.stdout.contains("địa bàn thành phố Hà Nội ?[2J  SXD"), "\(piped.stdout)")
        #expect(!piped.stdout.contains("\u{1B}"))
    }

    /// On a terminal the rows that need attention are coloured — never when NO_COLOR is set or
    /// the output is piped — and a cell still cannot send escape sequences of its own.
    @Test func attentionInColourUnlessNoColor() throws {
        let t = try TerminalSite()
        let r = try t.ctl(["list", "--all", "--full"], environment: ["PAGER": "cat"])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("\u{1B}[4mID") == true, "\(r.stdout)")
        // TT-1 has open duties escalated long ago (escalation-1 is 3 working days past due).
        #expect(lines.contains { $0.hasPrefix("\u{1B}[1;31mTT-1") && $0.hasSuffix("\u{1B}[0m") }, "\(r.stdout)")
        #expect(lines.contains { $0.hasPrefix("TT-2") }, "a completed consultation stands out for nothing")
        // The title's own ESC is a `?`: the only escapes are ours.
        #expect(withoutColour(r.stdout).unicodeScalars.allSatisfy { $0 == "\n" || !Printable.isControl($0) })
        let show = try t.ctl(["show", "TT-1"], environment: ["PAGER": "cat"])
        #expect(show.stdout.contains("\u{1B}[1;31m  reply STC: due 2025-03-10, open\u{1B}[0m"), "\(show.stdout)")
        for environment in [["NO_COLOR": "1", "PAGER": "cat"], ["TERM": "dumb"]] {
            let plain = try t.ctl(["list", "--all"], environment: environment)
            #expect(plain.status == 0)
            #expect(!plain.stdout.contains("\u{1B}"), "\(environment): \(plain.stdout)")
        }
        let report = try t.ctl(["report"], environment: ["PAGER": "cat", "COLUMNS": "200"])
        // Numbers right-aligned under their headers; the total row last.
        let rows = withoutColour(report.stdout).split(separator: "\n").map(String.init)
        let header = try #require(rows.first { $0.hasPrefix("AGENCY") })
        let stc = Array(try #require(rows.first { $0.hasPrefix("STC") }))
        let end = header.distance(from: header.startIndex, to: try #require(header.range(of: "CONSULTED")).upperBound)
        #expect(stc[end - 1] == "1" && stc[end - 2] == " " && stc[end] == " ", "\(report.stdout)")
        #expect(rows.last?.hasPrefix("total") == true, "\(report.stdout)")
    }

    /// As systemctl: SYSTEMD_PAGER, else PAGER, else pager/less/more with LESS=FRSXMK; cat or an
    /// empty value means none; --no-pager; never when piped.
    @Test func aPagerAsSystemctlHasOne() throws {
        let t = try TerminalSite()
        let bin = try TemporaryFolder.make("pager")
        let fake = bin + "/pager"
        try "#!/bin/sh\necho \"paged by $0 $* LESS=$LESS LESSSECURE=$LESSSECURE LESSCHARSET=$LESSCHARSET\"\nexec cat\n"
            .write(toFile: fake, atomically: true, encoding: .utf8)
        #expect(chmod(fake, 0o755) == 0)
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let byDefault = try t.ctl(["list"], environment: ["PATH": path])
        #expect(byDefault.stdout.hasPrefix("paged by \(fake)  LESS=FRSXMK LESSSECURE= LESSCHARSET=utf-8\n"), "\(byDefault.stdout)")
        #expect(byDefault.stdout.contains("TT-1"))
        let systemdLess = try t.ctl(["list"], environment: ["PATH": path, "LESS": "X", "SYSTEMD_LESS": "FRK", "SUDO_UID": "1000"])
        #expect(systemdLess.stdout.hasPrefix("paged by \(fake)  LESS=FRK LESSSECURE=1 "), "\(systemdLess.stdout)")

        let chosen = try t.ctl(["list"], environment: ["PAGER": "\(fake) --from-pager", "PATH": path])
        #expect(chosen.stdout.hasPrefix("paged by \(fake) --from-pager "), "\(chosen.stdout)")
        let systemdFirst = try t.ctl(["list"], environment: ["SYSTEMD_PAGER": "\(fake) --systemd", "PAGER": "\(fake) --plain"])
        #expect(systemdFirst.stdout.hasPrefix("paged by \(fake) --systemd "), "\(systemdFirst.stdout)")
        // A pager that is not there falls back to the usual ones.
        let missing = try t.ctl(["list"], environment: ["PAGER": "/nonexistent/pager", "PATH": path])
        #expect(missing.stdout.hasPrefix("paged by \(fake)"), "\(missing.stdout)")
        for environment in [["PAGER": "cat", "PATH": path], ["SYSTEMD_PAGER": "", "PAGER": fake], ["PATH": path, "TERM": "dumb"]] {
            let none = try t.ctl(["list"], environment: environment)
            #expect(none.status == 0)
            #expect(!none.stdout.contains("paged by"), "\(environment): \(none.stdout)")
            #expect(none.stdout.contains("TT-1"))
        }
        for arguments in [["list", "--no-pager"], ["--no-pager", "list"]] {
            let r = try onTerminal(arguments.prefix(1) + ["--config", t.site.config] + arguments.dropFirst(), environment: ["PATH": path])
            #expect(!r.stdout.contains("paged by"), "\(arguments): \(r.stdout)")
            #expect(r.stdout.contains("TT-1"), "\(arguments): \(r.stderr)")
        }
        let piped = try execute(binary("consultctl"), ["--config", t.site.config, "list"], environment: ["PAGER": fake, "TERM": "xterm"])
        #expect(!piped.stdout.contains("paged by"))
        // Every command that shows a table or a timeline pages, whatever its format.
        for command in [["show", "TT-1"], ["report"], ["deadline", "--from", "2025-01-20", "--days", "10"], ["list", "--format", "json"]] {
            let r = try t.ctl(command, environment: ["PATH": path])
            #expect(r.stdout.hasPrefix("paged by"), "\(command): \(r.stdout)")
        }
        // The exit status is consultctl's, after the pager has read everything.
        let failing = try t.ctl(["show", "NOPE"], environment: ["PATH": path])
        #expect(failing.status == 66, "\(failing.stdout)")
    }
}

@Suite("consultctl --agency")
struct AgencyOptionTests {
    @Test func unknownCodesAreRefusedWithTheKnownOnesAndCaseIsForgiven() throws {
        let t = try TerminalSite()
        let nope = try execute(binary("consultctl"), ["--config", t.site.config, "list", "--agency", "NOPE"])
        #expect(nope.status == 64)
        #expect(nope.stderr.contains("--agency 'NOPE' is not an agency; known: STC, STP, SXD, SYT"), "\(nope.stderr)")
        #expect(nope.stdout.isEmpty)
        let lower = try execute(binary("consultctl"), ["--config", t.site.config, "list", "--all", "--agency", "stc", "--format", "json"])
        #expect(lower.status == 0, "\(lower.stderr)")
        guard case let .array(items) = try JSONReader.parse(Array(lower.stdout.utf8)) else { Issue.record("no list"); return }
        #expect(items.map { $0["id"] } == [.string("TT-1"), .string("TT-2")])
        let lead = try execute(binary("consultctl"), ["--config", t.site.config, "assess", "--lead", "sxd", "/nonexistent.json"])
        #expect(lead.status == 66, "--lead sxd is SXD: \(lead.stderr)")
        let badLead = try execute(binary("consultctl"), ["--config", t.site.config, "assess", "--lead", "XYZ", "/nonexistent.json"])
        #expect(badLead.status == 64)
        #expect(badLead.stderr.contains("--lead 'XYZ' is not an agency; known: STC, STP, SXD, SYT"), "\(badLead.stderr)")

        // An agency removed from the configuration keeps its consultations: the store knows it.
        var config = try String(contentsOfFile: t.site.config, encoding: .utf8)
        let start = try #require(config.range(of: "[agencies.SYT]"))
        config.removeSubrange(start.lowerBound..<config.endIndex)
        try config.write(toFile: t.site.config, atomically: true, encoding: .utf8)
        let removed = try execute(binary("consultctl"), ["--config", t.site.config, "list", "--agency", "syt", "--format", "json"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("\"TT-1\""))
    }
}
