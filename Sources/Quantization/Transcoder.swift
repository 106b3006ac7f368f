import ModelIO

/// Converts tensor data between element formats (f32, f16, bf16, Q8_0, Q4_0, Q4_1), in parallel.
///
/// Work is cut into fixed runs of elements, each written to its own place in the output, so the
/// bytes never depend on the thread count; a NaN or infinity met by a quantizer is reported as the
/// first such element of the whole input, found by a sequential rescan, for the same reason.
/// Between two quantized formats values go through f32 (a requantization, not a copy).
public enum Transcoder {
    /// Elements per work item: 64 Ki values (256 KiB of f32) keeps each item in L2 and the
    /// hand-out overhead of parallelFor below 0.1%.
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
        let bytes = try transcode(input, from: source, to: .f32, threads: threads)
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    static func transcode(
        _ input: UnsafeRawBufferPointer, from source: ElementFormat, to target: ElementFormat, threads: Int
    ) throws -> [UInt8] {
        guard let count = source.elementCount(bytes: input.count) else {
            throw QuantizationError.partialBlock(format: source, bytes: input.count)
        }
        guard let outputBytes = target.byteCount(elements: count) else {
            throw QuantizationError.rowNotMultipleOfBlock(format: target, length: count)
        }
        if count == 0 { return [] }
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: outputBytes) { buffer, initialized in
            // Bounds: `input` holds exactly `count` elements of `source` and `buffer` exactly
            // `count` of `target` (both computed above), and every task stays inside its range.
            let reader = ElementReader(format: source, base: input.baseAddress!)
            let writer = ElementWriter(format: target, base: UnsafeMutableRawPointer(buffer.baseAddress!))
            let tasks = (count + elementsPerTask - 1) / elementsPerTask
            do {
                try parallelFor(0..<tasks, threads: threads) { task in
                    let start = task * elementsPerTask
                    let end = min(count, start + elementsPerTask)
                    guard convert(reader, writer, elements: start..<end) else { throw NonFiniteMarker() }
                }
            } catch {
                failed = true
            }
            initialized = outputBytes
        }
        if failed { throw firstNonFinite(ElementReader(format: source, base: input.baseAddress!), count: count) }
        return output
    }

    /// Converts one run; `range.lowerBound` is a multiple of 32.
    static func convert(_ reader: ElementReader, _ writer: ElementWriter, elements range: Range<Int>) -> Bool {
        let groups = range.count / 32
        let firstGroup = range.lowerBound / 32
        let converted = withUnsafeTemporaryAllocation(byteCount: 128, alignment: 16) { scratch in
            // Specialized per (source, target) pair so the kernels inline into a tight loop over
            // blocks; dispatching on the formats inside the loop cost a third of the throughput.
            switch (reader.format, writer.format) {
            case (.f32, .q8_0): return run(firstGroup, groups) { Q8_0Block.quantize(reader.base + $0 * 128, to: writer.base + $0 * Q8_0Block.bytes) }
            case (.f32, .q4_0): return run(firstGroup, groups) { Q4_0Block.quantize(reader.base + $0 * 128, to: writer.base + $0 * Q4_0Block.bytes) }
            case (.f32, .q4_1): return run(firstGroup, groups) { Q4_1Block.quantize(reader.base + $0 * 128, to: writer.base + $0 * Q4_1Block.bytes) }
            default:
                return run(firstGroup, groups) { writer.write(reader.group($0, scratch: scratch.baseAddress!), group: $0) }
            }
        }
        guard converted else { return false }
        // The tail exists only for float formats (quantized counts are whole blocks).
        for index in (range.lowerBound + groups * 32)..<range.upperBound {
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
