#include <zlib.h>

// inflateInit2 is a macro; Swift cannot call it. 15 + 32: a window of 32 KiB, and gzip or
// zlib headers detected automatically.
static inline int aq_inflate_init(z_streamp stream) {
    return inflateInit2(stream, 15 + 32);
}

// deflateInit2 is a macro too. 15 + 16: a window of 32 KiB with a gzip header (Parquet's
// GZIP codec).
static inline int aq_gzip_deflate_init(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
