// Running the built `aq` as a user would: through pipes (scripts, -c, exit codes) or in a
// pseudo-terminal (the REPL). Every wait has a deadline so a test never hangs.

import XCTest
import CEditLine
import AQShell

#if canImport(Glibc)
import Glibc
#endif

/// The `aq` executable built next to the tests (`.build/<config>/aq`).
func aqExecutable(file: StaticString = #filePath) -> String? {
    var candidates: [String] = []
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if n > 0 {
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var directory = exe[..<(exe.lastIndex(of: "/") ?? exe.endIndex)]
        // The test bundle may be a directory (`aqPackageTests.xctest/…`).
        while let range = directory.range(of: ".xctest") {
            directory = directory[..<range.lowerBound]
            directory = directory[..<(directory.lastIndex(of: "/") ?? directory.endIndex)]
        }
        candidates.append(String(directory) + "/aq")
    }
    let source = "\(file)"
    if let testsRange = source.range(of: "/Tests/") {
        candidates.append(String(source[..<testsRange.lowerBound]) + "/.build/debug/aq")
    }
    return candidates.first { access($0, X_OK) == 0 }
}

/// What a finished run gave.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Environment for a child: ours, with changes (nil removes a variable).
private func environment(_ changes: [String: String?]) -> [String] {
    var env: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
        let text = String(cString: entry)
        if let eq = text.firstIndex(of: "=") { env[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
        p += 1
    }
    for (key, value) in changes { env[key] = value }
    return env.map { "\($0.key)=\($0.value)" }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}

private func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Runs `aq arguments` with `input` on standard input; kills it after `timeout` seconds.
func runAQ(_ arguments: [String], input: String = "", environment changes: [String: String?] = [:],
           timeout: Double = 60, file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
    guard let executable = aqExecutable() else {
        XCTFail("the aq executable was not built next to the tests", file: file, line: line)
        throw SystemError(path: "aq", errno: ENOENT)
    }
    var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
    guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw SystemError(path: "pipe", errno: errno) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }

    var pid: pid_t = 0
    let spawned = withCStrings([executable] + arguments) { argv in
        withCStrings(environment(changes)) { envp in
            posix_spawn(&pid, executable, &actions, nil, argv, envp)
        }
    }
    close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
    guard spawned == 0 else { throw SystemError(path: executable, errno: spawned) }

    // Standard input is small in these tests: write it all, then close.
    var bytes = Array(input.utf8)
    var written = 0
    while written < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(inPipe[1], $0.baseAddress! + written, $0.count - written) }
        if n <= 0 { break }
        written += n
    }
    close(inPipe[1])

    var out: [UInt8] = [], err: [UInt8] = []
    var open = [outPipe[0], errPipe[0]]
    let deadline = monotonicSeconds() + timeout
    while !open.isEmpty, monotonicSeconds() < deadline {
        var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if poll(&fds, nfds_t(fds.count), 100) <= 0 { continue }
        for p in fds where p.revents != 0 {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
            if n > 0 {
                if p.fd == outPipe[0] { out += chunk[0..<n] } else { err += chunk[0..<n] }
            } else {
                open.removeAll { $0 == p.fd }
            }
        }
    }
    if !open.isEmpty { kill(pid, SIGKILL) }
    close(outPipe[0]); close(errPipe[0])
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    guard open.isEmpty else {
        XCTFail("aq \(arguments) did not finish within \(timeout) s", file: file, line: line)
        throw SystemError(path: "aq", errno: ETIMEDOUT)
    }
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return RunResult(status: exitStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}

/// `aq` running in a pseudo-terminal, as if a person typed at it.
final class PseudoTerminal {
    let master: Int32
    let pid: pid_t
    /// Everything the terminal showed so far.
    private(set) var screen: [UInt8] = []
    /// Where the next `expect` starts looking.
    private var mark = 0
    private var exited: Int32?

    init(arguments: [String] = [], environment changes: [String: String?] = [:]) throws {
        guard let executable = aqExecutable() else {
            XCTFail("the aq executable was not built next to the tests")
            throw SystemError(path: "aq", errno: ENOENT)
        }
        var name = [CChar](repeating: 0, count: 256)
        let master = aq_open_pseudo_terminal(&name, name.count)
        guard master >= 0 else { throw SystemError(path: "/dev/ptmx", errno: errno) }
        let slave = String(cString: name)
        aq_terminal_set_size(master, 30, 100)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session: the terminal opened below becomes its controlling terminal, so
        // Ctrl-C typed at it sends SIGINT to aq.
        posix_spawnattr_setflags(&attributes, Int16(0x80 /* POSIX_SPAWN_SETSID */))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, master)
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var pid: pid_t = 0
        var env = changes
        env["TERM"] = env["TERM"] ?? "xterm"
        // No ~/.editrc or ~/.aq_history of the person running the tests.
        env["HOME"] = env["HOME"] ?? "/nonexistent"
        let spawned = withCStrings([executable] + arguments) { argv in
            withCStrings(environment(env)) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        guard spawned == 0 else {
            close(master)
            throw SystemError(path: executable, errno: spawned)
        }
        self.master = master
        self.pid = pid
    }

