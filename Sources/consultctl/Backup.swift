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
