// glibc's allocator settings (mallopt), which Swift's Glibc module leaves out. Only the aq
// executable uses them: a library does not change its host's allocator.
#if defined(__linux__)
#include <malloc.h>
#endif
