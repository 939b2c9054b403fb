import ConsultConfig
import ConsultCore
import ConsultEngine
import ConsultLoop
import ConsultRuntime
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The service's event loop. Owns the engine (which is not thread-safe) and runs on one thread.
///
/// Wakes for: a document in `new/` (inotify), the next ladder step or a wall-clock change
/// (timerfd with cancel-on-set), a stop or reload request (eventfd), the periodic rescan, the
/// retry after a failed pass and the watchdog. Between those it sleeps in epoll: an idle daemon
/// uses no CPU.
///
/// The rule that keeps it from spinning: epoll sleeps until the earliest of a few deadlines
/// (rescan, retry, watchdog, STATUS=), and each turn that reaches a deadline moves it into the
/// future — the rescan and the retry by running the pass (a failed one doubles the retry
/// interval), the watchdog by feeding it, STATUS= by sending it. So the timeout is never zero
/// or negative, and a failure that lasts costs one pass per retry interval, however long it lasts.
/// The watchdog is fed by the turning loop (and between the batches of a long pass), whether the
/// passes succeed or not: what it watches is that the loop turns; what fails is said by STATUS=
/// and, once per episode, by the journal.
final class DaemonLoop {
    /// A full rescan of `new/` this often, in case inotify missed something.
    static let rescanInterval: Duration = .seconds(60)
    /// STATUS= at most this often: a busy intake must not flood the service manager.
    static let statusInterval: Duration = .seconds(1)

    let configPath: String
    let journal: Journal
    let logger: Logger
    let control: LoopControl
    let manager = ServiceManager()

    private var configuration: Configuration
    private var engine: Engine
    private var store: Store
    /// Held while the store is open: neither `consultctl restore` nor `consultd --once` can work on it meanwhile.
    private var lock: StoreLock
    private var watcher: SpoolWatcher
    private let epoll: Epoll
    private let timer: WallClockTimer
    /// The failure that lasts, while one does.
    private var episode: FailureEpisode?
    private var lastIntake: Instant?
    private var lastStatus = ""
    private var statusDue = false
    private var lastStatusAt: ContinuousClock.Instant
    private var lastRescan: ContinuousClock.Instant
    private let clock = ContinuousClock()
    private var lastPing: ContinuousClock.Instant
    /// The sign of life `consultctl status` reads where systemd cannot answer.
    private var heartbeat: Heartbeat
    private var lastBeat: ContinuousClock.Instant

