import ConsultConfig
import ConsultCore
import ConsultLoop
import ConsultSystemd
import Logging
import ServiceLifecycle

/// consultd as a long-running service: the application is itself a ``Service``.
///
/// The work happens on one dedicated thread (``DaemonLoop``) that blocks in epoll on the spool's
/// inotify descriptor, a wall-clock timer for the next ladder step and a wake-up eventfd;
/// ``LoopService`` bridges it to the lifecycle: graceful shutdown (SIGTERM) and SIGHUP reach it
/// as requests.
public struct DaemonService: Service {
    let configPath: String
    let configuration: Configuration
    let calendar: CalendarFacts
    let journal: Journal
    let logger: Logger

    /// - Parameters:
    ///   - configPath: re-read on SIGHUP.
    ///   - configuration, calendar: the validated configuration to start with.
    public init(configPath: String, configuration: Configuration, calendar: CalendarFacts, journal: Journal, logger: Logger) {
        self.configPath = configPath
        self.configuration = configuration
        self.calendar = calendar
        self.journal = journal
        self.logger = logger
    }

    public func run() async throws {
        try await LoopService { [configPath, configuration, calendar, journal, logger] control in
            try DaemonLoop(configPath: configPath, configuration: configuration, calendar: calendar,
                           journal: journal, logger: logger, control: control).run()
        }.run()
    }
}
