// SHA-256 (FIPS 180-4): one pass over whole 64-byte blocks straight from the input, then the
// padded tail from a buffer on the stack; nothing allocated. On x86-64 processors with the SHA
// extensions (SHA-NI: Intel since Goldmont and Ice Lake, AMD since Zen) the blocks go through
// sha256rnds2/sha256msg1/sha256msg2, about ten times faster than the portable rounds.
#include <string.h>
#include "csha256.h"

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

typedef void (*blocks_fn)(uint32_t state[8], const uint8_t *data, size_t blocks);

static inline uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    uint32_t w[64];
    while (blocks--) {
        for (int i = 0; i < 16; i++) w[i] = load_be32(data + 4 * i);
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
        data += 64;
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

// Four rounds: the message words `m` plus their constants, through sha256rnds2 twice.
#define ROUNDS4(m, k)                                                             \
    do {                                                                          \
        __m128i msg = _mm_add_epi32((m), _mm_loadu_si128((const __m128i *)(k))); \
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);                      \
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E)); \
    } while (0)

// The next four message words from the sixteen before them (m0 oldest … m3 newest), into m0.
#define SCHEDULE(m0, m1, m2, m3)                                                   \
    do {                                                                           \
        m0 = _mm_add_epi32(_mm_sha256msg1_epu32(m0, m1), _mm_alignr_epi8(m3, m2, 4)); \
        m0 = _mm_sha256msg2_epu32(m0, m3);                                         \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_shani(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i order = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    // The state as the instructions want it: ABEF and CDGH.
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);   // CDAB
    __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B); // EFGH
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);                                      // ABEF
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);                                           // CDGH
    while (blocks--) {
        __m128i abef = state0, cdgh = state1;
        __m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), order);
        __m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), order);
        __m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), order);
        __m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), order);
        ROUNDS4(m0, &K[0]);
        ROUNDS4(m1, &K[4]);
        ROUNDS4(m2, &K[8]);
        ROUNDS4(m3, &K[12]);
        for (int i = 16; i < 64; i += 16) {
            SCHEDULE(m0, m1, m2, m3); ROUNDS4(m0, &K[i]);
            SCHEDULE(m1, m2, m3, m0); ROUNDS4(m1, &K[i + 4]);
            SCHEDULE(m2, m3, m0, m1); ROUNDS4(m2, &K[i + 8]);
            SCHEDULE(m3, m0, m1, m2); ROUNDS4(m3, &K[i + 12]);
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
        data += 64;
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);        // FEBA
    state1 = _mm_shuffle_epi32(state1, 0xB1);     // DCHG
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // DCBA
    state1 = _mm_alignr_epi8(state1, tmp, 8);     // ABEF
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

static int has_shani(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19))) return 0;  // SSSE3, SSE4.1
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & (1u << 29)) != 0;  // SHA
}

// 0: not yet known; 1: portable; 2: SHA-NI. Every thread that races here finds the same answer.
static int chosen;

static blocks_fn blocks_best(void) {
    int known = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (known == 0) {
        known = has_shani() ? 2 : 1;
        __atomic_store_n(&chosen, known, __ATOMIC_RELAXED);
    }
    return known == 2 ? blocks_shani : blocks_portable;
}
#else
static blocks_fn blocks_best(void) { return blocks_portable; }
#endif

static void sha256_with(blocks_fn blocks, const void *data, size_t count, uint8_t digest[32]) {
    uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const uint8_t *bytes = data;
    size_t whole = count / 64;
    if (whole) blocks(state, bytes, whole);
    // The tail, 0x80, zeros, and the length in bits (big-endian): one block or two.
    uint8_t tail[128] = {0};
    size_t rest = count % 64;
    if (rest) memcpy(tail, bytes + whole * 64, rest);
    tail[rest] = 0x80;
    size_t tailBlocks = rest < 56 ? 1 : 2;
    uint64_t bits = (uint64_t)count * 8;
    for (int i = 0; i < 8; i++) tail[tailBlocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    blocks(state, tail, tailBlocks);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)state[i];
    }
}

void consultd_sha256(const void *data, size_t count, uint8_t digest[32]) { sha256_with(blocks_best(), data, count, digest); }

void consultd_sha256_portable(const void *data, size_t count, uint8_t digest[32]) {
    sha256_with(blocks_portable, data, count, digest);
}

int consultd_sha256_accelerated(void) { return blocks_best() != blocks_portable; }
