// Finding where a run of JSON string text stops, sixteen bytes at a time with SSE2 (which
// every x86-64 processor has). Swift has no portable way to turn a vector comparison into a
// bit mask, and its SIMD types compiled lane by lane; these compile to five or six
// instructions a sixteen bytes. Elsewhere `AQ_SCAN16` is 0 and the readers test a word at a
// time in Swift.

#ifndef AQ_CSCAN_H
#define AQ_CSCAN_H

#include <stdint.h>

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
#else
#define AQ_SCAN16 0
static inline uint32_t aq_string_stops16(const void *p, int strict) { (void)p; (void)strict; return 0; }
static inline uint32_t aq_container_stops16(const void *p) { (void)p; return 0; }
#endif

#endif
