#ifndef CONSULTD_CLINUX_H
#define CONSULTD_CLINUX_H

#include <stdint.h>
#include <stddef.h>

// Swift's Glibc module leaves out these headers: included here, their functions, types and
// constants (epoll_create1, epoll_ctl, epoll_wait, epoll_event; eventfd, eventfd_read,
// eventfd_write; timerfd_create, timerfd_settime) are called from Swift through this module.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

/// renameat(2) that fails with EEXIST instead of replacing the target (renameat2 RENAME_NOREPLACE).
int consultd_rename_noreplace(int fromdir, const char *from, int todir, const char *to);

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

/// prctl(PR_SET_NAME, name): names the calling thread (Linux keeps at most 15 bytes). prctl is
/// variadic, which Swift cannot call. Returns 0 or -1 (errno).
int consultd_set_thread_name(const char *name);

#endif
