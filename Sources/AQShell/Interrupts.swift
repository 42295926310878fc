// Ctrl-C while a statement runs: SIGINT is blocked in every thread and one watcher thread
// takes it with sigwait, so cancelling is ordinary code, not a signal handler.

import AQEngine

#if canImport(Glibc)
import Glibc
#endif

enum InterruptWatcher {
    /// Blocks SIGINT in this thread (and so in every thread started after it) and starts a
    /// thread that cancels the running statement at each SIGINT. Call it first thing, before
    /// other threads exist.
    static func start(cancelling token: CancellationToken) {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let context = Unmanaged.passRetained(token).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let token = Unmanaged<CancellationToken>.fromOpaque(context).takeUnretainedValue()
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGINT)
            while true {
                var received: Int32 = 0
                if sigwait(&signals, &received) == 0, received == SIGINT { token.cancel() }
            }
        }, context)
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No watcher: let Ctrl-C end aq as usual rather than be ignored.
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            Unmanaged<CancellationToken>.fromOpaque(context).release()
        }
    }
}
