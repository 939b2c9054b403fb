import CLinux
import ConsultLoop
#if canImport(Glibc)
import Glibc
#endif

/// A timerfd on the wall clock (CLOCK_REALTIME), armed for an absolute time; closed with it.
///
/// Armed with TFD_TIMER_CANCEL_ON_SET: when the wall clock is set, the next read fails with
/// ECANCELED, so that the steps due are decided again at the new time.
struct WallClockTimer: ~Copyable {
    /// What a read of the timer says.
    enum Reading: Equatable {
        /// The armed time has come.
        case expired
        /// Not yet (EAGAIN).
        case pending
        /// The wall clock was set since the timer was armed (ECANCELED).
        case clockChanged
        /// Any other failure, with its errno.
        case failed(Int32)
    }

    /// Readable when the timer has expired or the wall clock was set (for epoll).
    let descriptor: Int32

    init() throws(LoopError) {
        descriptor = timerfd_create(CLOCK_REALTIME, Int32(TFD_NONBLOCK | TFD_CLOEXEC))
        guard descriptor >= 0 else { throw LoopError("timerfd_create", errno: errno) }
    }

    deinit { close(descriptor) }

    /// Arms the timer for `second` (seconds since the epoch, above 0), or disarms it for nil.
    func arm(at second: Int64?) {
        var spec = itimerspec()
        // An all-zero it_value disarms.
        spec.it_value.tv_sec = Int(second ?? 0)
        _ = timerfd_settime(descriptor, Int32(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET), &spec, nil)
    }

    func read() -> Reading {
        var expirations: UInt64 = 0
        // A timerfd read gives the 8-byte count of expirations, or fails.
        if Glibc.read(descriptor, &expirations, MemoryLayout<UInt64>.size) == MemoryLayout<UInt64>.size { return .expired }
        switch errno {
        case ECANCELED: return .clockChanged
        case EAGAIN: return .pending
        case let other: return .failed(other)
        }
    }
}