    deinit {
        if exited == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `keys` (control keys as `\u{3}` and so on).
    func type(_ keys: String) {
        var bytes = Array(keys.utf8)
        _ = bytes.withUnsafeMutableBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until the screen shows `text` after what earlier expectations consumed, and
    /// returns the output up to and including it. Fails the test after `timeout` seconds.
    @discardableResult
    func expect(_ text: String, timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String? {
        let needle = Array(text.utf8)
        let deadline = monotonicSeconds() + timeout
        while true {
            if let found = find(needle, from: mark) {
                let seen = String(decoding: screen[mark..<(found + needle.count)], as: UTF8.self)
                mark = found + needle.count
                return seen
            }
            let left = deadline - monotonicSeconds()
            if left <= 0 || !readMore(waitingAtMost: left) {
                let shown = String(decoding: screen[mark...], as: UTF8.self)
                XCTFail("the terminal did not show \(text.debugDescription); it showed \(shown.debugDescription)", file: file, line: line)
                return nil
            }
        }
    }

    /// Waits for `prompt` and then until the line editor has the terminal (ISIG off: the
    /// editor's mode; while a statement runs ICANON is off too, for typeahead, but ISIG is
    /// on): libedit prints its prompt just before it switches the terminal to its mode, and
    /// a Ctrl-C typed in between is a signal from the terminal driver, not a key.
    @discardableResult
    func expectPrompt(_ prompt: String = "aq> ", timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String? {
        guard let seen = expect(prompt, timeout: timeout, file: file, line: line) else { return nil }
        let deadline = monotonicSeconds() + timeout
        var mode = termios()
        while monotonicSeconds() < deadline {
            if tcgetattr(master, &mode) == 0, mode.c_lflag & tcflag_t(ISIG) == 0 { return seen }
            _ = readMore(waitingAtMost: 0.01)
        }
        XCTFail("the line editor did not take the terminal after \(prompt.debugDescription)", file: file, line: line)
        return nil
    }

    /// Waits for aq to exit; its exit status, or nil after `timeout` seconds.
    func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return exited
            }
            _ = readMore(waitingAtMost: 0.05)
        }
        return nil
    }

    /// Reads what is available within `seconds`; false at end of output or on timeout.
    private func readMore(waitingAtMost seconds: Double) -> Bool {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(max(1, min(seconds, 1) * 1000))) > 0 else { return seconds > 1 }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n > 0 {
            screen += chunk[0..<n]
            return true
        }
        // Before aq opens its side (or after it closes it) the master reports EIO.
        guard exited == nil, kill(pid, 0) == 0 else { return false }
        usleep(10_000)
        return true
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, screen.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= screen.count {
            if screen[i] == needle[0], Array(screen[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// `aq` running with its standard output and error on pipes the test reads as it likes: to
/// close standard output part-way (`aq … | head`) or to send a signal while rows stream.
final class PipedAQ {
    let pid: pid_t
    private var output: Int32
    private let errors: Int32
    /// Standard output read so far.
    private(set) var stdout: [UInt8] = []
    private var exited: Int32?

    /// Starts `aq arguments` with SIGPIPE and SIGINT at their default actions and no signal
    /// blocked (whatever the test process does with them); with `ignoringSIGPIPE`, SIGPIPE
    /// is ignored (a parent that ignores it passes that on), so a write to a closed pipe
    /// fails with EPIPE instead.
    init(_ arguments: [String], ignoringSIGPIPE: Bool = false) throws {
        guard let executable = aqExecutable() else {
            XCTFail("the aq executable was not built next to the tests")
            throw SystemError(path: "aq", errno: ENOENT)
        }
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw SystemError(path: "pipe", errno: errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), none = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        // `trap '' PIPE` ignores SIGPIPE, and exec keeps it ignored.
        let argv = ignoringSIGPIPE
            ? ["/bin/sh", "-c", "trap '' PIPE; exec \"$0\" \"$@\"", executable] + arguments
            : [executable] + arguments
        var pid: pid_t = 0
        let path = argv[0]
        let spawned = withCStrings(argv) { argv in
            withCStrings(environment([:])) { envp in posix_spawn(&pid, path, &actions, &attributes, argv, envp) }
        }
        close(outPipe[1]); close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw SystemError(path: argv[0], errno: spawned)
        }
        self.pid = pid
        self.output = outPipe[0]
        self.errors = errPipe[0]
    }

    deinit {
        if exited == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if output >= 0 { close(output) }
        close(errors)
    }

    /// Reads standard output until it holds `count` line breaks or ends; false if neither
    /// came within `timeout` seconds.
    func readLines(_ count: Int, timeout: Double = 60) -> Bool {
        let deadline = monotonicSeconds() + timeout
        while stdout.reduce(0, { $1 == 10 ? $0 + 1 : $0 }) < count {
            guard monotonicSeconds() < deadline, readOutput() else { return false }
        }
        return true
    }

    /// Reads standard output to its end; false if it did not end within `timeout` seconds.
    func readToEnd(timeout: Double = 60) -> Bool {
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            if !readOutput() { return output < 0 }
        }
        return false
    }

    /// One read of standard output (waiting up to 100 ms); false at its end.
    private func readOutput() -> Bool {
        guard output >= 0 else { return false }
        var p = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 100) > 0 else { return true }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
        guard n > 0 else {
            closeOutput()
            return false
        }
        stdout += chunk[0..<n]
        return true
    }

    /// Closes the read end of standard output, as `head` does once it has its lines.
    func closeOutput() {
        guard output >= 0 else { return }
        close(output)
        output = -1
    }

    /// Waits for aq to exit: its status (128 + the signal when one ended it), or nil if it
    /// still ran after `timeout` seconds.
    func waitForExit(timeout: Double = 60) -> Int32? {
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return exited
            }
            if output >= 0 { _ = readOutput() } else { usleep(50_000) }
        }
        return nil
    }

    /// What aq wrote to standard error (read once it has exited).
    var stderr: String {
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            var p = pollfd(fd: errors, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) > 0 else { break }
            let n = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            text += chunk[0..<n]
        }
        return String(decoding: text, as: UTF8.self)
    }
}
