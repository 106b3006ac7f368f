/// Reads and writes the elements of one format at raw addresses, 32 at a time (one block of the
/// quantized formats) or, for the float formats, one at a time for a tail shorter than 32.
/// Callers guarantee the bounds: `Transcoder` checks the whole buffers before any call.
struct ElementReader: @unchecked Sendable {
    // @unchecked: a read-only address into bytes the caller keeps alive and unchanged for the call.
    let format: ElementFormat
    let base: UnsafeRawPointer

    /// The 32 values starting at element `group * 32`.
    @inline(__always)
    func group(_ group: Int) -> SIMD32<Float> {
        let start = base + group * (format.bytesPerBlock * (32 / format.elementsPerBlock))
        switch format {
        case .f32: return start.loadUnaligned(as: SIMD32<Float>.self)
        case .f16:
            let halves = start.loadUnaligned(as: SIMD32<UInt16>.self)
            var values = SIMD32<Float>()
            for lane in 0..<32 { values[lane] = HalfFloat.float(fromBits: halves[lane]) }
            return values
        case .bf16:
            let halves = start.loadUnaligned(as: SIMD32<UInt16>.self)
            return unsafeBitCast(SIMD32<UInt32>(truncatingIfNeeded: halves) &<< 16, to: SIMD32<Float>.self)
        case .q8_0: return Q8_0Block.dequantize(start)
        case .q4_0: return Q4_0Block.dequantize(start)
        case .q4_1: return Q4_1Block.dequantize(start)
        }
    }

    /// One value of a float format.
    @inline(__always)
    func element(_ index: Int) -> Float {
        switch format {
        case .f32: return (base + index * 4).loadUnaligned(as: Float.self)
        case .f16: return HalfFloat.float(fromBits: (base + index * 2).loadUnaligned(as: UInt16.self))
        case .bf16: return BrainFloat.float(fromBits: (base + index * 2).loadUnaligned(as: UInt16.self))
        case .q8_0, .q4_0, .q4_1: return group(index / 32)[index % 32]
        }
    }
}

struct ElementWriter: @unchecked Sendable {
    // @unchecked: tasks write disjoint ranges of one buffer, which the caller owns for the call.
    let format: ElementFormat
    let base: UnsafeMutableRawPointer

    /// Writes 32 values at element `group * 32`; false when a quantizer met a NaN or infinity.
    @inline(__always)
    func write(_ values: SIMD32<Float>, group: Int) -> Bool {
        let start = base + group * (format.bytesPerBlock * (32 / format.elementsPerBlock))
        switch format {
        case .f32: start.storeBytes(of: values, as: SIMD32<Float>.self)
        case .f16:
            var halves = SIMD32<UInt16>()
            for lane in 0..<32 { halves[lane] = HalfFloat.bits(from: values[lane]) }
            start.storeBytes(of: halves, as: SIMD32<UInt16>.self)
        case .bf16:
            var halves = SIMD32<UInt16>()
            for lane in 0..<32 { halves[lane] = BrainFloat.bits(from: values[lane]) }
            start.storeBytes(of: halves, as: SIMD32<UInt16>.self)
        case .q8_0: return Q8_0Block.quantize(values, to: start)
        case .q4_0: return Q4_0Block.quantize(values, to: start)
        case .q4_1: return Q4_1Block.quantize(values, to: start)
        }
        return true
    }

    /// One value of a float format (the tail of a float tensor whose length is not a multiple of 32).
    @inline(__always)
    func write(_ value: Float, element index: Int) {
        switch format {
        case .f32: (base + index * 4).storeBytes(of: value, as: Float.self)
        case .f16: (base + index * 2).storeBytes(of: HalfFloat.bits(from: value), as: UInt16.self)
        case .bf16: (base + index * 2).storeBytes(of: BrainFloat.bits(from: value), as: UInt16.self)
        case .q8_0, .q4_0, .q4_1: break  // quantized outputs are whole blocks: never called
        }
    }
}