    init(configPath: String, configuration: Configuration, calendar: CalendarFacts, journal: Journal, logger: Logger,
         control: LoopControl) throws {
        self.configPath = configPath
        self.configuration = configuration
        self.journal = journal
        self.logger = logger
        self.control = control
        manager.notify("STATUS=Opening the state store")
        try FileManager.default.createDirectory(atPath: (configuration.state as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        lock = try StoreLock(state: configuration.state, .daemon)
        // The integrity check reads the whole store: it runs after READY, before the first write.
        store = try Store(path: configuration.state, verify: false)
        engine = try Engine(configuration: configuration, calendar: calendar, store: store, journal: journal, logger: logger)
        lastPing = clock.now
        lastStatusAt = clock.now
        lastRescan = clock.now
        heartbeat = Heartbeat(statePath: configuration.state)
        lastBeat = clock.now
        watcher = try SpoolWatcher(directory: engine.intake.incoming)
        epoll = try Epoll()
        timer = try WallClockTimer()
        for fd in [watcher.descriptor, timer.descriptor, control.wakeDescriptor] { try epoll.watchInput(fd) }
        attach(engine)
    }

    /// Lets a long pass stop between batches, and keeps the watchdog fed while it works.
    private func attach(_ engine: Engine) {
        engine.control.shouldStop = { [control] in control.isStopRequested }
        engine.control.betweenBatches = { [weak self] in self?.feedWatchdog() }
    }

    private func feedWatchdog() {
        guard let watchdog = manager.watchdogInterval, clock.now - lastPing >= watchdog / 2 else { return }
        manager.notify("WATCHDOG=1")
        lastPing = clock.now
    }

    func run() throws {
        try start()
        // Store queries (next step, STATUS counts) only after something may have changed them.
        var worked = true
        while !control.isStopRequested {
            if worked { armTimer() }
            let ready = try epoll.wait(milliseconds: timeout())
            if control.isStopRequested { break }
            worked = false
            if control.takeReload() {
                reload()
                worked = true
            }
            let woken = wakeup(ready)
            let retryDue = episode.map { clock.now >= $0.retryAt } ?? false
            if woken.full || retryDue || clock.now - lastRescan >= Self.rescanInterval {
                pass(full: true, names: [])
                engine.intake.sweepStaleHandOffs(now: Instant.now)
                lastRescan = clock.now
                worked = true
            } else if !woken.names.isEmpty || woken.fire {
                pass(full: false, names: woken.names)
                worked = true
            }
            // Once a day, at the first turn of each local day (a pass runs at least every minute).
            if worked { engine.retention.sweepIfDue(now: Instant.now) }
            engine.intake.settleIfDue()
            engine.metrics?.writeIfDue()
            feedWatchdog()
            if clock.now - lastBeat >= Heartbeat.touchInterval {
                heartbeat.touch()
                lastBeat = clock.now
            }
            statusDue = statusDue || worked
            reportStatus()
        }
        manager.notify("STOPPING=1\nSTATUS=Stopping")
        heartbeat.stop()
        // The archive's rounds left for the next start to settle (or made durable now, where the
        // boot id is hidden).
        do {
            try engine.intake.settleBeforeExit()
        } catch {
            logger.error("Cannot make the archive durable before stopping: \(error). The next start finishes it.")
        }
        engine.metrics?.close()
        journal.send(.daemon, message: "consultd stopping.")
    }

    /// READY as soon as the store is open and `new/` is watched: the integrity check and the
    /// first pass (a backlog, or the steps that fell due while the daemon was down) can take
    /// longer than any start timeout, and feed the watchdog as they go.
    private func start() throws {
        // Named, so that `top -H` and `ps -L` tell the loop from the runtime's worker threads.
        CurrentThread.setName("consultd-loop")
        manager.notify("READY=1\nSTATUS=Checking the state store")
        heartbeat.start()
        journal.send(.daemon, message: "consultd started; watching \(engine.intake.incoming).")
        try store.verify()
        engine.delivery.removeStagingLeftovers()
        manager.notify("STATUS=Catching up: documents waiting and steps due")
        pass(full: true, names: [])
        engine.retention.sweepIfDue(now: Instant.now)
        lastStatus = statusLine()
        manager.notify(lastStatus)
        lastRescan = clock.now
        lastStatusAt = clock.now
        if manager.watchdogInterval != nil {
            manager.notify("WATCHDOG=1")
            lastPing = clock.now
        }
    }

    /// How long epoll may sleep: until the rescan, the retry after a failed pass, the watchdog's
    /// half-interval, or a STATUS= update that is due, whichever comes first. The turn before
    /// has moved each of them into the future (the rule above); never less than 1 ms anyway.
    private func timeout() -> Int32 {
        var deadline = lastRescan + Self.rescanInterval
        if let episode { deadline = min(deadline, episode.retryAt) }
        if let watchdog = manager.watchdogInterval { deadline = min(deadline, lastPing + watchdog / 2) }
        if statusDue { deadline = min(deadline, lastStatusAt + Self.statusInterval) }
        if let settle = engine.intake.settleDue { deadline = min(deadline, settle) }
        if let metrics = engine.metrics?.due { deadline = min(deadline, metrics) }
        return LoopTime.milliseconds(deadline - clock.now)
    }

    /// What woke the loop: names inotify gave, a full rescan asked for (the inotify queue
    /// overflowed), a step due (the timer expired, or the wall clock was set).
    private func wakeup(_ ready: [Int32]) -> (names: [String], full: Bool, fire: Bool) {
        var names: [String] = []
        var full = false
        var fire = false
        for fd in ready {
            if fd == watcher.descriptor {
                let events = watcher.drain()
                names += events.names
                if events.overflow {
                    logger.warning("inotify queue overflowed; rescanning \(engine.intake.incoming)")
                    full = true
                }
            } else if fd == timer.descriptor {
                switch timer.read() {
                case .clockChanged:
                    logger.notice("The wall clock was set; deciding the steps due at the new time")
                    fire = true
                case .expired: fire = true
                case .pending, .failed: break
                }
            } else if fd == control.wakeDescriptor {
                control.clearWake()
            }
        }
        return (names, full, fire)
    }

    /// STATUS= at most once a `statusInterval`, and only when it changed.
    private func reportStatus() {
        guard statusDue, clock.now - lastStatusAt >= Self.statusInterval else { return }
        let status = statusLine()
        if status != lastStatus {
            manager.notify(status)
            lastStatus = status
        }
        statusDue = false
        lastStatusAt = clock.now
    }

    /// One unit of work: documents (all of `new/`, or the names inotify gave), then due steps.
    private func pass(full: Bool, names: [String]) {
        let at = Instant.now
        var failure: String?
        do {
            let summary = try engine.pass(now: at, names: full ? nil : names)
            if summary.applied + summary.duplicates + summary.refused > 0 { lastIntake = at }
            failure = summary.failures
        } catch {
            failure = "\(error)"
        }
        settle(failure, full: full)
    }

    /// After a pass: a failure starts an episode (told to the journal once) or, after a full
    /// pass, doubles the retry interval up to `maximumRetryInterval`; a full pass without failure
    /// ends it. A partial pass (the names inotify gave, a step due) never ends an episode: it did
    /// not retry what failed.
    private func settle(_ failure: String?, full: Bool) {
        let now = clock.now
        guard let failure else {
            if full, let ended = episode {
                episode = nil
                logger.notice("consultd works again: a pass without failure, after failing since \(engine.rules.clock.format(ended.since)).")
            }
            return
        }
        guard episode != nil else {
            episode = FailureEpisode(what: failure, since: .now, now: now)
            logger.error("A pass failed: \(failure). What failed stays pending and is retried after 1 s, then at intervals doubling to \(FailureEpisode.maximumRetryInterval.components.seconds) s; said once until a pass succeeds, STATUS= says what fails meanwhile.")
            return
        }
        episode?.failedAgain(failure, full: full, now: now)
    }

    /// Arms the wall-clock timer for the next ladder step (disarmed when none is scheduled).
    private func armTimer() {
        let next = (try? engine.scheduler.nextStepInstant()) ?? nil
        // At 1 at least: an all-zero time would disarm the timer.
        timer.arm(at: next.map { max($0.seconds, 1) })
    }

    /// The counts, preceded by what fails while something does. One line, whatever a file's name
    /// holds: a newline would start an assignment of its own in the notification.
    private func statusLine() -> String {
        var failing = ""
        if let episode {
            let next = max(0, (episode.retryAt - clock.now).components.seconds)
            failing = "Failing since \(engine.rules.clock.format(episode.since)): \(episode.what); next retry in \(next) s; "
        }
        guard let counts = try? engine.statusCounts(now: Instant.now) else {
            return "STATUS=" + Printable.text(failing + "State store unavailable")
        }
        let intake = lastIntake.map { engine.rules.clock.format($0) } ?? "none yet"
        return "STATUS=" + Printable.text(failing + "\(counts.open) open consultations, \(counts.overdue) overdue duties, last intake \(intake)")
    }

    /// SIGHUP: re-read the configuration and calendar; keep the old ones if either is invalid.
    /// READY=1 follows as soon as the files are read: the rescan under the new configuration comes
    /// after it, so no WATCHDOG=1 of that pass falls between RELOADING=1 and READY=1, and
    /// `systemctl is-active` says `reloading` no longer than the files take.
    private func reload() {
        manager.notify("RELOADING=1\nMONOTONIC_USEC=\(LoopTime.monotonicMicroseconds())")
        var reloaded = false
        do {
            let fresh = try Configuration.load(path: configPath)
            let calendar = try CalendarFile.load(path: fresh.calendarPath)
            // The lock is the folder's: a store moved within its folder keeps it (a second flock
            // of that folder, on another descriptor, would fail against this process's own).
            let sameFolder = (fresh.state as NSString).deletingLastPathComponent == (configuration.state as NSString).deletingLastPathComponent
            let freshLock = sameFolder ? lock : try StoreLock(state: fresh.state, .daemon)
            let freshStore = fresh.state == configuration.state ? store : try Store(path: fresh.state)
            let freshEngine = try Engine(configuration: fresh, calendar: calendar, store: freshStore, journal: journal, logger: logger)
            if freshEngine.intake.incoming != engine.intake.incoming {
                let freshWatcher = try SpoolWatcher(directory: freshEngine.intake.incoming)
                try epoll.watchInput(freshWatcher.descriptor)
                watcher = freshWatcher
            }
            // The archive's folders of the engine replaced are settled by it, not left behind.
            do {
                try engine.intake.settleBeforeExit()
            } catch {
                logger.error("Cannot make the archive durable before the reload: \(error). The next start finishes it.")
            }
            attach(freshEngine)
            if fresh.state != configuration.state {
                heartbeat.stop()
                heartbeat = Heartbeat(statePath: fresh.state)
                heartbeat.start()
            }
            configuration = fresh
            store = freshStore
            lock = freshLock
            engine = freshEngine
            journal.send(.daemon, message: "consultd reloaded \(configPath).")
            reloaded = true
        } catch {
            journal.send(.configInvalid,
                         message: "Reload refused, the previous configuration stays in force: \(error)")
        }
        manager.notify("READY=1\n" + statusLine())
        if reloaded { pass(full: true, names: []) }
    }
}
