import CLinux
import ConsultCore
import ConsultMail
#if canImport(Glibc)
import Glibc
#endif

/// The local mail system's `sendmail` interface (Postfix, Exim, msmtp…): one run per message,
/// the message on standard input, `-oi -t` (recipients from `To`/`Cc`, a lone `.` is no end of
/// input) and `-f SENDER` (bounces go to the configured sender, not to the service's account).
public struct Sendmail: Sendable {
    public let path: String
    public let arguments: [String]
    /// A run that lasts longer is ended (SIGTERM to its process group, SIGKILL 2 s later).
    public let timeout: Duration

    /// What it wrote is kept up to this many bytes, for the journal and the error file.
    static let outputLimit = 4096

    public init(path: String, sender: MailAddress, timeout: Duration) {
        self.path = path
        arguments = ["-oi", "-t", "-f", sender.description]
        self.timeout = timeout
    }

    /// How a run ended, and what it wrote.
    public struct Run: Sendable, Equatable {
        public enum Ending: Sendable, Equatable {
            case exited(Int32)
            case signaled(Int32)
            /// Still running at the timeout: ended by consultd-mail.
            case timedOut
            /// Ended by consultd-mail because it was asked to stop.
            case interrupted
            /// It could not be started: errno of `posix_spawn` (ENOENT: no such program).
            case notStarted(Int32)
        }

        public let ending: Ending
        /// Its standard output and error, one line (lines joined by `; `, controls as `?`), at most
        /// ``Sendmail/outputLimit`` bytes of it.
        public let output: String

        /// What the mail system said, for the notice.
        public var verdict: SendmailStatus.Verdict {
            if case let .exited(status) = ending { return SendmailStatus.verdict(exitStatus: status) }
            return .temporary
        }

        /// The ending in words, with what sendmail wrote.
        public func describe(_ path: String) -> String {
            var text: String
            switch ending {
            case let .exited(status):
                text = "\(path) exited with status \(status)" + (SendmailStatus.name(status).map { " (\($0))" } ?? "")
            case let .signaled(signal): text = "\(path) was killed by signal \(signal)"
            case .timedOut: text = "\(path) did not finish in time and was stopped"
            case .interrupted: text = "\(path) was stopped because consultd-mail is stopping"
            case let .notStarted(error): text = "cannot run \(path): \(String(cString: strerror(error)))"
            }
            return output.isEmpty ? text : text + ": " + output
        }
    }

    /// Runs sendmail with `message` on its standard input and waits for it, calling `tick` about
    /// once a second meanwhile (to feed a watchdog); when `tick` returns false, sendmail is ended
    /// and the run is `interrupted`. Never blocks on a sendmail that does not read or does not
    /// exit: the input is written as it is taken, and the timeout ends it.
    public func run(_ message: [UInt8], tick: () -> Bool = { true }) -> Run {
        // Writing to a sendmail that exited raises SIGPIPE, which would end the process: blocked
        // in this thread while it runs (the write fails with EPIPE), and taken away if raised.
        var pipeSignal = sigset_t(), previous = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var now = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        guard consultd_pipe_cloexec(&input) == 0 else { return Run(ending: .notStarted(errno), output: "") }
        guard consultd_pipe_cloexec(&output) == 0 else {
            let error = errno
            close(input[0])
            close(input[1])
            return Run(ending: .notStarted(error), output: "")
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid = consultd_spawn(path, argv, input[0], output[1])
        var spawnError = errno
        // ETXTBSY: the program is being written (a package upgrade replacing sendmail): it passes.
        for _ in 0..<5 where pid < 0 && spawnError == ETXTBSY {
            usleep(20_000)
            pid = consultd_spawn(path, argv, input[0], output[1])
            spawnError = errno
        }
        close(input[0])
        close(output[1])
        guard pid > 0 else {
            close(input[1])
            close(output[0])
            return Run(ending: .notStarted(spawnError), output: "")
        }
        _ = fcntl(input[1], F_SETFL, O_NONBLOCK)
        _ = fcntl(output[0], F_SETFL, O_NONBLOCK)
        var child = Child(pid: pid, input: input[1], output: output[0])
        defer { child.closeAll() }
        let ending = child.wait(for: message, timeout: timeout, tick: tick)
        return Run(ending: ending, output: Self.oneLine(child.captured))
    }

    /// What a program wrote, as one printable line.
    static func oneLine(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
        return Printable.text(lines.joined(separator: "; "))
    }
}

/// A running sendmail: its pid, a pidfd when the kernel gives one, and our ends of its pipes.
private struct Child {
    let pid: pid_t
    var input: Int32
    var output: Int32
    let pidfd: Int32
    var captured: [UInt8] = []
    var status: Int32?

