import Glibc
import CLinux

/// Writes a file so that it appears at its destination complete or not at all.
///
/// The bytes go to a nameless O_TMPFILE in the destination's folder (nothing is left behind even
/// after SIGKILL); where the file system refuses O_TMPFILE, to a hidden `.NAME.llama3-tmp-PID-N`
/// that is removed on SIGINT/SIGTERM. `commit()` fsyncs the data, then links or renames it into
/// place and fsyncs the folder. Without `commit()` nothing ever appears at the destination.
public final class AtomicFileWriter {
    public let destination: String
    private let folder: String
    private var descriptor: Int32
    private var temporaryPath: String?
    private var finished = false
    private var buffer: [UInt8] = []
    /// Writes smaller than this are gathered into one system call (a header written field by
    /// field, a tensor streamed in small pieces); larger ones go straight to the file.
    private static let bufferCapacity = 1 << 20
    /// Bytes handed to `write` so far: the offset the next write lands at.
    public private(set) var position: UInt64 = 0
    /// The file offset up to which writeback to the disk has been started.
    private var writebackStarted: UInt64 = 0
    /// The file offset below which written pages have been dropped from the page cache (those the
    /// disk had finished with; see `releaseWrittenPages`).
    private var releasedUpTo: UInt64 = 0
    /// How many written bytes may wait before their writeback is started: `commit()`'s fsync
    /// then finds most of the file on disk already, instead of writing all of it at the end.
    /// (Settable inside the module so tests cross it with small files.)
    var writebackInterval: UInt64 = 32 << 20
    /// Whether `copy` may still try copy_file_range (false once the kernel refused it for this pair).
    private var kernelCopyWorks = true

    /// How the temporary file is made: `.automatic` prefers a nameless O_TMPFILE and falls back
    /// to a hidden name where the file system refuses it; `.hiddenName` always uses the fallback.
    public enum TemporaryKind: Sendable { case automatic, hiddenName }

    /// Refuses a destination that is the same file as one of `inputs` (after links and symlinks).
    public init(destination: String, inputs: [String] = [], temporary: TemporaryKind = .automatic) throws {
        self.destination = destination
        let folder = Self.folder(of: destination)
        self.folder = folder
        try Self.refuseOverwritingInputs(destination: destination, inputs: inputs)
        var info = stat()
        if stat(destination, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw FileError(file: destination, "expected a file name for the output, found a folder")
        }
        if temporary == .automatic {
            let anonymous = retryingInterrupted { open(folder, openTemporaryFileFlag | O_WRONLY | O_CLOEXEC, newFilePermissions) }
            if anonymous >= 0 {
                descriptor = anonymous
                return
            }
        }
        let named = TemporaryFiles.shared.makeName(for: destination, in: folder)
        let fd = retryingInterrupted { open(named, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, newFilePermissions) }
        guard fd >= 0 else { throw systemError("creating a temporary file", path: named, errno: errno) }
        TemporaryFiles.shared.register(named)
        descriptor = fd
        temporaryPath = named
    }

    deinit { discard() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try checkOpen()
        position += UInt64(bytes.count)
        if buffer.count + bytes.count <= Self.bufferCapacity {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= Self.bufferCapacity {
            try writeFully(bytes, at: nil)
        } else {
            buffer.append(contentsOf: bytes)
        }
        startWriteback()
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Appends the bytes of `slice` unchanged. From a mapped file, the kernel copies them file to
    /// file (copy_file_range: they do not pass through this process's memory a second time);
    /// from a buffer, or where the kernel refuses that pair of files, they are written from memory.
    public func copy(_ slice: ByteSlice) throws {
        try checkOpen()
        let input = slice.source.descriptor
        guard kernelCopyWorks, input >= 0, slice.count >= Self.bufferCapacity else {
            try slice.withUnsafeBytes { try write($0) }
            return
        }
        try flush()
        var sourceOffset = slice.offset
        let end = slice.offset + slice.count
        while sourceOffset < end {
            let copied = retryingInterrupted {
                copy_file_range(input, &sourceOffset, descriptor, nil, UInt(end - sourceOffset), 0)
            }
            if copied > 0 {
                position += UInt64(copied)
                continue
            }
            guard copied < 0, Self.kernelCopyUnsupported(errno) else {
                throw systemError(copied == 0 ? "copy_file_range (input ended early)" : "copy_file_range", path: destination, errno: errno)
            }
            // This pair of files cannot be copied by the kernel (another file system on an old
            // kernel, a special file): write the rest from the map, and do not try again.
            kernelCopyWorks = false
            try slice.slice(offset: sourceOffset - slice.offset, length: end - sourceOffset).withUnsafeBytes { try write($0) }
            return
        }
        startWriteback()
    }

    /// The errors by which copy_file_range says it cannot copy between these two files at all.
    private static func kernelCopyUnsupported(_ code: Int32) -> Bool {
        code == EXDEV || code == ENOSYS || code == EINVAL || code == EOPNOTSUPP || code == EBADF
    }

    /// Writes `count` zero bytes as a stream of small pieces: padding sized by a file's header
    /// never becomes one allocation of that size.
    public func writeZeros(_ count: Int) throws {
        var left = count
        while left > 0 {
            let piece = min(left, Self.zeros.count)
            try Self.zeros.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[..<piece])) }
            left -= piece
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 64 << 10)

