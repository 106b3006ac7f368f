import Glibc
import Testing
@testable import ModelIO

@Suite struct SystemCallsTests {
    @Test func interruptedCallIsMadeAgainUntilItAnswers() {
        var calls = 0
        let result = retryingInterrupted { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(result == 7)
        #expect(calls == 3)
    }

    @Test func otherFailuresAreReturnedAtOnce() {
        var calls = 0
        let result = retryingInterrupted { () -> Int in
            calls += 1
            errno = EBADF
            return -1
        }
        #expect(result == -1)
        #expect(calls == 1)
        #expect(errno == EBADF)
    }
}