    init(pid: pid_t, input: Int32, output: Int32) {
        self.pid = pid
        self.input = input
        self.output = output
        pidfd = consultd_pidfd_open(pid)
    }

    mutating func closeAll() {
        if input >= 0 { close(input) }
        if output >= 0 { close(output) }
        if pidfd >= 0 { close(pidfd) }
        input = -1
        output = -1
    }

    /// Feeds `message` in, reads what comes out, until the process ends, the time is up or
    /// `tick` says stop.
    mutating func wait(for message: [UInt8], timeout: Duration, tick: () -> Bool) -> Sendmail.Run.Ending {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var written = 0
        if message.isEmpty { closeInput() }
        while status == nil {
            if reap() { break }
            let now = clock.now
            if now >= deadline {
                terminate()
                return .timedOut
            }
            if !tick() {
                terminate()
                return .interrupted
            }
            var fds: [pollfd] = []
            if input >= 0 { fds.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            if output >= 0 { fds.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if pidfd >= 0 { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
            // A second at most between ticks; 50 ms when no pidfd tells of the end.
            let wait = min(deadline - now, pidfd >= 0 ? .seconds(1) : .milliseconds(50))
            let ms = Int32(max(1, wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000))
            if poll(&fds, nfds_t(fds.count), ms) < 0 && errno != EINTR { usleep(10_000) }
            if input >= 0 { written = feed(message, from: written) }
            drain()
        }
        drain()
        let s = status ?? 0
        return s & 0x7F == 0 ? .exited((s >> 8) & 0xFF) : .signaled(s & 0x7F)
    }

    /// Writes what the pipe takes of `message` from `offset`; closes the input when all is
    /// written or the reader is gone (EPIPE: sendmail stopped reading, its exit tells why).
    private mutating func feed(_ message: [UInt8], from offset: Int) -> Int {
        var offset = offset
        while offset < message.count {
            let n = message[offset...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            if n > 0 {
                offset += n
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { return offset }
            break
        }
        closeInput()
        return offset
    }

    private mutating func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Reads what is there without waiting; keeps the first ``Sendmail/outputLimit`` bytes. The
    /// pipe is not read to its end: a child left behind by sendmail may hold it open.
    private mutating func drain() {
        guard output >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n > 0 {
                let room = max(0, Sendmail.outputLimit - captured.count)
                captured += buffer.prefix(min(n, room))
                continue
            }
            if n == 0 {
                close(output)
                output = -1
            }
            return
        }
    }

    /// Whether the process has ended (its status kept).
    private mutating func reap() -> Bool {
        var s: Int32 = 0
        let r = waitpid(pid, &s, WNOHANG)
        if r == pid {
            status = s
            return true
        }
        return false
    }

    /// SIGTERM to its process group (sendmail and what it started), SIGKILL 2 s later, then reaped.
    private mutating func terminate() {
        kill(-pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(2)
        while clock.now < deadline {
            if reap() { break }
            usleep(20_000)
        }
        if status == nil {
            kill(-pid, SIGKILL)
            var s: Int32 = 0
            while waitpid(pid, &s, 0) < 0 && errno == EINTR {}
            status = s
        }
        // Children of its group that outlived it are killed too.
        kill(-pid, SIGKILL)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
