import ArgumentParser
import ConsultRuntime

/// `consultctl`: the root command, which only names the subcommands and reads `--config`.
@main
struct ConsultControl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consultctl",
        abstract: "The administrator's tool for consultd: hand documents in, see where consultations stand, score agencies.",
        discussion: """
            Reads the same configuration as the daemon (--config, default /etc/consultd/consultd.toml) and
            the state store read-only, so it never blocks the running daemon.

            Exit status: 0 ok, 64 usage, 65 bad document, 66 no input, 69 unavailable (restore while consultd
            runs), 74 I/O, 78 configuration.
            """,
        version: Version.current,
        subcommands: [Submit.self, Validate.self, Assess.self, List.self, Show.self, Report.self, Deadline.self, CalendarCommand.self,
                      Backup.self, Restore.self, Prune.self, Status.self, Verify.self]
    )

    /// `consultctl --config PATH COMMAND` (the contract's form): the subcommands read the same group.
    @OptionGroup var options: Options
}
