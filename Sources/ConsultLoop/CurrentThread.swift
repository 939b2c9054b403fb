import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// What Linux keeps per thread: a name, and a mask of blocked signals.
public enum CurrentThread {
    /// The signals that arrive from outside the process, at any time; faults are not among them.
    public static let asynchronousSignals = [SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGPIPE, SIGWINCH]

    /// Names the calling thread (at most 15 bytes are kept), so that `top -H` and `ps -L` tell it
    /// from the others.
    public static func setName(_ name: String) {
        _ = consultd_set_thread_name(name)
    }

    /// Blocks the asynchronous signals in the calling thread and in the threads it starts later,
    /// so that they reach the thread that handles them and never interrupt a system call of a
    /// working thread. Faults stay unblocked.
    public static func blockAsynchronousSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in asynchronousSignals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
