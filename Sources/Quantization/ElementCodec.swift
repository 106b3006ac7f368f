/// Reads and writes the elements of one format at raw addresses, a group at a time through f32
/// values: `groupElements` is 32 (one block of the 32-value formats) or 256 (one k-quant
/// super-block, eight of the smaller blocks), the same for both sides of a conversion. The float
/// formats also go one element at a time, for a tail shorter than a group. Callers guarantee the
/// bounds: `Transcoder` checks the whole buffers first.
struct ElementReader: @unchecked Sendable {
    // @unchecked: a read-only address into bytes the caller keeps alive and unchanged for the call.
    let format: ElementFormat
    let base: UnsafeRawPointer
    let groupElements: Int

    /// Bytes of scratch that `group` needs: one group of f32.
    var scratchBytes: Int { groupElements * 4 }

    /// The values of group `group` as f32: in place for f32 input, else decoded into `scratch`
    /// (`scratchBytes` writable bytes).
    @inline(__always)
    func group(_ group: Int, scratch: UnsafeMutableRawPointer) -> UnsafeRawPointer {
        let start = base + group * (groupElements / format.elementsPerBlock) * format.bytesPerBlock
        switch format {
        case .f32: return start
        case .f16:
            for lane in 0..<groupElements {
                let half = UInt16(littleEndian: start.loadUnaligned(fromByteOffset: lane * 2, as: UInt16.self))
                scratch.storeBytes(of: HalfFloat.float(fromBits: half), toByteOffset: lane * 4, as: Float.self)
            }
        case .bf16:
            for lane in 0..<groupElements {
                let half = UInt16(littleEndian: start.loadUnaligned(fromByteOffset: lane * 2, as: UInt16.self))
                scratch.storeBytes(of: BrainFloat.float(fromBits: half), toByteOffset: lane * 4, as: Float.self)
            }
        default:
            for block in 0..<(groupElements / format.elementsPerBlock) {
                format.dequantizeBlock(start + block * format.bytesPerBlock, to: scratch + block * format.elementsPerBlock * 4)
            }
        }
        return UnsafeRawPointer(scratch)
    }

    /// One value, at any index (the tail of a float tensor, and the error rescan).
    func element(_ index: Int) -> Float {
        switch format {
        case .f32: return (base + index * 4).loadUnaligned(as: Float.self)
        case .f16: return HalfFloat.float(fromBits: UInt16(littleEndian: (base + index * 2).loadUnaligned(as: UInt16.self)))
        case .bf16: return BrainFloat.float(fromBits: UInt16(littleEndian: (base + index * 2).loadUnaligned(as: UInt16.self)))
        default:
            return withUnsafeTemporaryAllocation(byteCount: scratchBytes, alignment: 16) { scratch in
                group(index / groupElements, scratch: scratch.baseAddress!)
                    .loadUnaligned(fromByteOffset: index % groupElements * 4, as: Float.self)
            }
        }
    }
}

struct ElementWriter: @unchecked Sendable {
    // @unchecked: tasks write disjoint ranges of one buffer, which the caller owns for the call.
    let format: ElementFormat
    let base: UnsafeMutableRawPointer
    let groupElements: Int

    /// Writes the `groupElements` f32 values at `values` as group `group`; false when a quantizer
    /// met a NaN or infinity.
    @inline(__always)
    func write(_ values: UnsafeRawPointer, group: Int) -> Bool {
        let start = base + group * (groupElements / format.elementsPerBlock) * format.bytesPerBlock
        switch format {
        case .f32: start.copyMemory(from: values, byteCount: groupElements * 4)
        case .f16:
            for lane in 0..<groupElements {
                let half = HalfFloat.bits(from: values.loadUnaligned(fromByteOffset: lane * 4, as: Float.self))
                start.storeBytes(of: half.littleEndian, toByteOffset: lane * 2, as: UInt16.self)
            }
        case .bf16:
            for lane in 0..<groupElements {
                let half = BrainFloat.bits(from: values.loadUnaligned(fromByteOffset: lane * 4, as: Float.self))
                start.storeBytes(of: half.littleEndian, toByteOffset: lane * 2, as: UInt16.self)
            }
        default:
            for block in 0..<(groupElements / format.elementsPerBlock) {
                let source = values + block * format.elementsPerBlock * 4
                guard format.quantizeBlock(source, to: start + block * format.bytesPerBlock) else { return false }
            }
        }
        return true
    }

