// Ctrl-C while a statement runs: SIGINT is blocked in every thread and one watcher thread
// takes it with sigwait, so cancelling is ordinary code, not a signal handler.

import AQEngine

#if canImport(Glibc)
import Glibc
#endif

enum InterruptWatcher {
    /// Blocks SIGINT in this thread (and so in every thread started after it) and starts a
    /// thread that cancels the running statement at each SIGINT; with `secondEnds`, a
    /// second SIGINT ends the process with status 130 (128 + SIGINT, as the signal's default
    /// action would), so a script waiting on something no token reaches can still be
    /// stopped. Call it first thing, before other threads exist.
    static func start(cancelling token: CancellationToken, secondEnds: Bool) {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let context = Unmanaged.passRetained(Watch(token: token, secondEnds: secondEnds)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let watch = Unmanaged<Watch>.fromOpaque(context).takeUnretainedValue()
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGINT)
            var seen = 0
            while true {
                var received: Int32 = 0
                guard sigwait(&signals, &received) == 0, received == SIGINT else { continue }
                seen += 1
                if watch.secondEnds, seen > 1 { _exit(130) }
                watch.token.cancel()
            }
        }, context)
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No watcher: let Ctrl-C end aq as usual rather than be ignored.
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            Unmanaged<Watch>.fromOpaque(context).release()
        }
    }
}

/// What the watcher thread holds.
private final class Watch {
    let token: CancellationToken
    let secondEnds: Bool
    init(token: CancellationToken, secondEnds: Bool) {
        self.token = token
        self.secondEnds = secondEnds
    }
}
