import ConsultConfig
import ConsultCore
import ConsultLoop
import ConsultRuntime
import ConsultSpool
import ConsultSystemd
import Foundation
import Logging
import ServiceLifecycle

/// consultd-mail's event loop, on one thread: it owns the ``Courier``.
///
/// Wakes for: a notice renamed into the outbox (inotify), a stop or reload request (eventfd),
/// the periodic rescan, the retry after a temporary failure, the watchdog and a STATUS= update
/// that is due. As consultd's loop, it never spins: epoll sleeps until the earliest of those
/// deadlines, and each turn that reaches one moves it into the future. While a failure lasts
/// (an episode: from the first temporary failure to the next full pass without one) notices
/// that arrive wait for the retry — 1 s after the first failure, then 2, 4 … up to 60 s — rather
/// than each costing a run of a failing sendmail; the journal hears of the episode once, at its
/// start (`mail-failed`) and at its end (`mail-recovered`).
final class MailLoop {
    /// A full rescan of the outbox this often, in case inotify missed something.
    static let rescanInterval: Duration = .seconds(60)
    /// STATUS= at most this often.
    static let statusInterval: Duration = .seconds(1)

    let journal: Journal
    let logger: Logger
    let control: LoopControl
    let manager = ServiceManager()

    private var setup: MailSetup
    private var courier: Courier
    private var watcher: SpoolWatcher
    private let epoll: Epoll
    private var episode: FailureEpisode?
    private let clock = ContinuousClock()
    private var lastPing: ContinuousClock.Instant
    private var lastRescan: ContinuousClock.Instant
    private var lastStatusAt: ContinuousClock.Instant
    private var statusDue = false
    private var lastStatus = ""
    private var totals = Courier.Pass()
    private var lastDelivery: Instant?

    init(setup: MailSetup, journal: Journal, logger: Logger, control: LoopControl) throws {
        self.setup = setup
        self.journal = journal
        self.logger = logger
        self.control = control
        courier = try setup.courier(journal: journal, logger: logger)
        watcher = try SpoolWatcher(directory: setup.outbox)
        epoll = try Epoll()
        for fd in [watcher.descriptor, control.wakeDescriptor] { try epoll.watchInput(fd) }
        lastPing = clock.now
        lastRescan = clock.now
        lastStatusAt = clock.now
        attach(courier)
    }

    /// Lets a pass stop between notices (and a sendmail run end), and feeds the watchdog while
    /// it works.
    private func attach(_ courier: Courier) {
        courier.tick = { [weak self] in
            guard let self else { return false }
            feedWatchdog()
            return !control.isStopRequested
        }
    }

    private func feedWatchdog() {
        guard let watchdog = manager.watchdogInterval, clock.now - lastPing >= watchdog / 2 else { return }
        manager.notify("WATCHDOG=1")
        lastPing = clock.now
    }

    func run() throws {
        CurrentThread.setName("consultd-mail")
        manager.notify("READY=1\nSTATUS=Delivering the notices waiting")
        journal.send(.daemon, message: "consultd-mail started; watching \(setup.outbox), handing notices to \(setup.sendmail.path).")
        tellContactProblems()
        pass(full: true, names: [])
        while !control.isStopRequested {
            let ready = try epoll.wait(milliseconds: timeout())
            if control.isStopRequested { break }
            if control.takeReload() { reload() }
            let woken = wakeup(ready)
            let retryDue = episode.map { clock.now >= $0.retryAt } ?? false
            if woken.full || retryDue || clock.now - lastRescan >= Self.rescanInterval {
                pass(full: true, names: [])
            } else if !woken.names.isEmpty && episode == nil {
                pass(full: false, names: woken.names)
            }
            feedWatchdog()
            reportStatus()
        }
        manager.notify("STOPPING=1\nSTATUS=Stopping")
        journal.send(.daemon, message: "consultd-mail stopping.")
    }

    /// How long epoll may sleep: until the rescan, the retry, the watchdog's half-interval or a
    /// STATUS= update that is due, whichever comes first.
    private func timeout() -> Int32 {
        var deadline = lastRescan + Self.rescanInterval
        if let episode { deadline = min(deadline, episode.retryAt) }
        if let watchdog = manager.watchdogInterval { deadline = min(deadline, lastPing + watchdog / 2) }
        if statusDue { deadline = min(deadline, lastStatusAt + Self.statusInterval) }
        return LoopTime.milliseconds(deadline - clock.now)
    }

