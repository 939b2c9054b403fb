#ifndef CONSULTD_CSHA256_H
#define CONSULTD_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256 (FIPS 180-4) of `count` bytes at `data` (NULL when `count` is 0) into `digest`.
/// Uses the processor's SHA extensions where it has them (x86-64: SHA-NI, checked once with
/// cpuid), else portable C: the same digest either way.
void consultd_sha256(const void *data, size_t count, uint8_t digest[32]);

/// The portable C path alone, whatever the processor (for the tests that compare both paths).
void consultd_sha256_portable(const void *data, size_t count, uint8_t digest[32]);

/// 1 when ``consultd_sha256`` uses the processor's SHA extensions, else 0.
int consultd_sha256_accelerated(void);

#endif
