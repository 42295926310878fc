// aq: a query language and shell for container-registry audit logs.

import AQShell

#if canImport(Glibc)
import CMalloc
import Glibc

// glibc serves a freed large buffer again from its heap and raises its mmap threshold (up
// to 32 MiB) each time one is freed, so the megabyte buffers of a load end up scattered
// through heaps that never shrink: a 1,000,000-event load peaked at twice its store. Buffers
// of this size and more are mapped and unmapped instead (docs/performance.md, "Peak memory
// of the load"). Set here, in the executable: the library leaves its host's allocator alone.
mallopt(M_MMAP_THRESHOLD, 1 << 17)
#endif

exit(Shell.main(Array(CommandLine.arguments.dropFirst())))
