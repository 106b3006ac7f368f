import Glibc

/// stdout or stderr, written with write(2) and every result checked: the one way the command line
/// prints. Swift's `print` and Foundation's `FileHandle.write` either drop a failed write (a full
/// disk gets half a report and exit 0) or stop the process with a fatal error; here a failure is
/// a `StandardStreamError` the caller reports like any other.
///
/// A broken pipe is left to the signal disposition the process inherited: with SIGPIPE at its
/// default the kernel ends the process quietly (status 141, as any Unix filter); with SIGPIPE
/// ignored, write(2) fails with EPIPE, which is a write error like any other.
public struct StandardStream: Sendable {
    public let descriptor: Int32

    public static let output = StandardStream(descriptor: STDOUT_FILENO)
    public static let error = StandardStream(descriptor: STDERR_FILENO)

    public func write(_ text: String) throws(StandardStreamError) {
        try write(Array(text.utf8))
    }

    public func write(_ bytes: [UInt8]) throws(StandardStreamError) {
        try bytes.withUnsafeBufferPointer { buffer throws(StandardStreamError) in try write(buffer) }
    }

    /// Writes all of `bytes`, continuing after a short write (a pipe takes at most its free space).
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) throws(StandardStreamError) {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = retryingInterrupted { Glibc.write(descriptor, next, left) }
            if written < 0 { throw StandardStreamError(code: errno) }
            next += written
            left -= written
        }
    }

    /// Writes `text`, ignoring failure: for the last message of a process whose stderr is already
    /// known to fail, where there is nowhere left to report to.
    public func writeIgnoringFailure(_ text: String) {
        try? write(text)
    }

    /// Gives each closed standard descriptor (0, 1, 2) a stand-in that fails every read or write.
    ///
    /// Without this, the first file the program opens takes the lowest free number: with stdout
    /// closed, a model file opened for writing would become "stdout" and receive the report. The
    /// stand-in is /dev/null opened the wrong way round (stdin write-only, stdout and stderr
    /// read-only), so using it fails with EBADF, as the closed descriptor would have.
    public static func guardClosedDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            guard fcntl(descriptor, F_GETFD) == -1, errno == EBADF else { continue }
            let mode = descriptor == STDIN_FILENO ? O_WRONLY : O_RDONLY
            let opened = retryingInterrupted { open("/dev/null", mode) }
            // open returns the lowest free number, which is `descriptor` as the lower ones are open.
            if opened >= 0, opened != descriptor {
                _ = dup2(opened, descriptor)
                _ = close(opened)
            }
        }
    }
}

/// A failed write to stdout or stderr; prints as coreutils says it: `write error: REASON`.
public struct StandardStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32

    public var description: String { "write error: \(errnoDescription(code))" }
}
