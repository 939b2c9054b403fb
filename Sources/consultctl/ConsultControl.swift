import ArgumentParser
import ConsultRuntime

/// `consultctl`: the root command, which only names the subcommands and reads `--config`.
@main
struct ConsultControl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consultctl",
        abstract: "The administrator's tool for consultd: hand documents in, see where consultations stand, score agencies.",
        discussion: """
            Reads the same configuration as the daemon (--config, default /etc/consultd/consultd.toml) \
            and the state store read-only, so it never blocks the running daemon and never writes \
            beside it.

            Who may run it: the commands that read the state store (list, show, report, status, \
            calendar diff, backup, verify) need root or membership of group consultd, which may read \
            /var/lib/consultd (usermod -aG consultd NAME, then log in again); verify also reads done/ \
            (0750 consultd:consultd). submit, validate, assess and deadline need only the \
            configuration and the calendar, which every account may read; submit hands documents off \
            as a member of consultd-submit listed among the agency's submitters.

            On a terminal, tables fit its width, rows that need attention are coloured (unless \
            NO_COLOR is set) and output goes through a pager as systemctl's (SYSTEMD_PAGER, PAGER, \
            less -FRSXMK); --full (-l) cuts nothing, --no-pager pages nothing. Piped, nothing is cut or \
            coloured.

            Exit status: 0 ok, 64 usage, 65 bad document, 66 no input (a file or the state store \
            missing), 69 unavailable (restore while consultd runs), 74 I/O, 77 permission denied, \
            78 configuration.
            """,
        version: Version.current,
        subcommands: [Submit.self, Validate.self, Assess.self, List.self, Show.self, Report.self, Deadline.self, CalendarCommand.self,
                      Backup.self, Restore.self, Prune.self, Status.self, Verify.self]
    )

    /// `consultctl --config PATH COMMAND` (the contract's form): the subcommands read the same group.
    @OptionGroup var options: Options
    /// `consultctl --no-pager list`, as `systemctl --no-pager status`: the commands that show
    /// tables read the same group.
    @OptionGroup var display: DisplayOptions
}
