// Where this test process writes its files: one directory, removed when the process exits,
// so that test runs leave nothing behind in the system's temporary directory.

import Foundation

enum TestScratch {
    static let root: String = {
        let path = NSTemporaryDirectory() + "aq-tests-engine-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestScratch.root) }
        return path
    }()
}
