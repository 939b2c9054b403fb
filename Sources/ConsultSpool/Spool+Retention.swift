#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ConsultCore

/// What retention removes from the spool (contract §2, `[retention]`), worked out before anything
/// is removed, so that `consultctl prune --dry-run` lists exactly what the daemon's sweep removes.
public struct RetentionPlan: Sendable {
    /// The three folders retention sweeps.
    public enum Area: String, Sendable, CaseIterable {
        case done, rejected, sent
    }

    /// A file past its days.
    public struct Item: Sendable {
        public let area: Area
        public let path: String
        /// The day it counts from: its `done/` or `sent/` folder's, or the day it was refused.
        public let date: LocalDate
        /// The consultation it belongs to, as far as it names one.
        public let consultation: String?
        /// Why it is kept although past its days (its consultation is open …); nil when it goes.
        public let kept: String?
    }

    public var items: [Item] = []
    /// The dated folders of `done/` and `sent/` past their days: removed once empty.
    public var folders: [String] = []
    /// What could not be read while planning (a folder that cannot be listed …).
    public var problems: [String] = []

    /// The files that go.
    public var removed: [Item] { items.filter { $0.kept == nil } }
    /// The files past their days that stay.
    public var kept: [Item] { items.filter { $0.kept != nil } }

    public init() {}
}

/// What a sweep removed.
public struct RetentionOutcome: Sendable {
    public var removed: [RetentionPlan.Area: Int] = [:]
    public var folders = 0
    /// Files and folders that could not be removed, with the reason.
    public var failures: [String] = []
}

extension Spool {
    /// The files `retention` removes as of `today`: those of `done/DATE/` and `outbox/sent/DATE/`
    /// whose DATE has outlived its days, and refused documents (with their sidecars) whose
    /// refusal has — except files of a consultation `isOpen` says is still open, whatever their
    /// age. A document's consultation is the one its JSON names (also for a refused one, as far
    /// as it can be read within `maxBytes`); a notice's is its id's first part. A file of
    /// `done/` that names none is kept: every document applied names one, so it is not the
    /// daemon's to judge. `clock` gives the day of a refusal (its sidecar's `at`); `progress` is
    /// called every thousand files (the service feeds its watchdog).
    public func retentionPlan(_ retention: Retention, today: LocalDate, clock: LocalClock, maxBytes: Int,
                              isOpen: (String) -> Bool, progress: () -> Void = {}) -> RetentionPlan {
        var plan = RetentionPlan()
        var seen = 0
        func tick() {
            seen += 1
            if seen % 1000 == 0 { progress() }
        }
        func add(_ area: RetentionPlan.Area, _ path: String, _ date: LocalDate, _ consultation: String?, unnamed: String?) {
            let kept: String? = if let consultation { isOpen(consultation) ? "consultation \(consultation) is open" : nil } else { unnamed }
            plan.items.append(RetentionPlan.Item(area: area, path: path, date: date, consultation: consultation, kept: kept))
        }
        if retention.doneDays != nil {
            for (date, dir) in Self.datedFolders(done) where Retention.isExpired(date, keep: retention.doneDays, today: today) {
                plan.folders.append(dir)
                guard let entries = listed(dir, into: &plan) else { continue }
                for entry in entries {
                    tick()
                    let path = dir + "/" + entry.name
                    let bytes = FileSystem.contents(entry.path(in: dir), maxBytes: max(maxBytes, 64 << 20)).0
                    add(.done, path, date, bytes.flatMap { NamedParties.salvage($0).consultation },
                        unnamed: "it names no consultation")
                }
            }
        }
        if retention.rejectedDays != nil, let entries = listed(rejected, into: &plan) {
            let names = Set(entries.map(\.name))
            var sidecars: Set<String> = []
            for entry in entries where names.contains(entry.name + Self.sidecarSuffix) && !sidecars.contains(entry.name) {
                sidecars.insert(entry.name + Self.sidecarSuffix)
            }
            for entry in entries where !sidecars.contains(entry.name) {
                tick()
                guard let status = FileSystem.status(of: entry, in: rejected), status.mode & S_IFMT != S_IFDIR else { continue }
                let sidecar = names.contains(entry.name + Self.sidecarSuffix) ? entry.name + Self.sidecarSuffix : nil
                guard let date = refusalDay(entry, sidecar: sidecar, clock: clock), Retention.isExpired(date, keep: retention.rejectedDays, today: today) else {
                    continue
                }
                // A sidecar alone (its document could not be moved, or was taken away) names no
                // consultation; a document is read only as a regular file within the size limit.
                var consultation: String?
                if !entry.name.hasSuffix(Self.sidecarSuffix) || sidecar != nil,
                   let bytes = FileSystem.contents(entry.path(in: rejected), maxBytes: maxBytes).0 {
                    consultation = NamedParties.salvage(bytes).consultation
                }
                add(.rejected, rejected + "/" + entry.name, date, consultation, unnamed: nil)
                if let sidecar { add(.rejected, rejected + "/" + sidecar, date, consultation, unnamed: nil) }
            }
        }
        if retention.sentDays != nil {
            for (date, dir) in Self.datedFolders(sent) where Retention.isExpired(date, keep: retention.sentDays, today: today) {
                plan.folders.append(dir)
                guard let entries = listed(dir, into: &plan) else { continue }
                for entry in entries {
                    tick()
                    guard let status = FileSystem.status(of: entry, in: dir), status.mode & S_IFMT != S_IFDIR else { continue }
                    let id = entry.name.hasSuffix(".json") ? entry.name.dropLast(5) : Substring(entry.name)
                    let open = Retention.consultation(ofNoticeID: id) { isOpen(String($0)) }
                    plan.items.append(RetentionPlan.Item(area: .sent, path: dir + "/" + entry.name, date: date,
                                                         consultation: open.map(String.init),
                                                         kept: open.map { "consultation \($0) is open" }))
                }
            }
        }
        return plan
    }

