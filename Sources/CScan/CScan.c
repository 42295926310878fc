// The scan is all in `include/CScan.h` (inline, so that it is compiled into its callers);
// this file makes the target a C library.
#include "CScan.h"
