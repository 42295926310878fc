// Runs a statement on a thread with a large stack. Binding, optimizing and evaluating walk
// expression trees recursively, and the parser lets a tree grow 1,000 levels deep (a long
// `a + b + …` chain); at a few kilobytes a frame that is more than a default 8 MB stack, or
// a 512 KB secondary thread's, can hold. The threads of `WorkerPool` have such stacks (512 MB,
// reserved rather than committed): a statement runs on one of them, kept between statements,
// or where it is when the caller is one of them (the shell runs its whole session on one).
// Starting a thread for each statement and each batch of its rows, as before, cost about a
// quarter of a millisecond each on a virtual machine, more than a short query's work.

public enum DeepStack {
    /// `body` run on a thread with a deep stack, its result or error handed back: the calling
    /// thread when it is a pool thread, else a pool thread while the caller waits. If no
    /// thread can be started, `body` runs on the caller's thread.
    public static func run<T>(_ body: () throws -> T) throws -> T {
        if WorkerPool.onPoolThread { return try body() }
        return try withoutActuallyEscaping(body) { escaping -> T in
            var result: Result<T, Error>?
            guard WorkerPool.shared.runAndWait({ result = Result { try escaping() } }), let result else {
                return try escaping()
            }
            return try result.get()
        }
    }
}
