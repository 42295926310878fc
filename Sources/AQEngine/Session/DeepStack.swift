// Runs a statement on a thread with a large stack. Binding, optimizing and evaluating walk
// expression trees recursively, and the parser lets a tree grow 1,000 levels deep (a long
// `a + b + …` chain); at a few kilobytes a frame that is more than a default 8 MB stack, or
// a 512 KB secondary thread's, can hold. Stack is reserved, not committed: only the pages a
// statement touches cost memory.

import Glibc

enum DeepStack {
    /// The stack size of the statement thread.
    static let size = 512 << 20

    /// `body` run on a fresh thread with a `size` stack, its result or error handed back.
    /// If no thread can be started, `body` runs on the caller's thread.
    static func run<T>(_ body: () throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { escaping -> T in
            var result: Result<T, Error>?
            let job = Job { result = Result { try escaping() } }
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size)
            var thread = pthread_t()
            let context = Unmanaged.passRetained(job).toOpaque()
            let started = pthread_create(&thread, &attributes, { raw in
                guard let raw else { return nil }
                Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().work()
                return nil
            }, context)
            if started == 0 {
                pthread_join(thread, nil)
            } else {
                Unmanaged<Job>.fromOpaque(context).release()
                job.work()
            }
            guard let result else { return try escaping() }
            return try result.get()
        }
    }

    /// The work a thread runs, kept alive by the thread until it is done.
    private final class Job {
        var work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }
}
