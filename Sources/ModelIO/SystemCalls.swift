import Glibc

/// Makes `call` again for as long as it fails with EINTR.
///
/// A signal that arrives during a slow call (a read from a pipe or terminal, an open of a FIFO,
/// an fsync on a network file system) makes it fail with EINTR before it did anything; the
/// answer is to make the same call again. Every read, write, open and fsync of this module goes
/// through here. close() does not: on Linux the descriptor is released even when close reports
/// EINTR, so a retry could close a descriptor another thread has just been given.
@inline(__always)
func retryingInterrupted<Result: BinaryInteger>(_ call: () -> Result) -> Result {
    while true {
        let result = call()
        guard result < 0, errno == EINTR else { return result }
    }
}

/// `O_TMPFILE` as <fcntl.h> defines it (`020000000 | O_DIRECTORY`): the macro is built from
/// another macro, so the Swift importer does not bring it in.
let openTemporaryFileFlag: Int32 = 0o20_000_000 | O_DIRECTORY

/// Permissions of every file this project creates (rw-r--r--, before the umask), as `touch` and
/// the peer tools create theirs.
let newFilePermissions: mode_t = 0o644

/// Thrown by POSIX wrappers: the failing call, its errno text, and the path involved.
func systemError(_ what: String, path: String, errno code: Int32) -> FileError {
    FileError(file: path, "\(what) failed: \(errnoDescription(code))")
}

func errnoDescription(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}
