import ConsultConfig
import ConsultCore
import ConsultSystemd
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// consultd as a long-running service: the application is itself a ``Service``.
///
/// The work happens on one dedicated thread (``DaemonLoop``) that blocks in epoll on the spool's
/// inotify descriptor, a wall-clock timer for the next ladder step and a wake-up eventfd. This
/// task bridges it to the lifecycle: graceful shutdown (SIGTERM) and SIGHUP reach it as requests.
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
        let control = try LoopControl()
        // Trap SIGHUP before the loop can announce READY, so an early reload never kills us.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { control.requestReload() }
                }
                group.addTask { [configPath, configuration, calendar, journal, logger] in
                    try await Self.onOwnThread {
                        try DaemonLoop(configPath: configPath, configuration: configuration, calendar: calendar,
                                       journal: journal, logger: logger, control: control).run()
                    }
                }
                // The loop returning (stop requested, or a fatal error) ends the service.
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            control.requestStop()
        }
    }

    /// Runs blocking work on a thread of its own, so the thread that runs the tasks stays free.
    static func onOwnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try body()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }
}