    /// One value of a float format (the tail of a float tensor whose length is not a multiple of 32).
    func write(_ value: Float, element index: Int) {
        switch format {
        case .f32: (base + index * 4).storeBytes(of: value, as: Float.self)
        case .f16: (base + index * 2).storeBytes(of: HalfFloat.bits(from: value).littleEndian, as: UInt16.self)
        case .bf16: (base + index * 2).storeBytes(of: BrainFloat.bits(from: value).littleEndian, as: UInt16.self)
        default: break  // quantized outputs are whole blocks: never called
        }
    }
}

extension ElementFormat {
    /// One block of this quantized format (`bytesPerBlock` readable bytes at `source`) as
    /// `elementsPerBlock` f32 values at `destination`. The row-block decoding interface: any
    /// reader of quantized tensors (the forward pass, `Transcoder`) goes through it.
    @inline(__always)
    func dequantizeBlock(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) {
        switch self {
        case .f32, .f16, .bf16: break  // not block formats: the callers decode them directly
        case .q8_0: Q8_0Block.dequantize(source, to: destination)
        case .q4_0: Q4_0Block.dequantize(source, to: destination)
        case .q4_1: Q4_1Block.dequantize(source, to: destination)
        case .q5_0: Q5_0Block.dequantize(source, to: destination)
        case .q5_1: Q5_1Block.dequantize(source, to: destination)
        case .q2_K: Q2_KBlock.dequantize(source, to: destination)
        case .q3_K: Q3_KBlock.dequantize(source, to: destination)
        case .q4_K: Q4_KBlock.dequantize(source, to: destination)
        case .q5_K: Q5_KBlock.dequantize(source, to: destination)
        case .q6_K: Q6_KBlock.dequantize(source, to: destination)
        }
    }

    /// `elementsPerBlock` f32 values at `source` as one block at `destination`; false (block
    /// unspecified) when one is NaN or infinite.
    @inline(__always)
    func quantizeBlock(_ source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer) -> Bool {
        switch self {
        case .f32, .f16, .bf16: true  // not block formats: the callers encode them directly
        case .q8_0: Q8_0Block.quantize(source, to: destination)
        case .q4_0: Q4_0Block.quantize(source, to: destination)
        case .q4_1: Q4_1Block.quantize(source, to: destination)
        case .q5_0: Q5_0Block.quantize(source, to: destination)
        case .q5_1: Q5_1Block.quantize(source, to: destination)
        case .q2_K: Q2_KBlock.quantize(source, to: destination)
        case .q3_K: Q3_KBlock.quantize(source, to: destination)
        case .q4_K: Q4_KBlock.quantize(source, to: destination)
        case .q5_K: Q5_KBlock.quantize(source, to: destination)
        case .q6_K: Q6_KBlock.quantize(source, to: destination)
        }
    }
}

extension ElementFormat {
    /// The values held by whole blocks of this format (any number of `bytesPerBlock`-byte blocks,
    /// for the float formats any whole number of elements), in order: the row-block decoding
    /// interface for readers of quantized tensors. Throws `QuantizationError` for a partial block.
    public func dequantize(blocks bytes: [UInt8]) throws -> [Float] {
        try bytes.withUnsafeBytes { raw in
            let count = try Transcoder.outputSize(inputBytes: raw.count, from: self, to: .f32) / 4
            var values = [Float](repeating: 0, count: count)
            try values.withUnsafeMutableBytes { output in
                try Transcoder.transcode(raw, from: self, to: .f32, threads: 1, into: output)
            }
            return values
        }
    }
}
