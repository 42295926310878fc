// Runs a statement on a thread with a large stack. Binding, optimizing and evaluating walk
// expression trees recursively, and the parser lets a tree grow 1,000 levels deep (a long
// `a + b + …` chain); at a few kilobytes a frame that is more than a default 8 MB stack, or
// a 512 KB secondary thread's, can hold. Stack is reserved, not committed: only the pages a
// statement touches cost memory. On a thread that already has such a stack (the shell runs
// its whole input loop on one) the statement runs where it is: starting a thread per statement
// and per batch of its rows cost about a quarter of a millisecond each on a virtual machine,
// more than a short query's work.

import Glibc

public enum DeepStack {
    /// The stack size of the statement thread.
    static let size = 512 << 20

    /// Marks the threads that have a `size` stack (set to a non-nil value on them).
    private static let marker: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()

    /// Whether the calling thread has a `size` stack.
    private static var onDeepStack: Bool {
        guard let marker else { return false }
        return pthread_getspecific(marker) != nil
    }

    /// `body` run on a thread with a `size` stack, its result or error handed back: the
    /// calling thread when it has one, else a fresh thread. If no thread can be started,
    /// `body` runs on the caller's thread.
    public static func run<T>(_ body: () throws -> T) throws -> T {
        if onDeepStack { return try body() }
        return try withoutActuallyEscaping(body) { escaping -> T in
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
                if let marker = DeepStack.marker { pthread_setspecific(marker, UnsafeRawPointer(bitPattern: 1)) }
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
