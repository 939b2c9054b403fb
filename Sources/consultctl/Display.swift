import ArgumentParser
import ConsultAdmin
import Foundation

/// `--full` and `--no-pager`, for the commands that show tables and timelines (list, show,
/// report, deadline, calendar diff), as systemctl has them.
struct DisplayOptions: ParsableArguments {
    @Flag(name: [.customShort("l"), .long], help: "Do not cut cells or lines to the terminal's width.")
    var full = false
    @Flag(name: .customLong("no-pager"), help: "Do not pipe the output into a pager.")
    var noPager = false

    /// Looks at standard output once — before a pager takes it over — and starts the pager when
    /// it is a terminal; returns how tables are to be laid out.
    ///
    /// On a terminal: its width (`COLUMNS` when set, else the terminal's own), colour unless
    /// `NO_COLOR` is set or the terminal is dumb, and a pager unless `--no-pager`. Anywhere else
    /// (a pipe, a file): nothing cut, no colour, no pager.
    func start(environment: [String: String] = ProcessInfo.processInfo.environment) -> TableStyle {
        let terminal = Terminal(environment: environment)
        guard terminal.isTerminal else { return .plain }
        if !noPager && !terminal.isDumb { Pager.start(environment: environment) }
        return TableStyle(width: full ? nil : terminal.columns, colour: terminal.colour)
    }
}

/// Standard output, when it is a terminal.
struct Terminal {
    let isTerminal: Bool
    /// `TERM` unset or `dumb`: no colour, no pager (as systemd decides).
    let isDumb: Bool
    let columns: Int
    let colour: Bool

    init(environment: [String: String]) {
        isTerminal = isatty(STDOUT_FILENO) == 1
        let term = environment["TERM"] ?? ""
        isDumb = term.isEmpty || term == "dumb"
        // no-color.org: set and not empty.
        colour = isTerminal && !isDumb && (environment["NO_COLOR"] ?? "").isEmpty
        columns = Self.columns(environment: environment)
    }

    /// `COLUMNS` when it is a positive number, else the terminal's width, else 80.
    static func columns(environment: [String: String]) -> Int {
        if let text = environment["COLUMNS"], let n = Int(text), n > 0 { return n }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

/// The pager standard output goes through on a terminal, as systemctl's: `SYSTEMD_PAGER`, else
/// `PAGER`, else `pager`, `less` or `more`, whichever is found first; `cat` or an empty value
/// means none. The command is split at white space and run without a shell. `LESS` is set to
/// `SYSTEMD_LESS`, else `FRSXMK` (quit when one screen holds it all, colours, long lines
/// chopped, no clearing of the screen, Ctrl-C quits), and `LESSCHARSET` to `utf-8` unless set.
/// Run through sudo, `LESSSECURE=1` (no shell escapes, no editing of files from the pager)
/// unless `SYSTEMD_PAGERSECURE=0`.
enum Pager {
    /// The pager's process, waited for at exit.
    nonisolated(unsafe) static var pid: pid_t = 0

    static func start(environment: [String: String]) {
        let chosen = environment["SYSTEMD_PAGER"] ?? environment["PAGER"]
        let candidates: [[String]]
        if let chosen {
            let words = chosen.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            if words.isEmpty || words == ["cat"] { return }
            // A pager that cannot be found falls back to the usual ones, as systemd's does.
            candidates = [words, ["pager"], ["less"], ["more"]]
        } else {
            candidates = [["pager"], ["less"], ["more"]]
        }
        var env = environment
        env["LESS"] = environment["SYSTEMD_LESS"] ?? "FRSXMK"
        if env["LESSCHARSET"] == nil { env["LESSCHARSET"] = "utf-8" }
        let secure = environment["SYSTEMD_PAGERSECURE"].map { !["0", "no", "false", "off"].contains($0.lowercased()) }
            ?? (environment["SUDO_UID"] != nil || getuid() != geteuid())
        if secure { env["LESSSECURE"] = "1" }

        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        for words in candidates {
            let argv = words.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var child: pid_t = 0
            guard posix_spawnp(&child, words[0], &actions, nil, argv, envp) == 0 else { continue }
            close(readEnd)
            dup2(writeEnd, STDOUT_FILENO)
            // Messages written while the pager shows go through it too, rather than across its screen.
            if isatty(STDERR_FILENO) == 1 { dup2(writeEnd, STDERR_FILENO) }
            close(writeEnd)
            pid = child
            atexit {
                // The pager reads to the end of its input, and the shell's prompt waits for it.
                close(STDOUT_FILENO)
                close(STDERR_FILENO)
                var status: Int32 = 0
                while waitpid(Pager.pid, &status, 0) == -1 && errno == EINTR {}
            }
            return
        }
        close(readEnd)
        close(writeEnd)
    }
}
