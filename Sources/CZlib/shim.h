#include <zlib.h>

// inflateInit2 is a macro; Swift cannot call it. 15 + 32: a window of 32 KiB, and gzip or
// zlib headers detected automatically.
static inline int aq_inflate_init(z_streamp stream) {
    return inflateInit2(stream, 15 + 32);
}
