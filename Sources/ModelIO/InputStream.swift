import CZstd
import Glibc

/// Sequential reading of a file or stdin, decompressing zstd transparently.
///
/// Compression is recognised by the zstd frame magic in the first bytes, not by the name, so
/// `foo.zst`, a renamed file and stdin holding a zstd stream all read as their content.
/// Concatenated frames are read one after another, as the `zstd` tool writes and reads them,
/// and skippable frames anywhere (the first one included) are passed over as `zstd -d` does.
public final class InputStream {
    /// The path, or `<stdin>`.
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var decoder: ZstdDecoder?
    private var pending: [UInt8] = []  // raw bytes read while sniffing, not yet returned
    private var rawOffset: UInt64 = 0
    private var atEnd = false
    /// The size of the file read, when it is a regular file (not a pipe or a terminal).
    public private(set) var rawSize: UInt64?
    /// Called after each read of the file with the bytes read so far (compressed ones, for zstd,
    /// so that they compare with `rawSize`): how a progress line follows work it cannot see.
    public var onRawRead: ((UInt64) -> Void)?

    /// Opens `path`; `nil` or `-` means standard input.
    public init(path: String?) throws {
        if path == nil || path == "-" {
            name = "<stdin>"
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            let path = path!
            name = path
            descriptor = retryingInterrupted { open(path, O_RDONLY | O_CLOEXEC) }
            guard descriptor >= 0 else { throw systemError("open", path: path, errno: errno) }
            ownsDescriptor = true
            var info = stat()
            if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw FileError(file: path, "expected a file, found a folder")
            }
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { rawSize = UInt64(info.st_size) }
        pending = try readRaw(max: Self.zstdMagic.count)
        if Self.startsZstdFrame(pending) {
            decoder = try ZstdDecoder(name: name)
        }
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// ZSTD_MAGICNUMBER (0xFD2FB528) as a frame's first four bytes, little-endian.
    static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// A zstd frame, or a skippable frame (magic 0x184D2A50...0x184D2A5F: metadata that `zstd -d`
    /// passes over, as pzstd writes first and the seekable format writes last). libzstd's
    /// stream decoder skips those itself; they only have to be recognised as zstd here.
    static func startsZstdFrame(_ first: [UInt8]) -> Bool {
        guard first.count == 4 else { return false }
        return first == zstdMagic || (first[0] & 0xF0 == 0x50 && first[1...] == [0x2A, 0x4D, 0x18])
    }
    /// What `read` returns at most when not told.
    public static let defaultChunkBytes = 1 << 20
    /// Compressed bytes read per system call: zstd's recommended input size (one whole block).
    static let compressedReadBytes = ZSTD_DStreamInSize()

    /// Whether the content is being decompressed.
    public var isCompressed: Bool { decoder != nil }

    /// Up to `maxBytes` (more than 0) bytes of content; an empty array only at the end.
    public func read(maxBytes: Int = defaultChunkBytes) throws -> [UInt8] {
        precondition(maxBytes > 0)
        guard let decoder else {
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            return try readRaw(max: maxBytes)
        }
        while true {
            if decoder.needsInput && !atEnd {
                var input = pending
                pending = []
                if input.isEmpty { input = try readRaw(max: Self.compressedReadBytes) }
                if input.isEmpty { atEnd = true } else { decoder.feed(input) }
            }
            let output = try decoder.decode(maxBytes: maxBytes, rawOffset: rawOffset)
            if !output.isEmpty { return output }
            if atEnd {
                try decoder.finish(rawOffset: rawOffset)
                return []
            }
        }
    }

    /// The whole remaining content.
    public func readAll() throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = try read()
            if chunk.isEmpty { return all }
            all.append(contentsOf: chunk)
        }
    }

    private func readRaw(max: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max)
        var filled = 0
        while filled < max {
            let got = bytes.withUnsafeMutableBytes { buffer in
                retryingInterrupted { Glibc.read(descriptor, buffer.baseAddress! + filled, max - filled) }
            }
            guard got >= 0 else { throw systemError("read", path: name, errno: errno) }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        rawOffset += UInt64(filled)
        onRawRead?(rawOffset)
        return bytes
    }
}

/// A zstd streaming decompression context with its unconsumed input.
private final class ZstdDecoder {
    private let name: String
    private let context: OpaquePointer
    private var input: [UInt8] = []
    private var inputPosition = 0
    /// Whether the last call stopped in the middle of a frame.
    private var inFrame = false

    init(name: String) throws {
        self.name = name
        guard let context = ZSTD_createDStream() else { throw FileError(file: name, "could not start zstd decompression") }
        self.context = context
        ZSTD_initDStream(context)
    }

    deinit { ZSTD_freeDStream(context) }

    /// The last call filled its output, so zstd may still hold decoded bytes to hand out.
    private var outputMayBePending = false

    /// True when nothing more can come out without new input.
    var needsInput: Bool { inputPosition >= input.count && !outputMayBePending }

    func feed(_ bytes: [UInt8]) {
        input = bytes
        inputPosition = 0
    }

    func decode(maxBytes: Int, rawOffset: UInt64) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: maxBytes)
        var produced = 0
        while produced < maxBytes && !needsInput {
            let before = (input: inputPosition, output: produced)
            let result = input.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { target in
                    var inBuffer = ZSTD_inBuffer(src: source.baseAddress, size: source.count, pos: inputPosition)
                    var outBuffer = ZSTD_outBuffer(dst: target.baseAddress, size: target.count, pos: produced)
                    let code = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                    inputPosition = inBuffer.pos
                    produced = outBuffer.pos
                    return code
                }
            }
            if ZSTD_isError(result) != 0 {
                let consumedBefore = rawOffset - UInt64(input.count - inputPosition)
                throw FileError(
                    file: name, offset: consumedBefore,
                    "expected zstd-compressed data: \(String(cString: ZSTD_getErrorName(result)))")
            }
            // 0 means a frame ended and everything is flushed. A call that moved nothing (a
            // flush after a frame ended) reports the next frame's header size: not a frame.
            let progressed = inputPosition != before.input || produced != before.output
            if progressed { inFrame = result != 0 }
            outputMayBePending = progressed && result != 0 && produced == maxBytes
        }
        output.removeSubrange(produced...)
        return output
    }

    func finish(rawOffset: UInt64) throws {
        if inFrame {
            throw FileError(file: name, offset: rawOffset, "expected the rest of a zstd frame, but the input ends")
        }
    }
}
