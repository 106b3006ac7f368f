import ModelIO

/// Converts tensor data between element formats (f32, f16, bf16 and ggml's block types), in parallel.
///
/// Work is cut into fixed runs of elements, each written to its own place in the output, so the
/// bytes never depend on the thread count; a NaN or infinity met by a quantizer is reported as the
/// first such element of the whole input, found by a sequential rescan, for the same reason.
/// Between two quantized formats values go through f32 (a requantization, not a copy).
public enum Transcoder {
    /// Elements per work item: 64 Ki values (256 KiB of f32, about 0.1 ms of work). A 16 MiB
    /// chunk of a pipeline is then 64 items, enough to keep every worker busy to the end, while
    /// one atomic increment per item costs nothing next to the item.
    static let elementsPerTask = 1 << 16

    /// `input` holds elements of `source`; returns them in `target`'s encoding. Throws `QuantizationError`.
    public static func transcode(
        _ input: ByteSlice, from source: ElementFormat, to target: ElementFormat, threads: Int = 1
    ) throws -> [UInt8] {
        try input.withUnsafeBytes { bytes in
            try transcode(bytes, from: source, to: target, threads: threads)
        }
    }

    public static func transcode(
        _ input: [UInt8], from source: ElementFormat, to target: ElementFormat, threads: Int = 1
    ) throws -> [UInt8] {
        try input.withUnsafeBytes { bytes in
            try transcode(bytes, from: source, to: target, threads: threads)
        }
    }

    /// f32 values -> `target` bytes.
    public static func encode(_ values: [Float], as target: ElementFormat, threads: Int = 1) throws -> [UInt8] {
        try values.withUnsafeBytes { bytes in
            try transcode(bytes, from: .f32, to: target, threads: threads)
        }
    }

    /// `source` bytes -> f32 values.
    public static func decode(_ input: [UInt8], from source: ElementFormat, threads: Int = 1) throws -> [Float] {
        try input.withUnsafeBytes { bytes in
            let count = try outputSize(inputBytes: bytes.count, from: source, to: .f32) / 4
            return try filledArray(count: count) { buffer in
                try transcode(bytes, from: source, to: .f32, threads: threads, into: buffer)
            }
        }
    }

    /// Converts `input` into `output`, reusing its storage when it already has the right size (a
    /// pipeline converting a large tensor chunk by chunk allocates, and page-faults, only once).
    public static func transcode(
        _ input: ByteSlice, from source: ElementFormat, to target: ElementFormat, threads: Int = 1,
        into output: inout [UInt8]
    ) throws {
        let outputBytes = try outputSize(inputBytes: input.count, from: source, to: target)
        if output.count != outputBytes { output = [UInt8](repeating: 0, count: outputBytes) }
        try input.withUnsafeBytes { bytes in
            try output.withUnsafeMutableBytes { buffer in
                try transcode(bytes, from: source, to: target, threads: threads, into: buffer)
            }
        }
    }

    /// Bytes that `inputBytes` bytes of `source` take as `target`, or the error saying why they cannot.
    public static func outputSize(inputBytes: Int, from source: ElementFormat, to target: ElementFormat) throws -> Int {
        guard let count = source.elementCount(bytes: inputBytes) else {
            throw QuantizationError.partialBlock(format: source, bytes: inputBytes)
        }
        guard let outputBytes = target.byteCount(elements: count) else {
            throw QuantizationError.rowNotMultipleOfBlock(format: target, length: count)
        }
        return outputBytes
    }

    static func transcode(
        _ input: UnsafeRawBufferPointer, from source: ElementFormat, to target: ElementFormat, threads: Int
    ) throws -> [UInt8] {
        let outputBytes = try outputSize(inputBytes: input.count, from: source, to: target)
        return try filledArray(count: outputBytes) { buffer in
            try transcode(input, from: source, to: target, threads: threads, into: buffer)
        }
    }

    /// An array of `count` elements that `fill` writes in full, without zeroing them first (a
    /// 16 MiB chunk would be written twice). If `fill` throws, the array is dropped unread.
    private static func filledArray<Element: BitwiseCopyable>(
        count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws -> [Element] {
        var failure: (any Error)?
        let array = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            do {
                try fill(UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
            }
            initialized = count
        }
        if let failure { throw failure }
        return array
    }

    /// The core: `output` must hold exactly the converted size of `input`.
    static func transcode(
        _ input: UnsafeRawBufferPointer, from source: ElementFormat, to target: ElementFormat, threads: Int,
        into output: UnsafeMutableRawBufferPointer
    ) throws {
        let outputBytes = try outputSize(inputBytes: input.count, from: source, to: target)
        guard output.count == outputBytes else { throw QuantizationError.partialBlock(format: target, bytes: output.count) }
        let count = source.elementCount(bytes: input.count) ?? 0
        guard count > 0, let inputBase = input.baseAddress, let outputBase = output.baseAddress else { return }
        // Bounds: `input` holds exactly `count` elements of `source` and `output` exactly `count`
        // of `target` (checked above), and every task stays inside its own range of elements.
        let groupElements = max(32, source.elementsPerBlock, target.elementsPerBlock)
        let reader = ElementReader(format: source, base: inputBase, groupElements: groupElements)
        let writer = ElementWriter(format: target, base: outputBase, groupElements: groupElements)
        let tasks = (count + elementsPerTask - 1) / elementsPerTask
        do {
            try parallelFor(0..<tasks, threads: threads) { task in
                let start = task * elementsPerTask
                let end = min(count, start + elementsPerTask)
                guard convert(reader, writer, elements: start..<end) else { throw NonFiniteMarker() }
            }
        } catch {
            throw firstNonFinite(reader, count: count)
        }
    }

    /// Converts one run; `range.lowerBound` is a multiple of the group size (32 or 256).
    static func convert(_ reader: ElementReader, _ writer: ElementWriter, elements range: Range<Int>) -> Bool {
        let size = reader.groupElements
        let groups = range.count / size
        let firstGroup = range.lowerBound / size
        let converted = withUnsafeTemporaryAllocation(byteCount: reader.scratchBytes, alignment: 16) { scratch in
            // f32 input is read in place (`group` returns its address); other formats decode into scratch.
            run(firstGroup, groups) { writer.write(reader.group($0, scratch: scratch.baseAddress!), group: $0) }
        }
        guard converted else { return false }
        // The tail exists only for float formats (quantized counts are whole blocks).
        for index in (range.lowerBound + groups * size)..<range.upperBound {
            writer.write(reader.element(index), element: index)
        }
        return true
    }

    @inline(__always)
    private static func run(_ first: Int, _ count: Int, _ body: (Int) -> Bool) -> Bool {
        for group in first..<(first + count) {
            guard body(group) else { return false }
        }
        return true
    }

    static func firstNonFinite(_ reader: ElementReader, count: Int) -> QuantizationError {
        for index in 0..<count {
            let value = reader.element(index)
            if !value.isFinite { return .nonFinite(index: index, value: value) }
        }
        return .nonFinite(index: 0, value: .nan)  // unreachable: a quantizer saw one
    }

    private struct NonFiniteMarker: Error {}
}
