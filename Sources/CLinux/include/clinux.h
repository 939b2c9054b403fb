#ifndef CONSULTD_CLINUX_H
#define CONSULTD_CLINUX_H

#include <stdint.h>
#include <stddef.h>

/// renameat(2) that fails with EEXIST instead of replacing the target (renameat2 RENAME_NOREPLACE).
int consultd_rename_noreplace(int fromdir, const char *from, int todir, const char *to);

/// epoll_create1(EPOLL_CLOEXEC).
int consultd_epoll_create(void);
/// epoll: watch `fd` for input, with `fd` itself as the event's data.
int consultd_epoll_add(int epfd, int fd);
/// epoll_wait storing the ready descriptors in `fds`; returns their count, or -1 (errno).
int consultd_epoll_wait(int epfd, int *fds, int max, int timeout_ms);

/// Watches a directory for completed files: IN_MOVED_TO | IN_CLOSE_WRITE, and IN_CREATE (for
/// entries that are not regular files); IN_Q_OVERFLOW is always reported. Returns the watch
/// descriptor or -1.
int consultd_inotify_watch(int fd, const char *path);
/// Walks the events in `buffer`: from `*offset`, stores the next event's mask and name (empty
/// when none) and advances `*offset`; returns 0 at the end of the buffer.
int consultd_inotify_next(const char *buffer, size_t length, size_t *offset, uint32_t *mask, const char **name);
/// The IN_Q_OVERFLOW and IN_CREATE bits.
uint32_t consultd_inotify_overflow_mask(void);
uint32_t consultd_inotify_create_mask(void);

/// A CLOCK_REALTIME timerfd armed for an absolute time; reads fail with ECANCELED when the
/// wall clock is set (TFD_TIMER_CANCEL_ON_SET). `seconds` 0 disarms. Returns 0 or -1.
int consultd_timerfd_create(void);
int consultd_timerfd_arm(int fd, int64_t seconds);
/// Reads the timer: 1 expired, 0 nothing yet, -2 the wall clock changed, -1 other error.
int consultd_timerfd_read(int fd);

/// An eventfd to wake an epoll loop from another thread.
int consultd_eventfd_create(void);
void consultd_eventfd_signal(int fd);
void consultd_eventfd_drain(int fd);

/// Names the calling thread (PR_SET_NAME; at most 15 bytes are kept).
void consultd_set_thread_name(const char *name);

/// Blocks the asynchronous signals (HUP, INT, TERM, QUIT, USR1, USR2, ALRM, CHLD, PIPE, WINCH) in
/// the calling thread and in the threads it starts later, so that they reach the thread that
/// handles them and never interrupt a system call of a working thread. Faults stay unblocked.
void consultd_block_async_signals(void);

#endif
