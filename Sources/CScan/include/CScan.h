// Reading JSON text sixteen bytes at a time with SSE2 (which every x86-64 processor has):
// where a run of string text stops, and the quotes, backslashes and brackets of a block as bit
// masks. Swift has no portable way to turn a vector comparison into a bit mask, and its SIMD
// types compiled lane by lane; these compile to a few instructions a sixteen bytes. Elsewhere
// `AQ_SCAN16` is 0 and the scans test a word at a time in Swift. Also the one prefetch hint
// Swift cannot write (`aq_prefetch`), and XXH64's stripes four lanes at once where the
// processor multiplies 64-bit lanes in vectors (`aq_xxh64_stripes`).

#ifndef AQ_CSCAN_H
#define AQ_CSCAN_H

#include <stdint.h>

/// Asks for the cache line at `p` ahead of its use (a hash slot a loop will probe a few
/// strings later); a hint only, on any processor.
static inline void aq_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// Whether the processor has AVX-512 F, DQ and VL, and the system saves the AVX-512 state
/// (XCR0: SSE, AVX, opmask and both halves of the upper registers).
static inline int aq_has_avx512dq(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX512F) && (b & bit_AVX512DQ) && (b & bit_AVX512VL);
}

/// Compiled for AVX-512 alone: called (never inlined) only where the processor has it.
__attribute__((target("avx512f,avx512dq,avx512vl")))
static inline void aq_xxh64_stripes_avx512(uint64_t lanes[4], const unsigned char *p, uint64_t count) {
    const __m256i p1 = _mm256_set1_epi64x((long long)0x9E3779B185EBCA87ULL);
    const __m256i p2 = _mm256_set1_epi64x((long long)0xC2B2AE3D27D4EB4FULL);
    __m256i acc = _mm256_loadu_si256((const __m256i *)lanes);
    for (uint64_t at = 0; at < count; at += 32) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(p + at));
        acc = _mm256_add_epi64(acc, _mm256_mullo_epi64(in, p2));
        acc = _mm256_mullo_epi64(_mm256_rol_epi64(acc, 31), p1);
    }
    _mm256_storeu_si256((__m256i *)lanes, acc);
}

/// XXH64's round over the 32-byte stripes of `p[0..<count]` (`count` a multiple of 32) on
/// `lanes` (the four accumulators, updated), the four lanes in one vector, when the processor
/// has AVX-512 (DQ and VL) and the system keeps its registers: returns 1; else 0 and does
/// nothing (the caller takes the stripes a lane at a time).
static inline int aq_xxh64_stripes(uint64_t lanes[4], const void *p, uint64_t count) {
    // -1: not asked yet. Threads that race here all store the same answer.
    static int known = -1;
    int has = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (has < 0) {
        has = aq_has_avx512dq();
        __atomic_store_n(&known, has, __ATOMIC_RELAXED);
    }
    if (!has) return 0;
    aq_xxh64_stripes_avx512(lanes, (const unsigned char *)p, count);
    return 1;
}
#else
static inline int aq_xxh64_stripes(uint64_t lanes[4], const void *p, uint64_t count) {
    (void)lanes;
    (void)p;
    (void)count;
    return 0;
}
#endif

#if defined(__SSE2__)
#include <emmintrin.h>
#define AQ_SCAN16 1

/// Bit k is set when byte k of `p[0..<16]` is a quote, a backslash or, when `strict`, below 0x20.
static inline uint32_t aq_string_stops16(const void *p, int strict) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i stops = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    if (strict) {
        // Unsigned v <= 0x1F: the larger of v and 0x1F is 0x1F.
        __m128i low = _mm_set1_epi8(0x1F);
        stops = _mm_or_si128(stops, _mm_cmpeq_epi8(_mm_max_epu8(v, low), low));
    }
    return (uint32_t)_mm_movemask_epi8(stops);
}

/// Bit k is set when byte k of `p[0..<16]` is a quote or a bracket (`{`, `}`, `[`, `]`).
static inline uint32_t aq_container_stops16(const void *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    // With 0x20 set, `[` reads as `{` and `]` as `}`.
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i stops = _mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')), _mm_cmpeq_epi8(folded, _mm_set1_epi8('}')));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(stops, _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
}

/// The quotes, backslashes and brackets of `p[0..<64]` as masks, bit k for byte k.
static inline void aq_json_masks64(const void *p, uint64_t *quotes, uint64_t *backslashes, uint64_t *brackets) {
    const char *bytes = (const char *)p;
    uint64_t q = 0, b = 0, k = 0;
    for (int block = 0; block < 4; block++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + 16 * block));
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        __m128i open = _mm_cmpeq_epi8(folded, _mm_set1_epi8('{'));
        __m128i close = _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'));
        int shift = 16 * block;
        q |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))) << shift;
        b |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))) << shift;
        k |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(open, close)) << shift;
    }
    *quotes = q;
    *backslashes = b;
    *brackets = k;
}
#else
#define AQ_SCAN16 0
static inline void aq_json_masks64(const void *p, uint64_t *quotes, uint64_t *backslashes, uint64_t *brackets) {
    (void)p;
    *quotes = 0;
    *backslashes = 0;
    *brackets = 0;
}
static inline uint32_t aq_string_stops16(const void *p, int strict) { (void)p; (void)strict; return 0; }
static inline uint32_t aq_container_stops16(const void *p) { (void)p; return 0; }
#endif

#endif
