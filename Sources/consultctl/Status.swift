import ArgumentParser
import ConsultAdmin
import ConsultConfig
import ConsultCore
import ConsultRuntime
import ConsultSpool
import ConsultStore
import Foundation

/// `consultctl status`: the counts of open work, and a health check with monitoring exit codes
/// (as Nagios-style plugins: 0 healthy, 1 degraded, 2 critical), so Icinga or Zabbix can call it.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open work, and whether consultd is healthy (exit 0 healthy, 1 degraded, 2 critical).",
        discussion: """
            Critical: the daemon is not running (systemd says so, or, outside systemd, its heartbeat \
            beside the state store is missing or older than 3 minutes), or the state store cannot be \
            read. Degraded: the outbox cannot be written, notices failed delivery (outbox/failed/) or \
            consultd-mail.service failed, documents were refused in the last hour, or a duty has \
            reached the top of its ladder (escalation-2, reconcile-escalation) and is still open. \
            A configuration that cannot be read exits 78. Run it as root or as a member of the group \
            that may read the state store and the spool.

            Examples:
              consultctl status
              consultctl status --format json
            """)

    @OptionGroup var options: Options

    @Option(help: "table or json.")
    var format: StatusFormat = .table

    enum StatusFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() throws {
        let (settings, calendar) = try options.load()
        let rules = Rules(directory: settings.directory, calendar: WorkingCalendar(facts: calendar),
                          clock: LocalClock(timeZone: settings.timeZone))
        let report = Health.check(settings: settings, rules: rules, now: Instant.now)
        switch format {
        case .table: write(report.table)
        case .json: write(JSONWriter.string(report.json, pretty: true) + "\n")
        }
        if report.state != .healthy { throw ExitCode(report.state.exitCode) }
    }
}

/// What `consultctl status` finds: counts and one verdict per check.
struct Health {
    enum State: String, Comparable {
        case healthy, degraded, critical

        var exitCode: Int32 {
            switch self {
            case .healthy: 0
            case .degraded: 1
            case .critical: 2
            }
        }

        static func < (a: State, b: State) -> Bool { a.exitCode < b.exitCode }
    }

    struct Check {
        let name: String
        let state: State
        let detail: String
    }

    var checks: [Check] = []
    var counts: [(String, Int)] = []
    var notices: (pending: Int, sent: Int, failed: Int) = (0, 0, 0)
    /// Whether every outbox folder could be listed (otherwise the counts are not shown).
    var noticesSeen = true

    var state: State { checks.map(\.state).max() ?? .healthy }

    static func check(settings: Configuration, rules: Rules, now: Instant) -> Health {
        var health = Health()
        health.checks.append(daemon(settings: settings, now: now))
        health.readStore(settings: settings, rules: rules, now: now)
        health.readSpool(settings: settings, now: now)
        return health
    }

    /// Running: systemd says the unit is active, or the heartbeat is recent (a container, a shell).
    static func daemon(settings: Configuration, now: Instant) -> Check {
        let unit = SystemdUnit.state("consultd.service")
        if let unit, unit.active == "active" || unit.active == "reloading" || unit.active == "activating" {
            return Check(name: "daemon", state: .healthy, detail: "consultd.service \(unit.description)")
        }
        let heartbeat = Heartbeat(statePath: settings.state)
        do {
            guard let beat = try heartbeat.read() else {
                let systemd = unit.map { "consultd.service \($0.description); " } ?? ""
                return Check(name: "daemon", state: .critical, detail: "\(systemd)not running (no \(heartbeat.path))")
            }
            let age = now.seconds - beat.touched
            guard age <= Heartbeat.staleAfter else {
                return Check(name: "daemon", state: .critical,
                             detail: "no sign of life for \(age) s (pid \(beat.pid), \(heartbeat.path) last touched at \(Instant(seconds: beat.touched)))")
            }
            return Check(name: "daemon", state: .healthy, detail: "running, pid \(beat.pid), seen \(max(0, age)) s ago (\(heartbeat.path))")
        } catch {
            return Check(name: "daemon", state: .critical, detail: "cannot read \(error)")
        }
    }

    /// The counts, the outbox's failure flag and the duties at the top of the ladder.
    mutating func readStore(settings: Configuration, rules: Rules, now: Instant) {
        guard FileManager.default.fileExists(atPath: settings.state) else {
            let folder = (settings.state as NSString).deletingLastPathComponent
            let why = FileManager.default.isReadableFile(atPath: folder) ? "no state store at \(settings.state)"
                : "cannot look into \(folder) (permission denied: run as root or a member of its group)"
            checks.append(Check(name: "store", state: .critical, detail: why))
            return
        }
        do {
            let store = try Store(path: settings.state, readOnly: true)
            let today = rules.clock.date(of: now)
            let (found, unclear, failing, groups) = try store.read { tx in
                (try tx.statusCounts(today: today), try tx.unclearOpenDuties(), try tx.isOutboxFailing(), try tx.openDutyGroups())
            }
            var top: [String: Int] = [:]
            for g in groups where g.due < today {
                if let step = rules.stepReached(kind: g.kind, due: g.due, at: now), rules.isTopStep(step) { top[step.name, default: 0] += g.count }
            }
            counts = [("open consultations", found.open), ("overdue duties", found.overdue),
                      ("vague awaiting clarification", unclear), ("at the top of the ladder", top.values.reduce(0, +))]
            checks.append(Check(name: "store", state: .healthy, detail: "readable (\(settings.state))"))
            checks.append(failing ? Check(name: "outbox", state: .degraded, detail: "the daemon cannot write notices to \(settings.outbox)")
                : Check(name: "outbox", state: .healthy, detail: "writable by the daemon"))
            let escalated = top.sorted { $0.key < $1.key }.map { "\($0.value) at \($0.key)" }.joined(separator: ", ")
            checks.append(top.isEmpty ? Check(name: "ladder", state: .healthy, detail: "no open duty at the top of its ladder")
                : Check(name: "ladder", state: .degraded, detail: "open duties at the top of the ladder: \(escalated)"))
        } catch {
            checks.append(Check(name: "store", state: .critical, detail: "cannot read \(settings.state): \(error)"))
        }
    }

