import FuzzSupport
import Glibc
import ModelIO

/// The input stream every text command reads (`count`, `tokenize`, `chat`...), which decompresses
/// zstd by its magic: frames, concatenated frames, skippable frames, truncation, corruption.
/// InputStream reads a file descriptor, so the bytes are written to one file per process in
/// /dev/shm (memory, no disk), rewritten for each input and opened by path as a user's file is.
/// Output is read in chunks and dropped, up to 64 MiB: a small input may legitimately
/// decompress to a lot.
let inputPath = (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/llama3-fuzz-zstd-\(getpid())"
let removeAtExit: Void = { atexit { unlink(inputPath) }; return () }()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZstd(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = removeAtExit
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(inputPath): errno \(errno)") }
    var written = 0
    while written < size, let data {
        let got = write(fd, data + written, size - written)
        guard got > 0 else { fatalError("write to \(inputPath) failed: errno \(errno)") }
        written += got
    }
    close(fd)
    expectCleanRefusal {
        let stream = try InputStream(path: inputPath)
        var total = 0
        while total < 64 << 20 {
            let chunk = try stream.read(maxBytes: 1 << 20)
            if chunk.isEmpty { break }
            total += chunk.count
        }
        if !stream.isCompressed && total != size { fuzzFinding("plain input of \(size) bytes read as \(total)") }
    }
    return 0
}
