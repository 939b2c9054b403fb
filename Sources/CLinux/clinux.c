#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "clinux.h"

int consultd_renameat2(int fromdir, const char *from, int todir, const char *to, unsigned int flags) {
    return renameat2(fromdir, from, todir, to, flags);
}

const unsigned int consultd_RENAME_NOREPLACE = RENAME_NOREPLACE;

int consultd_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

const int consultd_O_PATH = O_PATH;

int consultd_syncfs(int fd) { return syncfs(fd); }
