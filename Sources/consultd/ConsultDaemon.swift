import ArgumentParser
import ConsultConfig
import ConsultCore
import ConsultEngine
import ConsultLoop
import ConsultRuntime
import ConsultService
import ConsultStore
import ConsultSystemd
import Foundation
import Logging
import ServiceLifecycle

@main
struct ConsultDaemon: ParsableCommand {
    static let version = Version.current

    static let configuration = CommandConfiguration(
        commandName: "consultd",
        abstract: "Keeps agencies to their word: watches the consultation spool, counts deadlines in working days, judges replies and climbs the escalation ladder.",
        discussion: """
            Without --once, runs as a service (Type=notify under systemd): watches new/ with inotify,
            fires ladder steps on time, reloads on SIGHUP, stops gracefully on SIGTERM.

            Examples:
              consultd --config /etc/consultd/consultd.toml   # the service
              consultd --check-config --config /etc/consultd/consultd.toml
              consultd --once                      # ingest what waits, fire what is due now, exit
              consultd --once --at 2025-03-11T08:00:00+07:00
            """,
        version: version
    )

    @Option(name: .long, help: "Configuration file.")
    var config = Configuration.defaultPath

    @Flag(name: .long, help: "Ingest everything waiting, fire every step due as of now (or --at), then exit.")
    var once = false

    @Option(name: .long, help: "With --once: act as if the time were this RFC 3339 instant.")
    var at: String?

    @Flag(name: .customLong("check-config"), help: "Validate the configuration and calendar, then exit.")
    var checkConfig = false

    mutating func validate() throws {
        if at != nil && !once { throw ValidationError("--at goes with --once") }
        if let at, Instant(rfc3339: at) == nil { throw ValidationError("--at must be an RFC 3339 instant with an offset, like 2025-03-11T08:00:00+07:00") }
    }

    func run() throws {
        let journal = Journal()
        LoggingSystem.bootstrap { _ in JournalLogHandler(journal: journal) }
        let logger = Logger(label: "consultd")

        let settings: Configuration
        let calendar: CalendarFacts
        do {
            settings = try Configuration.load(path: config)
            calendar = try CalendarFile.load(path: settings.calendarPath)
        } catch {
            fail("consultd: invalid configuration: \(error)", ExitStatus.config)
        }
        if checkConfig {
            let years = calendar.coveredYears.sorted().map(String.init).joined(separator: ", ")
            print("\(config): OK — \(settings.directory.agencies.count) agencies; calendar \(settings.calendarPath) covers \(years)")
            // Deadlines run weeks ahead: from October, next year's days off are wanted too.
            let today = LocalClock(timeZone: settings.timeZone).date(of: Instant.now)
            let wanted = today.month >= 10 ? [today.year, today.year + 1] : [today.year]
            for year in wanted where !calendar.coveredYears.contains(year) {
                FileHandle.standardError.write(Data("consultd: warning: calendar \(settings.calendarPath) does not cover \(year): deadlines that run into it are provisional (statutory holidays only, no bridge days or make-up Saturdays); add its [[off]] and [[workday]] dates once the government publishes them, then systemctl reload consultd\n".utf8))
            }
            return
        }
        // root working on the consultd account's spool and store would leave files that account
        // cannot rewrite (archive copies, notices): consultd becomes that account first, with its
        // groups and the unit's umask, as the service runs.
        if geteuid() == 0 {
            var folder = stat()
            let stateFolder = (settings.state as NSString).deletingLastPathComponent
            if stat(stateFolder.isEmpty ? "." : stateFolder, &folder) == 0, folder.st_uid != 0 {
                guard let account = getpwuid(folder.st_uid) else {
                    fail("consultd: \(stateFolder) belongs to uid \(folder.st_uid), which has no account: run consultd as its owner", ExitStatus.permission)
                }
                let name = String(cString: account.pointee.pw_name), gid = account.pointee.pw_gid
                guard initgroups(name, gid) == 0, setgid(gid) == 0, setuid(folder.st_uid) == 0 else {
                    fail("consultd: cannot become \(name), the owner of \(stateFolder): \(String(cString: strerror(errno)))", ExitStatus.permission)
                }
                umask(0o027)
            }
        }
        guard once else {
            let service = DaemonService(configPath: config, configuration: settings, calendar: calendar, journal: journal,
                                        logger: logger)
            var group = ServiceGroupConfiguration(services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint],
                                                  logger: logger)
            // systemd waits TimeoutStopSec; the contract promises an exit within 5 s.
            group.maximumGracefulShutdownDuration = .seconds(4)
            do {
                try ServiceExecutor(name: "consultd-tasks").run { [group] in
                    try await ServiceGroup(configuration: group).run()
                }
            } catch let error as StoreError where error.code == .locked {
                fail("consultd: \(error)", ExitStatus.unavailable)
            } catch let error as StoreError where error.code == .newerSchema {
                fail("consultd: \(error)", ExitStatus.config)
            } catch {
                fail("consultd: \(error)", ExitStatus.ioError)
            }
            return
        }
        let now = at.flatMap(Instant.init(rfc3339:)) ?? Instant.now
        do {
            try FileManager.default.createDirectory(atPath: (settings.state as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let lock = try StoreLock(state: settings.state, .daemon)
            defer { withExtendedLifetime(lock) {} }
            let store = try Store(path: settings.state)
            let engine = try Engine(configuration: settings, calendar: calendar, store: store, journal: journal, logger: logger)
            let summary = try engine.runOnce(now: now)
            print("applied \(summary.applied), already applied \(summary.duplicates), refused \(summary.refused), held \(summary.held), notices \(summary.notices)")
            if let failures = summary.failures {
                fail("consultd: \(failures); what failed stays pending and is retried on the next run", ExitStatus.ioError)
            }
        } catch let error as StoreError where error.code == .locked {
            fail("consultd: \(error)", ExitStatus.unavailable)
        } catch let error as StoreError where error.code == .newerSchema {
            fail("consultd: \(error)", ExitStatus.config)
        } catch {
            fail("consultd: \(error)", ExitStatus.ioError)
        }
    }

    private func fail(_ message: String, _ status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status)
    }
}
