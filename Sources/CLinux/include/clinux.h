#ifndef CONSULTD_CLINUX_H
#define CONSULTD_CLINUX_H

/// rename(2) that fails with EEXIST instead of replacing the target (renameat2 RENAME_NOREPLACE).
int consultd_rename_noreplace(const char *from, const char *to);

#endif