    /// Notices pending, sent and failed; documents refused in the last hour; consultd-mail.
    mutating func readSpool(settings: Configuration, now: Instant) {
        let outbox = settings.outbox
        // A folder this account may not list is said, not counted as empty: a monitoring account
        // would otherwise report failed mail as none.
        var unseen: [String] = []
        func names(_ dir: String) -> [String] {
            do { return try FileSystem.list(dir) } catch {
                if error.errno != ENOENT { unseen.append(error.description) }
                return []
            }
        }
        func jsonFiles(_ dir: String) -> [String] { names(dir).filter { $0.hasSuffix(".json") } }
        let sentDays = names(outbox + "/sent")
        notices = (jsonFiles(outbox).count, sentDays.reduce(0) { $0 + jsonFiles(outbox + "/sent/" + $1).count },
                   jsonFiles(outbox + "/failed").filter { !$0.hasSuffix(".error.json") }.count)
        noticesSeen = unseen.isEmpty
        let mail = SystemdUnit.state("consultd-mail.service")
        if !unseen.isEmpty {
            checks.append(Check(name: "mail", state: .degraded, detail: "cannot count the notices: \(unseen.first!)\(unseen.count > 1 ? " (and \(unseen.count - 1) more)" : ""); run as root or as a member of group consultd (README: Metrics for Prometheus, and consultctl status)"))
        } else if notices.failed > 0 {
            checks.append(Check(name: "mail", state: .degraded, detail: "\(notices.failed) notice(s) could not be delivered (\(outbox)/failed/)"))
        } else if let mail, mail.active == "failed" {
            checks.append(Check(name: "mail", state: .degraded, detail: "consultd-mail.service \(mail.description)"))
        } else {
            checks.append(Check(name: "mail", state: .healthy, detail: mail.map { "consultd-mail.service \($0.description)" } ?? "no failed delivery"))
        }
        let rejected = settings.spool + "/rejected"
        let since = now.seconds - 3600
        var recent = 0
        for name in (try? FileSystem.list(rejected)) ?? [] where name.hasSuffix(".error.json") {
            var st = stat()
            if lstat(rejected + "/" + name, &st) == 0, Int64(st.st_mtim.tv_sec) >= since { recent += 1 }
        }
        checks.append(recent > 0 ? Check(name: "refusals", state: .degraded, detail: "\(recent) document(s) refused in the last hour (\(rejected))")
            : Check(name: "refusals", state: .healthy, detail: "none in the last hour"))
    }

    var table: String {
        var rows: [(String, String)] = [("state", state.rawValue)]
        rows += counts.map { ($0.0, String($0.1)) }
        rows += [("notices waiting", noticesSeen ? String(notices.pending) : "?"), ("notices sent", noticesSeen ? String(notices.sent) : "?"),
                 ("notices failed", noticesSeen ? String(notices.failed) : "?")]
        let width = rows.map(\.0.count).max() ?? 0
        var text = rows.map { $0.0.padding(toLength: width + 1, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n") + "\n"
        for check in checks {
            text += "\(check.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(check.name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(Printable.text(check.detail))\n"
        }
        return text
    }

    var json: JSONValue {
        .object([
            ("state", .string(state.rawValue)), ("exit_code", .int(Int(state.exitCode))),
            ("counts", .object(counts.map { ($0.0.replacingOccurrences(of: " ", with: "_"), .int($0.1)) })),
            ("notices", noticesSeen ? .object([("pending", .int(notices.pending)), ("sent", .int(notices.sent)), ("failed", .int(notices.failed))]) : .null),
            ("checks", .array(checks.map { .object([("name", .string($0.name)), ("state", .string($0.state.rawValue)),
                                                   ("detail", .string($0.detail))]) })),
        ])
    }
}

/// A unit's state as systemd tells it; nil where systemd does not run, or does not know the unit.
struct SystemdUnit {
    let active: String
    let status: String

    var description: String { Printable.text(status.isEmpty ? active : "\(active): \(status)") }

    static func state(_ unit: String) -> SystemdUnit? {
        guard FileManager.default.fileExists(atPath: "/run/systemd/system"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/systemctl") else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemctl")
        p.arguments = ["show", "-p", "LoadState", "-p", "ActiveState", "-p", "StatusText", unit]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // `Key=Value` lines, in the unit's order rather than the order asked.
        var properties: [Substring: Substring] = [:]
        for line in out.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            properties[line[..<eq]] = line[line.index(after: eq)...]
        }
        guard properties["LoadState"] == "loaded" else { return nil }
        return SystemdUnit(active: String(properties["ActiveState"] ?? "unknown"), status: String(properties["StatusText"] ?? ""))
    }
}
