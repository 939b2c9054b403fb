#ifndef CONSULTD_CLINUX_H
#define CONSULTD_CLINUX_H

// Swift's Glibc module leaves out these headers: included here, their functions, types and
// constants (epoll_create1, epoll_ctl, epoll_wait, epoll_event; eventfd, eventfd_read,
// eventfd_write; timerfd_create, timerfd_settime) are called from Swift through this module.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

/// renameat2(2): glibc declares it only under _GNU_SOURCE, which Swift's importer does not define.
int consultd_renameat2(int fromdir, const char *from, int todir, const char *to, unsigned int flags);
/// RENAME_NOREPLACE, a macro glibc defines only under _GNU_SOURCE.
extern const unsigned int consultd_RENAME_NOREPLACE;

/// O_PATH, which fcntl.h defines only under _GNU_SOURCE: a descriptor that names a directory
/// without opening it for reading (search permission is enough), for the *at calls.
extern const int consultd_O_PATH;
/// syncfs(2), declared only under _GNU_SOURCE: commits the file system `fd` is on.
int consultd_syncfs(int fd);

/// Whether the file open as `fd` has an access ACL beyond its mode bits (the xattr
/// system.posix_acl_access, which Glibc's Swift module does not declare): 1, 0, or -1 (errno).
int consultd_has_access_acl(int fd);

/// prctl(PR_SET_NAME, name): names the calling thread (Linux keeps at most 15 bytes). prctl is
/// variadic, which Swift cannot call. Returns 0 or -1 (errno).
int consultd_set_thread_name(const char *name);

/// posix_spawn(3) of `path` with `argv` (NULL-terminated) and the caller's environment, for a
/// helper program such as sendmail: in a process group of its own (so that it and its children
/// can be signalled together), with no signal blocked and every signal at its default action
/// (the caller's threads block signals and ignore SIGPIPE, which a child would inherit); its
/// standard input reads `input_fd`, its standard output and error write `output_fd`. Returns
/// the pid, or -1 with errno (ENOENT when `path` does not exist: exec failures are reported).
int consultd_spawn(const char *path, char *const argv[], int input_fd, int output_fd);

/// pipe2(fds, O_CLOEXEC), declared only under _GNU_SOURCE: a pipe no program started later
/// inherits by accident.
int consultd_pipe_cloexec(int fds[2]);

/// pidfd_open(2): a descriptor that becomes readable when process `pid` ends (Linux 5.3), so
/// that its end can be waited for in poll beside its pipes. -1 with errno on failure.
int consultd_pidfd_open(int pid);

#endif
