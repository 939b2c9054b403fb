import ArgumentParser
import ConsultCore
import Foundation

/// `consultctl status`: counts of open and overdue work, and the daemon's status under systemd.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Counts of open and overdue work, and the daemon's own status line under systemd.",
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
        text += "daemon                       \(daemonStatus())\n"
        write(text)
    }

    /// `StatusText` of consultd.service, when systemd runs it.
    func daemonStatus() -> String {
        guard FileManager.default.fileExists(atPath: "/run/systemd/system"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/systemctl") else { return "not under systemd" }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemctl")
        p.arguments = ["show", "-p", "ActiveState", "-p", "StatusText", "consultd.service"]
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
        let state = String(properties["ActiveState"] ?? "unknown")
        let status = String(properties["StatusText"] ?? "")
        return Printable.text(status.isEmpty ? state : "\(state): \(status)")
    }
}
