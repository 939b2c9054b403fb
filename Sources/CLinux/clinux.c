#define _GNU_SOURCE
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include "clinux.h"

int consultd_rename_noreplace(int fromdir, const char *from, int todir, const char *to) {
    return renameat2(fromdir, from, todir, to, RENAME_NOREPLACE);
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

int consultd_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }
