/// Reads and writes the elements of one format at raw addresses, 32 at a time (one block of the
/// quantized formats) through 32 f32 values, or, for the float formats, one at a time for a tail
/// shorter than 32. Callers guarantee the bounds: `Transcoder` checks the whole buffers first.
struct ElementReader: @unchecked Sendable {
    // @unchecked: a read-only address into bytes the caller keeps alive and unchanged for the call.
    let format: ElementFormat
    let base: UnsafeRawPointer

    /// The 32 values starting at element `group * 32`, as f32: in place for f32 input, else
    /// decoded into `scratch` (128 writable bytes).
    @inline(__always)
    func group(_ group: Int, scratch: UnsafeMutableRawPointer) -> UnsafeRawPointer {
        let start = base + group * format.bytesPerGroup
        switch format {
        case .f32: return start
        case .f16:
            for lane in 0..<32 {
                let half = UInt16(littleEndian: start.loadUnaligned(fromByteOffset: lane * 2, as: UInt16.self))
                scratch.storeBytes(of: HalfFloat.float(fromBits: half), toByteOffset: lane * 4, as: Float.self)
            }
        case .bf16:
            for lane in 0..<32 {
                let half = UInt16(littleEndian: start.loadUnaligned(fromByteOffset: lane * 2, as: UInt16.self))
                scratch.storeBytes(of: BrainFloat.float(fromBits: half), toByteOffset: lane * 4, as: Float.self)
            }
        case .q8_0: Q8_0Block.dequantize(start, to: scratch)
        case .q4_0: Q4_0Block.dequantize(start, to: scratch)
        case .q4_1: Q4_1Block.dequantize(start, to: scratch)
        }
        return UnsafeRawPointer(scratch)
    }

    /// One value, at any index (the tail of a float tensor, and the error rescan).
    func element(_ index: Int) -> Float {
        switch format {
        case .f32: return (base + index * 4).loadUnaligned(as: Float.self)
        case .f16: return HalfFloat.float(fromBits: UInt16(littleEndian: (base + index * 2).loadUnaligned(as: UInt16.self)))
        case .bf16: return BrainFloat.float(fromBits: UInt16(littleEndian: (base + index * 2).loadUnaligned(as: UInt16.self)))
        case .q8_0, .q4_0, .q4_1:
            return withUnsafeTemporaryAllocation(byteCount: 128, alignment: 16) { scratch in
                group(index / 32, scratch: scratch.baseAddress!).loadUnaligned(fromByteOffset: index % 32 * 4, as: Float.self)
            }
        }
    }
}

struct ElementWriter: @unchecked Sendable {
    // @unchecked: tasks write disjoint ranges of one buffer, which the caller owns for the call.
    let format: ElementFormat
    let base: UnsafeMutableRawPointer

    /// Writes the 32 f32 values at `values` as element group `group`; false when a quantizer met
    /// a NaN or infinity.
    @inline(__always)
    func write(_ values: UnsafeRawPointer, group: Int) -> Bool {
        let start = base + group * format.bytesPerGroup
        switch format {
        case .f32: start.copyMemory(from: values, byteCount: 128)
        case .f16:
            for lane in 0..<32 {
                let half = HalfFloat.bits(from: values.loadUnaligned(fromByteOffset: lane * 4, as: Float.self))
                start.storeBytes(of: half.littleEndian, toByteOffset: lane * 2, as: UInt16.self)
            }
        case .bf16:
            for lane in 0..<32 {
                let half = BrainFloat.bits(from: values.loadUnaligned(fromByteOffset: lane * 4, as: Float.self))
                start.storeBytes(of: half.littleEndian, toByteOffset: lane * 2, as: UInt16.self)
            }
        case .q8_0: return Q8_0Block.quantize(values, to: start)
        case .q4_0: return Q4_0Block.quantize(values, to: start)
        case .q4_1: return Q4_1Block.quantize(values, to: start)
        }
        return true
    }

    /// One value of a float format (the tail of a float tensor whose length is not a multiple of 32).
    func write(_ value: Float, element index: Int) {
        switch format {
        case .f32: (base + index * 4).storeBytes(of: value, as: Float.self)
        case .f16: (base + index * 2).storeBytes(of: HalfFloat.bits(from: value).littleEndian, as: UInt16.self)
        case .bf16: (base + index * 2).storeBytes(of: BrainFloat.bits(from: value).littleEndian, as: UInt16.self)
        case .q8_0, .q4_0, .q4_1: break  // quantized outputs are whole blocks: never called
        }
    }
}