    /// The entries of `dir` (dot-names left out), or nil with the reason noted in `plan`.
    private func listed(_ dir: String, into plan: inout RetentionPlan) -> [SpoolEntry]? {
        do {
            return try FileSystem.entries(dir)
        } catch {
            if error.errno != ENOENT { plan.problems.append("\(error)") }
            return nil
        }
    }

    /// The day a refused document was refused: its sidecar's `at`, else when it was moved into
    /// `rejected/` (its inode's change time, which the move set).
    private func refusalDay(_ entry: SpoolEntry, sidecar: String?, clock: LocalClock) -> LocalDate? {
        let side = sidecar.map { SpoolEntry(bytes: Array($0.utf8)) } ?? (entry.name.hasSuffix(Self.sidecarSuffix) ? entry : nil)
        if let side, let bytes = FileSystem.contents(side.path(in: rejected), maxBytes: 1 << 20).0,
           case let .string(at)? = (try? JSONReader.parse(bytes))?["at"], let instant = Instant(rfc3339: at) {
            return clock.date(of: instant)
        }
        var st = stat()
        guard lstat(entry.path(in: rejected), &st) == 0 else { return nil }
        return clock.date(of: Instant(seconds: Int64(st.st_ctim.tv_sec)))
    }

    /// Removes what `plan` says goes, then the dated folders left empty.
    public func prune(_ plan: RetentionPlan, progress: () -> Void = {}) -> RetentionOutcome {
        var outcome = RetentionOutcome()
        for (i, item) in plan.removed.enumerated() {
            if i % 1000 == 999 { progress() }
            if unlink(item.path) == 0 || errno == ENOENT {
                outcome.removed[item.area, default: 0] += 1
            } else {
                outcome.failures.append("\(FileSystemError("unlink", item.path))")
            }
        }
        for dir in plan.folders {
            if rmdir(dir) == 0 {
                outcome.folders += 1
            } else if errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT {
                outcome.failures.append("\(FileSystemError("rmdir", dir))")
            }
        }
        return outcome
    }
}
