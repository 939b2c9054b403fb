import ArgumentParser
import ConsultAdmin
import ConsultCore
import ConsultEngine
import ConsultRuntime
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Logging

/// `consultctl prune [--dry-run]`: retention (contract §2, `[retention]`) on demand.
struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove what [retention] says outlived its days from done/, rejected/ and outbox/sent/ (--dry-run: list it).",
        discussion: """
            The same sweep consultd makes once a day: files of done/DATE/ and outbox/sent/DATE/ whose
            DATE is more than done_days or sent_days days past, and refused documents of rejected/
            (with their NAME.error.json) refused more than rejected_days days ago — except files of a
            consultation still open, whatever their age. A key that is absent keeps its folder for
            ever. Each file is printed with what it is; --dry-run removes nothing. A prune that removes
            something tells the journal in one `retention` entry. Run it as root (done/ and rejected/
            are the daemon's); it may run while consultd runs.

            Exit status: 0 done; 74 when something could not be read or removed; 78 configuration.

            Examples:
              consultctl prune --dry-run
              consultctl prune
              consultctl prune --dry-run --at 2025-12-31T12:00:00+07:00   # as of that day
            """)

    @OptionGroup var options: Options

    @Flag(name: .customLong("dry-run"), help: "List what would be removed; remove nothing.")
    var dryRun = false

    @Option(name: .long, help: "Sweep as of this RFC 3339 instant instead of now (as `consultd --once --at` does).")
    var at: String?

    mutating func validate() throws {
        if let at, Instant(rfc3339: at) == nil { throw ValidationError("--at must be an RFC 3339 instant with an offset, like 2025-03-11T08:00:00+07:00") }
    }

    func run() throws {
        let (settings, _) = try options.load()
        guard settings.retention.removesAnything else {
            writeLine("\(options.config) sets no [retention] days: nothing is ever removed")
            return
        }
        let store = try options.store(settings)
        let sweep = RetentionSweep(configuration: settings, store: store, journal: Journal(), logger: Logger(label: "consultctl"))
        let now = at.flatMap(Instant.init(rfc3339:)) ?? Instant.now
        let plan: RetentionPlan
        do {
            plan = try sweep.plan(now: now)
        } catch {
            writeError("consultctl: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        let rows = plan.items.map { item in
            [item.kept == nil ? (dryRun ? "would remove" : "remove") : "keep", item.path, item.area.rawValue, item.date.description,
             item.kept ?? item.consultation.map { "\($0) is not open" } ?? "names no open consultation"]
        }
        if !rows.isEmpty { write(TextTable.render(header: ["", "FILE", "FOLDER", "DAY", "WHY"], rows: rows)) }
        for problem in plan.problems { writeError("consultctl: cannot read: \(problem)") }
        let removed = plan.removed
        var counts = RetentionPlan.Area.allCases.map { area in "\(area.rawValue) \(removed.count { $0.area == area })" }.joined(separator: ", ")
        counts = "\(removed.count) file\(removed.count == 1 ? "" : "s") (\(counts))"
        let kept = plan.kept.count
        if dryRun {
            writeLine("would remove \(counts); keep \(kept) past their days (their consultation is open) — \(settings.retention.summary)")
            if !plan.problems.isEmpty { throw ExitCode(ExitStatus.ioError) }
            return
        }
        let outcome = sweep.execute(plan, by: "consultctl prune")
        for failure in outcome.failures { writeError("consultctl: cannot remove: \(failure)") }
        writeLine("removed \(counts) and \(outcome.folders) emptied day folder\(outcome.folders == 1 ? "" : "s"); kept \(kept) past their days (their consultation is open) — \(settings.retention.summary)")
        if !outcome.failures.isEmpty || !plan.problems.isEmpty { throw ExitCode(ExitStatus.ioError) }
    }
}
