import ArgumentParser
import ConsultCore
import ConsultSpool
import Foundation

/// `consultctl status`: counts of open and overdue work, of the outbox's notices (waiting, sent,
/// failed), and the status of consultd and consultd-mail under systemd.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts of open and overdue work and of notices waiting, sent and failed; the status lines of consultd and consultd-mail under systemd.",
        discussion: """
            Examples:
              consultctl status
            """)

    @OptionGroup var options: Options

    func run() throws {
        let (settings, _) = try options.load()
        let clock = LocalClock(timeZone: settings.timeZone)
        let today = clock.date(of: Instant.now)
        let (open, overdue, unclear) = try options.store(settings).read { tx in
            let counts = try tx.statusCounts(today: today)
            return (counts.open, counts.overdue, try tx.unclearOpenDuties())
        }
        var text = "open consultations           \(open)\n"
        text += "overdue duties               \(overdue)\n"
        text += "vague awaiting clarification \(unclear)\n"
        // What consultd-mail has done with the outbox (contract §8): files, counted where they are.
        let counts = Outbox.counts(path: settings.outbox)
        let unreadable = "unknown: cannot read \(settings.outbox) (run as root or as a member of consultd-outbox)"
        func shown(_ n: Int?, _ what: String) -> String { n.map { "\($0)\(what)" } ?? unreadable }
        text += "notices waiting              \(shown(counts.waiting, " in \(settings.outbox)"))\n"
        text += "notices sent                 \(shown(counts.sent, ""))\n"
        text += "notices failed               \(shown(counts.failed, counts.failed ?? 0 > 0 ? " in \(settings.outbox)/failed (see NAME.error.json)" : ""))\n"
        text += "daemon                       \(daemonStatus())\n"
        text += "mailer                       \(daemonStatus(unit: "consultd-mail.service"))\n"
        write(text)
    }

    /// `StatusText` of a unit (consultd.service unless said), when systemd runs it.
    func daemonStatus(unit: String = "consultd.service") -> String {
        guard FileManager.default.fileExists(atPath: "/run/systemd/system"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/systemctl") else { return "not under systemd" }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemctl")
        p.arguments = ["show", "-p", "ActiveState", "-p", "StatusText", "-p", "LoadState", unit]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "unknown" }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // `Key=Value` lines, in the unit's order rather than the order asked.
        var properties: [Substring: Substring] = [:]
        for line in out.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            properties[line[..<eq]] = line[line.index(after: eq)...]
        }
        if properties["LoadState"] == "not-found" { return "not installed" }
        let state = String(properties["ActiveState"] ?? "unknown")
        let status = String(properties["StatusText"] ?? "")
        return Printable.text(status.isEmpty ? state : "\(state): \(status)")
    }
}
