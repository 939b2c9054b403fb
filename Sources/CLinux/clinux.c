#define _GNU_SOURCE
#include <sys/xattr.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "clinux.h"

int consultd_renameat2(int fromdir, const char *from, int todir, const char *to, unsigned int flags) {
    return renameat2(fromdir, from, todir, to, flags);
}

const unsigned int consultd_RENAME_NOREPLACE = RENAME_NOREPLACE;

int consultd_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

const int consultd_O_PATH = O_PATH;

int consultd_syncfs(int fd) { return syncfs(fd); }

int consultd_has_access_acl(int fd) {
    ssize_t size = fgetxattr(fd, "system.posix_acl_access", NULL, 0);
    if (size >= 0) return size > 0;
    return errno == ENODATA || errno == ENOTSUP ? 0 : -1;
}

extern char **environ;

int consultd_spawn(const char *path, char *const argv[], int input_fd, int output_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t none, all;
    pid_t pid;
    int error;

    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, input_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
    posix_spawnattr_init(&attributes);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    error = posix_spawn(&pid, path, &actions, &attributes, argv, environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) {
        errno = error;
        return -1;
    }
    return pid;
}

int consultd_pidfd_open(int pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int consultd_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
