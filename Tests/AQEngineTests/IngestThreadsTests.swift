// The threads a load runs on: its readers hold their threads for the whole load, so the jobs
// that pack its chunks must get threads of their own at once (`WorkerPool`), never wait for
// a reader to finish.

import Dispatch
import XCTest
@testable import AQEngine

final class IngestThreadsTests: XCTestCase {
    /// Jobs that hold their threads (more than there are cores) do not keep a later job from
    /// running: it runs while they still wait.
    func testAJobRunsWhileEarlierJobsHoldTheirThreads() {
        let held = OrderedParallelRunner.cores + 1
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for _ in 0..<held {
            finished.enter()
            XCTAssertTrue(WorkerPool.shared.submit {
                started.signal()
                release.wait()
                finished.leave()
            })
        }
        for _ in 0..<held { started.wait() }
        let ran = DispatchSemaphore(value: 0)
        XCTAssertTrue(WorkerPool.shared.submit { ran.signal() })
        // Not a timing: without a thread of its own the job would wait for `release`, which
        // comes only after this wait, so the wait would end by its (generous) deadline.
        XCTAssertEqual(ran.wait(timeout: .now() + 60), .success, "the job waited for the held threads")
        for _ in 0..<held { release.signal() }
        finished.wait()
    }
}
