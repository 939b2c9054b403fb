import ArgumentParser
import ConsultRuntime
import ConsultStore
import Foundation

/// `consultctl backup FILE`: a consistent copy of the state store, taken while the daemon runs.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the state store consistently while the daemon runs (SQLite online backup).",
        discussion: """
            To restore: stop consultd, copy the backup over the state file (see `state` in the config),
            remove the -wal and -shm files beside it, start consultd.

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
        do {
            try store.backup(to: destination)
            let copy = try Store(path: destination, readOnly: true)
            writeLine("backed up \(settings.state) to \(destination) (integrity: \(try copy.quickCheck()))")
        } catch {
            writeError("consultctl: backup failed: \(error)")
            throw ExitCode(ExitStatus.ioError)
        }
    }
}
