// aq: a query language and shell for container-registry audit logs.

import AQShell

#if canImport(Glibc)
import Glibc
#endif

exit(Shell.main(Array(CommandLine.arguments.dropFirst())))