    /// Names inotify gave, and whether its queue overflowed (then everything is looked at).
    private func wakeup(_ ready: [Int32]) -> (names: [String], full: Bool) {
        var names: [String] = []
        var full = false
        for fd in ready {
            if fd == watcher.descriptor {
                let events = watcher.drain()
                names += events.names
                if events.overflow {
                    logger.warning("inotify queue overflowed; rescanning \(setup.outbox)")
                    full = true
                }
            } else if fd == control.wakeDescriptor {
                control.clearWake()
            }
        }
        return (names, full)
    }

    /// One pass, then the episode's bookkeeping: a temporary failure starts one (told once) or,
    /// in a full pass, doubles the retry interval; a full pass without one ends it.
    private func pass(full: Bool, names: [String]) {
        let result = courier.pass(names: full ? nil : names)
        if full { lastRescan = clock.now }
        totals.sent += result.sent
        totals.unaddressed += result.unaddressed
        totals.failed += result.failed
        if result.sent > 0 { lastDelivery = .now }
        statusDue = true
        guard let failure = result.temporary else {
            if full, let ended = episode {
                episode = nil
                journal.send(.mailRecovered,
                             message: "Notices are handed to \(setup.sendmail.path) again, after failing since \(LocalClock(timeZone: setup.timeZone).format(ended.since)); the ones that waited have gone out.")
            }
            return
        }
        guard episode != nil else {
            episode = FailureEpisode(what: failure.what, since: .now, now: clock.now)
            journal.send(.mailFailed,
                         message: "Cannot hand notices to the mail system: \(failure.what). They stay in \(setup.outbox) and are tried again after 1 s, then at intervals doubling to \(FailureEpisode.maximumRetryInterval.components.seconds) s; said once until it works again.",
                         fields: [("CONSULT_NOTICE_ID", failure.notice.hasSuffix(".json") ? String(failure.notice.dropLast(5)) : ""),
                                  ("CONSULT_FILE", failure.notice)])
            return
        }
        episode?.failedAgain(failure.what, full: full, now: clock.now)
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

    /// What fails, while something does; then the counts since start. One line, whatever a
    /// file's name holds.
    private func statusLine() -> String {
        let local = LocalClock(timeZone: setup.timeZone)
        var failing = ""
        if let episode {
            let next = max(0, (episode.retryAt - clock.now).components.seconds)
            failing = "Failing since \(local.format(episode.since)): \(episode.what); next retry in \(next) s; "
        }
        let last = lastDelivery.map { local.format($0) } ?? "none yet"
        // Counted here, at most once a second: a pass per notice need not read the folder again.
        let waiting = courier.outbox.waitingCount()
        return "STATUS=" + Printable.text(failing + "\(waiting) notice\(waiting == 1 ? "" : "s") waiting; since start \(totals.sent) sent, \(totals.failed) failed; last sent \(last)")
    }

    /// Contacts that are no e-mail address: one warning per start or reload, naming the first ones.
    private func tellContactProblems() {
        let problems = setup.contactProblems
        guard !problems.isEmpty else { return }
        let shown = problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; and \(problems.count - 5) more" : "")
        logger.warning("\(problems.count) contact\(problems.count == 1 ? " is" : "s are") no e-mail address in \(setup.configPath) (\(shown)); notices to them go to \(setup.outbox)/failed/.")
    }

    /// SIGHUP: re-read the configuration; keep the old one if it is invalid.
    private func reload() {
        manager.notify("RELOADING=1\nMONOTONIC_USEC=\(LoopTime.monotonicMicroseconds())")
        do {
            let fresh = try MailSetup.load(path: setup.configPath)
            let freshCourier = try fresh.courier(journal: journal, logger: logger)
            if fresh.outbox != setup.outbox {
                let freshWatcher = try SpoolWatcher(directory: fresh.outbox)
                try epoll.watchInput(freshWatcher.descriptor)
                watcher = freshWatcher
            }
            attach(freshCourier)
            courier = freshCourier
            setup = fresh
            journal.send(.daemon, message: "consultd-mail reloaded \(setup.configPath).")
            tellContactProblems()
        } catch {
            journal.send(.configInvalid, message: "Reload refused, the previous configuration stays in force: \(error)")
        }
        manager.notify("READY=1\n" + statusLine())
        pass(full: true, names: [])
    }
}

/// consultd-mail as a service: ``MailLoop`` on a thread of its own, under the lifecycle.
public struct MailService: Service {
    let setup: MailSetup
    let journal: Journal
    let logger: Logger

    public init(setup: MailSetup, journal: Journal, logger: Logger) {
        self.setup = setup
        self.journal = journal
        self.logger = logger
    }

    public func run() async throws {
        try await LoopService { [setup, journal, logger] control in
            try MailLoop(setup: setup, journal: journal, logger: logger, control: control).run()
        }.run()
    }
}
