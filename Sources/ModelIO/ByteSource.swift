import Glibc

/// Read-only bytes that every parser reads from: a memory map of a file, or an in-memory buffer.
///
/// Every read is bounds-checked against `count` and throws a `FileError` naming the offset,
/// so a lying header field can never read outside the bytes or make a parser crash.
/// The pointer never leaves this type except through `withUnsafeBytes`, whose callers
/// (kernels, hashers) get exactly the checked range.
public final class ByteSource: @unchecked Sendable {
    // @unchecked: the bytes are immutable for the lifetime of the object (a PROT_READ map or a
    // private copy), so sharing them across threads is safe.
    public let name: String
    public let count: Int
    /// Internal to ModelIO: only the checked accessors here hand it out.
    let base: UnsafeRawPointer?
    /// The open file behind a map, kept so that unchanged bytes can be copied file to file by the
    /// kernel (`AtomicFileWriter.copy`) and consumed pages dropped from the page cache; -1 for a buffer.
    let descriptor: Int32
    private let release: Release

    private enum Release {
        case unmap(UnsafeMutableRawPointer, Int)
        case free(UnsafeMutableRawPointer)
        case none
    }

    /// Maps `path` read-only. Opening costs the same for a 1 KB and a 140 GB file.
    ///
    /// The open is non-blocking: opening a FIFO for reading otherwise waits for a writer forever,
    /// so a FIFO (or a device) is refused by its type before anything is read.
    public init(mapping path: String) throws {
        let fd = retryingInterrupted { open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard fd >= 0 else { throw systemError("open", path: path, errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw systemError("stat", path: path, errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw FileError(file: path, "expected a regular file, found \(describeFileType(info.st_mode))")
        }
        let size = Int(info.st_size)
        name = path
        count = size
        descriptor = fd
        if size == 0 {
            base = nil
            release = .none
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            let code = errno
            close(fd)
            throw systemError("mmap", path: path, errno: code)
        }
        base = UnsafeRawPointer(mapped)
        release = .unmap(mapped, size)
    }

    /// A cache line: a copy starts where the kernels' vector loads are fastest, as a mapped file does.
    private static let bufferAlignment = 64

    /// Copies `bytes` into a private buffer; used by tests, fuzzers and data read from stdin.
    public init(bytes: some Collection<UInt8>, name: String = "<memory>") {
        self.name = name
        count = bytes.count
        descriptor = -1
        if bytes.isEmpty {
            base = nil
            release = .none
            return
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: Self.bufferAlignment)
        _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        base = UnsafeRawPointer(buffer.baseAddress!)
        release = .free(buffer.baseAddress!)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        switch release {
        case .unmap(let pointer, let size): munmap(pointer, size)
        case .free(let pointer): pointer.deallocate()
        case .none: break
        }
    }

    /// Throws unless `offset ..< offset + length` lies inside the bytes. Written with a
    /// subtraction so that huge untrusted values cannot overflow.
    public func checkRange(offset: Int, length: Int, expected: @autoclosure () -> String) throws {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else {
            let available = offset >= 0 && offset <= count ? count - offset : 0
            throw FileError(
                file: name, offset: offset,
                "expected \(expected()) (\(length) bytes), but only \(available) bytes remain")
        }
    }

    /// Gives `body` the checked bytes `offset ..< offset + length`. The buffer is valid only
    /// inside `body` (the map lives as long as `self`, which the call keeps alive).
    public func withUnsafeBytes<R>(
        offset: Int, length: Int, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try checkRange(offset: offset, length: length, expected: "data")
        return try withExtendedLifetime(self) {
            guard let base, length > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
            return try body(UnsafeRawBufferPointer(start: base + offset, count: length))
        }
    }

    /// A copy of the checked bytes.
    public func bytes(offset: Int, length: Int, expected: @autoclosure () -> String = "data") throws -> [UInt8] {
        try checkRange(offset: offset, length: length, expected: expected())
        return try withUnsafeBytes(offset: offset, length: length) { Array($0) }
    }

    /// A little-endian integer at any alignment.
    public func load<T: FixedWidthInteger>(
        _ type: T.Type, at offset: Int, expected: @autoclosure () -> String = "an integer"
    ) throws -> T {
        try checkRange(offset: offset, length: MemoryLayout<T>.size, expected: expected())
        return T(littleEndian: base!.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Every byte of the source as one slice.
    public var whole: ByteSlice { ByteSlice(source: self, offset: 0, count: count) }

    /// A byte-range view sharing this source: what a tensor's data is.
    public func slice(offset: Int, length: Int, expected: @autoclosure () -> String = "data") throws -> ByteSlice {
        try checkRange(offset: offset, length: length, expected: expected())
        return ByteSlice(source: self, offset: offset, count: length)
    }

    /// Hints the kernel that the range will be read soon, in order (a no-op for buffers).
    public func adviseSequential() {
        if case .unmap(let pointer, let size) = release { _ = madvise(pointer, size, MADV_SEQUENTIAL) }
    }

    /// Drops this process's mapping of the whole pages inside `offset ..< offset + length`, bytes
    /// a reader has finished with: the resident size stays that of the pages in use instead of
    /// growing to the whole input. The map is read-only and backed by the file, so a later read
    /// of the range finds the same bytes again (from the page cache, or the disk); the page cache
    /// itself is left to the kernel, so a second command over the same file still reads it warm.
    func releaseMappedPages(offset: Int, length: Int) {
        guard case .unmap(let pointer, _) = release, let range = Self.wholePages(offset: offset, length: length) else { return }
        _ = madvise(pointer + range.lowerBound, range.count, MADV_DONTNEED)
    }

    /// The page-aligned part of a byte range (pages only partly inside stay mapped: a neighbour
    /// may still be reading them), nil when no whole page lies inside.
    static func wholePages(offset: Int, length: Int) -> Range<Int>? {
        let page = pageSize
        let start = (offset + page - 1) / page * page
        let end = (offset + length) / page * page
        return start < end ? start..<end : nil
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// A checked range of a `ByteSource`: tensor data, a header, a chunk of text.
public struct ByteSlice: Sendable {
    public let source: ByteSource
    public let offset: Int
    public let count: Int

    /// The bytes of the slice; valid only inside `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        // The range was checked against the immutable source when the slice was made.
        try withExtendedLifetime(source) {
            guard let base = source.base, count > 0 else {
                return try body(UnsafeRawBufferPointer(start: nil, count: 0))
            }
            return try body(UnsafeRawBufferPointer(start: base + offset, count: count))
        }
    }

    /// A sub-range, checked against this slice.
    public func slice(offset sub: Int, length: Int) throws -> ByteSlice {
        guard sub >= 0, length >= 0, sub <= count, length <= count - sub else {
            throw FileError(
                file: source.name, offset: offset + max(0, min(sub, count)),
                "expected \(length) bytes inside a \(count)-byte range")
        }
        return ByteSlice(source: source, offset: offset + sub, count: length)
    }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Says the slice's bytes have been consumed: the whole pages inside it leave this process's
    /// resident memory (see `ByteSource.releaseMappedPages`). A no-op for in-memory sources.
    public func releaseMappedPages() { source.releaseMappedPages(offset: offset, length: count) }

    /// Releases, in each source, the span from the first to the last byte of `slices`: one call
    /// for a tensor gathered from thousands of row pieces (reordered rows, merged ranks).
    public static func releaseMappedPages(spanning slices: [ByteSlice]) {
        var spans: [ObjectIdentifier: (source: ByteSource, range: Range<Int>)] = [:]
        for slice in slices {
            let range = slice.offset..<(slice.offset + slice.count)
            let key = ObjectIdentifier(slice.source)
            let known = spans[key]?.range ?? range
            spans[key] = (slice.source, min(known.lowerBound, range.lowerBound)..<max(known.upperBound, range.upperBound))
        }
        for (source, range) in spans.values {
            source.releaseMappedPages(offset: range.lowerBound, length: range.count)
        }
    }
}

/// What a non-regular file is, for the error that refuses it.
func describeFileType(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: return "a file"
    case S_IFLNK: return "a symbolic link"
    case S_IFIFO: return "a FIFO"
    case S_IFDIR: return "a folder"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    default: return "a special file"
    }
}
