import ArgumentParser
import ConsultCore
import ConsultRuntime
import ConsultStore
import Foundation

/// `consultctl backup FILE`: a consistent copy of the state store, taken while the daemon runs,
/// marked with what `consultctl restore` needs.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the state store consistently while the daemon runs (SQLite online backup).",
        discussion: """
            The copy is written beside FILE, checked, fsync'd and then put in place (mode 0640); FILE
            must not exist. It records when it was taken; the last document applied before it is
            printed: `consultctl restore FILE` puts the copy back and replays every document done/
            archived from then on.

            To restore: systemctl stop consultd; consultctl restore FILE; systemctl start consultd.

            Examples:
              consultctl backup /var/backups/consultd-$(date +%F).sqlite
            """)

    @OptionGroup var options: Options
    @Argument(help: "The backup file to create (must not exist).", completion: .file())
    var destination: String

    func run() throws {
        let (settings, _) = try options.load()
        guard !FileManager.default.fileExists(atPath: destination) else {
            writeError("consultctl: \(destination) exists; choose a new file")
            throw ExitCode(ExitStatus.usage)
        }
        let store = try options.store(settings)
        let folder = (destination as NSString).deletingLastPathComponent.isEmpty ? "." : (destination as NSString).deletingLastPathComponent
        if access(folder, W_OK | X_OK) != 0 {
            let cause = errno
            if cause == EACCES, let problem = Access.problem(reading: folder, what: "folder", directory: true) {
                // The folder may not even be searched: say so, as for the store.
                writeError("consultctl: cannot create \(destination): \(problem.message)")
                throw ExitCode(problem.status)
            }
            var st = stat()
            let about = stat(folder, &st) == 0 ? " (\(Access.describe(st)))" : ""
            writeError("consultctl: cannot create \(destination): folder \(folder)\(about): \(String(cString: strerror(cause)))")
            throw ExitCode(cause == EACCES || cause == EROFS ? ExitStatus.permission : ExitStatus.ioError)
        }
        let clock = LocalClock(timeZone: settings.timeZone)
        do {
            let record = try store.backup(to: destination, takenAt: .now)
            let copy = try Store(path: destination, readOnly: true)
            writeLine("backed up \(settings.state) to \(destination) (integrity: \(try copy.quickCheck()))")
            writeLine("taken at \(record.takenAt.map(clock.format) ?? "?"): \(record.consultations) consultations, \(record.documents) documents, \(record.notices) notices")
            if let last = record.lastDocument, let until = record.appliedUntil {
                let agency = last.agency.map { ", \($0)" } ?? ""
                writeLine("last document applied: \(last.file) (\(last.kind) of \(last.consultation)\(agency)), at \(clock.format(last.appliedAt)), in \(settings.spool)/done/\(clock.date(of: last.appliedAt))/")
                writeLine("consultctl restore \(destination) replays what done/ archived from \(clock.format(until)) on")
            } else {
                writeLine("no document applied yet: consultctl restore \(destination) replays all of done/")
            }
        } catch {
            writeError("consultctl: backup failed: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
    }
}
