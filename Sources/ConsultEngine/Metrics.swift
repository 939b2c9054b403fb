#if canImport(Glibc)
import Glibc
#endif
import ConsultConfig
import ConsultCore
import ConsultSpool
import ConsultStore
import Logging
import Synchronization

/// `consultd.prom` for node_exporter's textfile collector (`[metrics] textfile_dir`): the
/// daemon's counters since it started and gauges read from the store, in Prometheus's text
/// format, written atomically (a temporary file, then a rename) after a pass that changed
/// something, at most once every ``interval``. The store is read on a connection and a thread of
/// their own, so that neither the loop nor the commits wait for it.
///
/// Labels are bounded by the configuration: agencies not declared are counted as `other`; events
/// are the contract's and the ladder's steps; kinds and codes are the contract's.
public final class Metrics: Sendable {
    /// The shortest time between two writes.
    public static let interval: Duration = .seconds(15)
    /// The file node_exporter reads.
    public static let fileName = "consultd.prom"

    let directory: String
    let storePath: String
    let rules: Rules
    let agencies: Set<String>
    let outbox: String
    let version: String
    let logger: Logger
    private let thread = SerialThread(name: "consultd-metrics")

    private struct State {
        var applied: [String: Int] = [:]
        var refused: [String: Int] = [:]
        var notices: [String: Int] = [:]
        var lastIntake: Instant?
        /// The time of the latest pass (`--at` for `consultd --once --at`): what "overdue" is judged by.
        var passAt: Instant?
        var changed = true
        var lastWrite: ContinuousClock.Instant?
        var writing = false
        var failing = false
    }

    private let state = Mutex(State())

    public init(directory: String, configuration: Configuration, rules: Rules, version: String, logger: Logger) {
        self.directory = directory
        self.storePath = configuration.state
        self.rules = rules
        self.agencies = Set(configuration.directory.agencies.keys)
        self.outbox = configuration.outbox
        self.version = version
        self.logger = logger
    }

    // A reload makes a new engine, and with it new metrics: this one's thread ends.
    deinit { thread.close() }

    /// Counts what a pass did.
    public func record(_ summary: PassSummary, at now: Instant) {
        state.withLock { $0.passAt = now }
        guard summary.changedAnything else { return }
        state.withLock { s in
            s.applied.merge(summary.tally.applied, uniquingKeysWith: +)
            s.refused.merge(summary.tally.refused, uniquingKeysWith: +)
            s.notices.merge(summary.tally.notices, uniquingKeysWith: +)
            if summary.applied + summary.duplicates + summary.refused > 0 { s.lastIntake = now }
            s.changed = true
        }
    }

    /// When the next write is due (the service's loop wakes for it); nil when nothing changed.
    public var due: ContinuousClock.Instant? {
        state.withLock { s in
            guard s.changed, !s.writing else { return nil }
            return s.lastWrite.map { $0 + Self.interval } ?? .now
        }
    }

    /// Hands a write to the metrics thread when one is due; returns at once.
    public func writeIfDue() {
        guard let due, ContinuousClock.now >= due else { return }
        state.withLock { $0.writing = true }
        thread.submit { [self] in write() }
    }

    /// The read-only connection to the store at `path`, opened once and kept until the process
    /// stops (``close()``), across reloads: closing a GRDB queue releases a libdispatch queue,
    /// which starts libdispatch's worker pool and its monitor, and that monitor then wakes the
    /// idle daemon every second for the rest of its life.
    private static func reader(_ path: String) throws(StoreError) -> Store {
        try readers.withLock { (open: inout [String: Store]) throws(StoreError) -> Store in
            if let store = open[path] { return store }
            let store = try Store(path: path, readOnly: true, verify: false)
            open[path] = store
            return store
        }
    }

    private static let readers = Mutex<[String: Store]>([:])

    /// As the process stops: waits for a write in progress, then closes the read-only
    /// connection, so that the daemon's own, closed last, checkpoints the store and removes its
    /// `-wal` and `-shm` files, as SQLite does only for the last connection.
    public func close() {
        thread.drain()
        Self.readers.withLock { $0 = [:] }
    }

    /// Writes at once, on this thread (`consultd --once`, before it exits).
    public func writeNow() {
        write()
    }

    private func write() {
        let (applied, refused, notices, lastIntake, passAt) = state.withLock { s in
            s.changed = false
            return (s.applied, s.refused, s.notices, s.lastIntake, s.passAt)
        }
        let now = passAt ?? Instant.now
        do {
            let store = try Self.reader(storePath)
            let (open, groups) = try store.read { tx in (try tx.openConsultationCount(), try tx.openDutyGroups()) }
            let text = MetricsText.render(
                version: version, openConsultations: open,
                duties: Self.duties(groups, agencies: agencies, rules: rules, now: now),
                applied: applied, refused: refused, notices: notices,
                outboxPending: Self.pending(in: outbox), lastIntake: lastIntake)
            try Self.replace("\(directory)/\(Self.fileName)", with: Array(text.utf8))
            let recovered = state.withLock { s in defer { s.failing = false }; return s.failing }
            if recovered { logger.notice("Metrics are written to \(directory)/\(Self.fileName) again.") }
        } catch {
            let first = state.withLock { s in defer { s.failing = true }; return !s.failing }
            // Told once until a write succeeds: node_exporter's folder may come and go with its package.
            if first {
                logger.warning("Cannot write metrics to \(directory)/\(Self.fileName): \(error). Give the daemon's user write access to \(directory) (for example `setfacl -m u:consultd:rwx \(directory)`), or set [metrics] textfile_dir (\"\" turns metrics off). Said once until it works again.")
            }
        }
        state.withLock { s in
            s.writing = false
            s.lastWrite = .now
        }
    }

