#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ConsultAdmin
import ConsultConfig
import ConsultCore
import ConsultEngine
import ConsultRuntime
import ConsultSpool
import ConsultStore
import ConsultSystemd
import Foundation
import Logging

/// `consultctl restore BACKUP` (contract §10): the backup put in place, then what `done/`
/// archived since replayed, so that the store loses nothing the spool holds.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup made by `consultctl backup` in place and replay what done/ archived since (consultd stopped).",
        discussion: """
            Refuses while consultd runs (exit 69). Checks the backup: an SQLite file, whole (PRAGMA
            integrity_check), a consultd store of a schema this version knows (exit 65 otherwise). Then,
            on a copy beside the state file: applies again every document done/ archived from the last
            document the backup holds on (done/ keeps the instant each was applied as its file's
            modification time), at the instants and in the order they were first applied, and fires the
            ladder steps at the instants the daemon's passes fired them (the outbox and outbox/sent/ tell
            when). A notice whose file is in the outbox or outbox/sent/ is recorded as delivered, never
            written again; one without recipients too; any other is written when consultd starts. The
            copy then replaces the state file atomically, with its owner and mode; the store it replaced
            stays beside it as STATE.replaced-TIMESTAMP. Prints what it replayed; the journal gets one
            `replayed` entry per document and one `restored` entry.

            Exit status: 0 restored; 65 the backup is no consultd backup, or a document of done/ could
            not be replayed (the store is restored all the same; the lines name them); 66 no such
            backup; 69 consultd is running; 74 I/O; 78 configuration.

            Examples:
              systemctl stop consultd
              consultctl restore /var/backups/consultd-2025-03-15.sqlite
              systemctl start consultd
            """)

    @OptionGroup var options: Options
    @Argument(help: "A backup made by `consultctl backup`.")
    var backup: String

    func run() throws {
        let (settings, calendar) = try options.load()
        var st = stat()
        guard stat(backup, &st) == 0 else {
            writeError("consultctl: \(backup): \(String(cString: strerror(errno)))")
            throw ExitCode(errno == ENOENT || errno == ENOTDIR ? ExitStatus.noInput : ExitStatus.ioError)
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            writeError("consultctl: \(backup) is not a regular file; give a file made by `consultctl backup`")
            throw ExitCode(ExitStatus.badDocument)
        }
        var live = stat()
        if stat(settings.state, &live) == 0, live.st_dev == st.st_dev, live.st_ino == st.st_ino {
            writeError("consultctl: \(backup) is the state store itself (\(settings.state)); give a backup made by `consultctl backup`")
            throw ExitCode(ExitStatus.usage)
        }
        // On a machine where consultd never started, the state folder (StateDirectory=) is not
        // there yet: made as systemd would, 0750 and the daemon's (the owner of done/).
        let folder = (settings.state as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            var archive = stat()
            guard stat(settings.spool + "/done", &archive) == 0, mkdir(folder, 0o750) == 0,
                  chown(folder, archive.st_uid, archive.st_gid) == 0, chmod(folder, 0o750) == 0 else {
                writeError("consultctl: the state store's folder \(folder) does not exist and cannot be made (\(String(cString: strerror(errno)))); install consultd first")
                throw ExitCode(ExitStatus.ioError)
            }
        }
        let lock: StoreLock
        do {
            lock = try StoreLock(state: settings.state, .restore)
        } catch {
            writeError("consultctl: cannot restore: \(error)")
            throw ExitCode(error.code == .locked ? ExitStatus.unavailable : ExitStatus.ioError)
        }
        try withExtendedLifetime(lock) { try restore(settings, calendar) }
    }

    private func restore(_ settings: Configuration, _ calendar: CalendarFacts) throws {
        let clock = LocalClock(timeZone: settings.timeZone)
        let spool = Spool(root: settings.spool, outbox: settings.outbox)
        // The daemon's account: the state file's owner, else the archive's (the daemon's own).
        var owner = stat()
        let ownerKnown = stat(settings.state, &owner) == 0 || stat(spool.done, &owner) == 0
        let account = ownerKnown ? owner.st_uid : geteuid()
        let group = ownerKnown ? owner.st_gid : getegid()
        var mode: mode_t = 0o640
        var existing = stat()
        if stat(settings.state, &existing) == 0 { mode = existing.st_mode & 0o777 }

        // Built in a folder of root's own beside the state file: the daemon's account, which may
        // write in the state folder, cannot swap a link in for a file root writes.
        let scratch: String
        do {
            scratch = try Store.privateFolder(beside: settings.state)
        } catch {
            writeError("consultctl: cannot restore: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        defer { Store.removePrivateFolder(scratch) }
        let temp = scratch + "/restoring.sqlite"
        let record: BackupRecord
        do {
            record = try Store.copyBackup(backup, to: temp)
        } catch let error as StoreError {
            writeError("consultctl: cannot restore: \(error)")
            throw ExitCode(error.code == .notABackup ? ExitStatus.badDocument : ExitStatus.ioError)
        }
        let report: Replay.Report
        do {
            let store = try Store(path: temp)
            report = try Replay(configuration: settings, calendar: calendar, store: store, daemonAccount: account).run(after: record)
            try store.forgetBackupRecord()
            try store.checkpointAndClose()
        } catch {
            writeError("consultctl: cannot replay \(spool.done) over the backup (the state store is left as it was): \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        let replaced: String?
        do {
            replaced = try Store.install(temp, at: settings.state, owner: account, group: group, mode: mode,
                                         stamp: Self.stamp(Instant.now))
        } catch {
            writeError("consultctl: cannot put the restored store in place at \(settings.state): \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
        let summary = tell(report, record: record, replaced: replaced, settings: settings, clock: clock)
        let journal = Journal()
        for step in report.steps {
            guard case let .applied(document, kind, parties, notices) = step else { continue }
            journal.send(.replayed, message: "Replayed \(kind.rawValue) done/\(document.archivePath) for \(parties.consultation ?? "?") after restoring \(settings.state) from \(backup) (first applied \(clock.format(document.appliedAt)); \(notices.count) notice\(notices.count == 1 ? "" : "s") decided again).",
                         fields: parties.journalFields + [("CONSULT_FILE", document.archivedName)])
        }
        journal.send(.restored, message: summary, fields: [("CONSULT_FILE", backup)])
        if report.refused > 0 { throw ExitCode(ExitStatus.badDocument) }
    }

    /// Prints what was replayed, line by line; returns the summary sentence.
    private func tell(_ report: Replay.Report, record: BackupRecord, replaced: String?, settings: Configuration, clock: LocalClock) -> String {
        let taken = record.takenAt.map { "taken \(clock.format($0))" } ?? "not made by consultctl backup"
        let from = record.appliedUntil.map { "from \(clock.format($0)) on" } ?? "all of it (the backup holds no document)"
        writeLine("backup \(backup): \(taken); \(record.consultations) consultations, \(record.documents) documents; replaying done/ \(from)")
        func notices(_ decided: [Replay.DecidedNotice]) -> String {
            decided.map { d in
                switch d.fate {
                case let .found(path): "\(d.notice.noticeID) (in \(path.hasPrefix(settings.outbox + "/sent/") ? "outbox/sent/" : "outbox/"))"
                case .journalOnly: "\(d.notice.noticeID) (journal only)"
                case .pending: "\(d.notice.noticeID) (to write)"
                }
            }.joined(separator: ", ")
        }
        var rows: [[String]] = []
        for step in report.steps {
            switch step {
            case let .applied(document, kind, parties, decided):
                rows.append(["replayed", "done/\(document.archivePath)", "\(kind.rawValue) \(parties.consultation ?? "")",
                             clock.format(document.appliedAt), notices(decided)])
            case let .alreadyApplied(document):
                rows.append(["known", "done/\(document.archivePath)", "already applied in the backup", clock.format(document.appliedAt), ""])
            case let .refused(document, reason):
                rows.append(["REFUSED", "done/\(document.archivePath)", reason, clock.format(document.appliedAt), ""])
            case let .fired(at, decided):
                rows.append(["steps", "", "ladder", clock.format(at), notices(decided)])
            }
        }
        if !rows.isEmpty { write(TextTable.render(header: ["WHAT", "FILE", "DOCUMENT", "AT", "NOTICES"], rows: rows)) }
        for problem in report.problems { writeError("consultctl: not replayed: \(problem)") }
        let all = report.notices
        let found = all.count { if case .found = $0.fate { true } else { false } }
        let journalOnly = all.count { $0.fate == .journalOnly }
        let pending = all.count { $0.fate == .pending }
        var summary = "Restored \(settings.state) from \(backup) (\(taken)): replayed \(report.replayed) document\(report.replayed == 1 ? "" : "s") archived since; \(all.count) notice\(all.count == 1 ? "" : "s") decided again — \(found) found in the outbox or outbox/sent/ and recorded as delivered, \(journalOnly) for the journal only, \(pending) to be written when consultd starts"
        if !report.pendingFound.isEmpty { summary += "; \(report.pendingFound.count) pending in the backup found written and recorded as delivered" }
        if report.refused > 0 { summary += "; \(report.refused) document\(report.refused == 1 ? "" : "s") could not be replayed (named above)" }
        if let replaced { summary += "; the store replaced is kept as \(replaced)" }
        summary += "."
        writeLine(summary)
        return summary
    }

    /// `YYYYMMDDTHHMMSSZ`, for the name of the store replaced.
    static func stamp(_ instant: Instant) -> String {
        instant.description.filter { $0 != "-" && $0 != ":" }
    }
}
