#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include "clinux.h"

int consultd_rename_noreplace(int fromdir, const char *from, int todir, const char *to) {
    return renameat2(fromdir, from, todir, to, RENAME_NOREPLACE);
}

int consultd_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int consultd_epoll_add(int epfd, int fd) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int consultd_epoll_wait(int epfd, int *fds, int max, int timeout_ms) {
    struct epoll_event events[16];
    if (max > 16) max = 16;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) fds[i] = events[i].data.fd;
    return n;
}

int consultd_inotify_watch(int fd, const char *path) {
    return inotify_add_watch(fd, path, IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE | IN_ONLYDIR);
}

int consultd_inotify_next(const char *buffer, size_t length, size_t *offset, uint32_t *mask, const char **name) {
    if (*offset + sizeof(struct inotify_event) > length) return 0;
    const struct inotify_event *ev = (const struct inotify_event *)(buffer + *offset);
    *mask = ev->mask;
    *name = ev->len > 0 ? ev->name : "";
    *offset += sizeof(struct inotify_event) + ev->len;
    return 1;
}

uint32_t consultd_inotify_overflow_mask(void) { return IN_Q_OVERFLOW; }

uint32_t consultd_inotify_create_mask(void) { return IN_CREATE; }

int consultd_timerfd_create(void) {
    return timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
}

int consultd_timerfd_arm(int fd, int64_t seconds) {
    struct itimerspec spec;
    memset(&spec, 0, sizeof spec);
    spec.it_value.tv_sec = seconds;
    return timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, NULL);
}

int consultd_timerfd_read(int fd) {
    uint64_t expirations;
    ssize_t n = read(fd, &expirations, sizeof expirations);
    if (n == sizeof expirations) return 1;
    if (n < 0 && errno == ECANCELED) return -2;
    if (n < 0 && errno == EAGAIN) return 0;
    return -1;
}

int consultd_eventfd_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

void consultd_eventfd_signal(int fd) {
    uint64_t one = 1;
    ssize_t n = write(fd, &one, sizeof one);
    (void)n;
}

void consultd_eventfd_drain(int fd) {
    uint64_t value;
    ssize_t n = read(fd, &value, sizeof value);
    (void)n;
}

void consultd_set_thread_name(const char *name) { prctl(PR_SET_NAME, name, 0, 0, 0); }

void consultd_block_async_signals(void) {
    static const int asynchronous[] = {SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGPIPE, SIGWINCH};
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof asynchronous / sizeof asynchronous[0]; i++) sigaddset(&set, asynchronous[i]);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}