    /// Open duties as the gauges count them: by agency, kind and due or overdue; and overdue
    /// ones by the ladder step they have reached (`none` before their first step after the due date).
    static func duties(_ groups: [OpenDutyGroup], agencies: Set<String>, rules: Rules, now: Instant) -> MetricsText.Duties {
        let today = rules.clock.date(of: now)
        var duties = MetricsText.Duties()
        var reached: [String: String] = [:]   // kind and due date → step
        for g in groups {
            let agency = agencies.contains(g.agency) ? g.agency : "other"
            let overdue = g.due < today
            duties.open[MetricsText.DutyKey(agency: agency, kind: g.kind.rawValue, state: overdue ? "overdue" : "due"), default: 0] += g.count
            guard overdue else { continue }
            let key = "\(g.kind.rawValue) \(g.due)"
            let step = reached[key] ?? rules.stepReached(kind: g.kind, due: g.due, at: now)?.name ?? "none"
            reached[key] = step
            duties.overdueByStep[MetricsText.StepKey(kind: g.kind.rawValue, step: step), default: 0] += g.count
        }
        return duties
    }

    /// Notices waiting in the outbox for its consumer.
    static func pending(in outbox: String) -> Int {
        ((try? FileSystem.list(outbox)) ?? []).count { $0.hasSuffix(".json") }
    }

    /// Replaces `path` atomically: node_exporter never reads half a file. No fsync: metrics are
    /// written again after the next pass, and a crash loses nothing that matters.
    static func replace(_ path: String, with bytes: [UInt8]) throws(FileSystemError) {
        let temporary = "\(path).\(getpid()).tmp"   // not *.prom: the collector ignores it
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FileSystemError("open", temporary) }
        // Readable by node_exporter's own user, whatever the unit's UMask= (0027) leaves.
        _ = fchmod(fd, 0o644)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        Glibc.close(fd)
        guard written == bytes.count else {
            unlink(temporary)
            throw FileSystemError("write", temporary, errno: written < 0 ? errno : ENOSPC)
        }
        guard rename(temporary, path) == 0 else {
            let error = FileSystemError("rename", path)
            unlink(temporary)
            throw error
        }
    }
}

/// The text of `consultd.prom` (Prometheus exposition format 0.0.4).
enum MetricsText {
    struct DutyKey: Hashable { let agency: String; let kind: String; let state: String }
    struct StepKey: Hashable { let kind: String; let step: String }
    struct Duties {
        var open: [DutyKey: Int] = [:]
        var overdueByStep: [StepKey: Int] = [:]
    }

    static func render(version: String, openConsultations: Int, duties: Duties, applied: [String: Int], refused: [String: Int],
                       notices: [String: Int], outboxPending: Int, lastIntake: Instant?) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples {
                let labels = sample.labels.isEmpty ? "" : "{" + sample.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
                out += "\(name)\(labels) \(sample.value)\n"
            }
        }
        func counts(_ values: [String: Int], label: String) -> [(labels: [(String, String)], value: String)] {
            values.sorted { $0.key < $1.key }.map { ([(label, $0.key)], String($0.value)) }
        }
        family("consultd_build_info", "gauge", "The running consultd's version (always 1).", [([("version", version)], "1")])
        family("consultd_consultations_open", "gauge", "Consultations still open.", [([], String(openConsultations))])
        family("consultd_duties_open", "gauge", "Open duties by agency, kind (reply, reconcile) and state (due, overdue).",
               duties.open.sorted { ($0.key.agency, $0.key.kind, $0.key.state) < ($1.key.agency, $1.key.kind, $1.key.state) }
                   .map { ([("agency", $0.key.agency), ("kind", $0.key.kind), ("state", $0.key.state)], String($0.value)) })
        family("consultd_duties_overdue", "gauge", "Overdue open duties by kind and the latest ladder step due for them (none before the first).",
               duties.overdueByStep.sorted { ($0.key.kind, $0.key.step) < ($1.key.kind, $1.key.step) }
                   .map { ([("kind", $0.key.kind), ("step", $0.key.step)], String($0.value)) })
        family("consultd_notices_total", "counter", "Notices emitted since the daemon started, by event.", counts(notices, label: "event"))
        family("consultd_documents_applied_total", "counter", "Documents applied since the daemon started, by kind.", counts(applied, label: "kind"))
        family("consultd_documents_refused_total", "counter", "Documents refused since the daemon started, by code.", counts(refused, label: "code"))
        family("consultd_outbox_pending", "gauge", "Notices waiting in the outbox for its consumer.", [([], String(outboxPending))])
        if let lastIntake {
            family("consultd_last_intake_timestamp_seconds", "gauge", "When the daemon last took in a document (Unix time).",
                   [([], String(lastIntake.seconds))])
        }
        return out
    }

    /// A label value as the format wants it: backslash, double quote and line feed escaped.
    static func escape(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