    /// Replaces bytes already written (a reserved header field such as a checksum array).
    public func overwrite(_ bytes: [UInt8], at offset: UInt64) throws {
        try checkOpen()
        guard offset + UInt64(bytes.count) <= position else {
            throw FileError(file: destination, offset: offset, "expected to overwrite bytes already written")
        }
        try flush()
        try bytes.withUnsafeBytes { try writeFully($0, at: offset) }
    }

    /// Makes the file durable and puts it at the destination.
    public func commit() throws {
        try checkOpen()
        try flush()
        guard retryingInterrupted({ fsync(descriptor) }) == 0 else { throw systemError("fsync", path: destination, errno: errno) }
        if let temporaryPath {
            guard rename(temporaryPath, destination) == 0 else {
                throw systemError("renaming the temporary file into place", path: destination, errno: errno)
            }
            TemporaryFiles.shared.unregister(temporaryPath)
            self.temporaryPath = nil
        } else {
            try linkAnonymousFile()
        }
        close(descriptor)
        descriptor = -1
        finished = true
        syncFolder()
    }

    /// Abandons the output: nothing appears at the destination. Called by deinit too.
    public func discard() {
        guard !finished else { return }
        finished = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        if let temporaryPath {
            unlink(temporaryPath)
            TemporaryFiles.shared.unregister(temporaryPath)
        }
    }

    private func linkAnonymousFile() throws {
        let handle = "/proc/self/fd/\(descriptor)"
        if linkat(AT_FDCWD, handle, AT_FDCWD, destination, AT_SYMLINK_FOLLOW) == 0 { return }
        guard errno == EEXIST else { throw systemError("linking the output into place", path: destination, errno: errno) }
        // The destination exists: link under a hidden name, then rename over it atomically.
        let named = TemporaryFiles.shared.makeName(for: destination, in: folder)
        TemporaryFiles.shared.register(named)
        defer { TemporaryFiles.shared.unregister(named) }
        guard linkat(AT_FDCWD, handle, AT_FDCWD, named, AT_SYMLINK_FOLLOW) == 0 else {
            throw systemError("linking the output into place", path: destination, errno: errno)
        }
        guard rename(named, destination) == 0 else {
            let code = errno
            unlink(named)
            throw systemError("renaming the output into place", path: destination, errno: code)
        }
    }

    private func checkOpen() throws {
        guard !finished else { throw FileError(file: destination, "the output was already closed") }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeFully($0, at: nil) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Starts (without waiting for) the writeback of what reached the file since the last start,
    /// then releases what earlier starts have had time to write.
    private func startWriteback() {
        let inFile = position - UInt64(buffer.count)
        guard inFile - writebackStarted >= writebackInterval else { return }
        // Only a hint: a failure here leaves the work to fsync, which reports real errors.
        _ = sync_file_range(descriptor, Int(writebackStarted), Int(inFile - writebackStarted), LLAMA3_SYNC_FILE_RANGE_WRITE)
        writebackStarted = inFile
        releaseWrittenPages(upTo: writebackStarted >= 3 * writebackInterval ? writebackStarted - 3 * writebackInterval : 0)
    }

    /// Drops the written pages below `end` from the page cache, so that a 140 GB output does not
    /// push everything else out of memory. Their writeback started two intervals ago; pages the
    /// disk has not finished yet are left alone (the kernel drops only clean pages), because
    /// waiting for them measured 15-30% slower than letting the disk's queue stay deep.
    private func releaseWrittenPages(upTo end: UInt64) {
        guard end > releasedUpTo else { return }
        _ = posix_fadvise(descriptor, off_t(releasedUpTo), off_t(end - releasedUpTo), POSIX_FADV_DONTNEED)
        releasedUpTo = end
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer, at offset: UInt64?) throws {
        var done = 0
        while done < bytes.count {
            let pointer = bytes.baseAddress! + done
            let count = bytes.count - done
            let result = retryingInterrupted {
                offset.map { pwrite(descriptor, pointer, count, off_t($0) + off_t(done)) } ?? Glibc.write(descriptor, pointer, count)
            }
            guard result >= 0 else { throw systemError("write", path: destination, errno: errno) }
            done += result
        }
    }

    private func syncFolder() {
        let fd = retryingInterrupted { open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        _ = retryingInterrupted { fsync(fd) }
        close(fd)
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    static func refuseOverwritingInputs(destination: String, inputs: [String]) throws {
        var target = stat()
        guard stat(destination, &target) == 0 else { return }
        for input in inputs {
            var info = stat()
            if stat(input, &info) == 0, info.st_dev == target.st_dev, info.st_ino == target.st_ino {
                throw FileError(file: destination, "is also an input (\(input)); refusing to overwrite an input")
            }
        }
    }
}
